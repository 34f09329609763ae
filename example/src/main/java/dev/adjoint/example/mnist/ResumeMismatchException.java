package dev.adjoint.example.mnist;

/** {@code train --resume} was given a checkpoint of another network than the options build. */
public final class ResumeMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  ResumeMismatchException(String message) {
    super(message);
  }
}
