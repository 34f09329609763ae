package dev.adjoint.processor.backend;

/**
 * A gradient that cannot be generated as Java the JVM accepts, even split into several methods
 * (see {@link MethodSplitting}); the message says which part of it is too large.
 */
public final class GradientTooLarge extends RuntimeException {
  private static final long serialVersionUID = 1L;

  GradientTooLarge(String message) {
    super(message);
  }
}
