package dev.adjoint.train;

/**
 * What one training step reports to the {@link Trainer}: its mean loss and examples, or why it
 * did not update the parameters (a loss or gradient that is NaN or infinite).
 *
 * @param loss the step's mean loss over its examples; NaN when it diverged
 * @param samples the examples the step used, at least 1
 * @param divergence why the step made no update (such as {@code "loss is NaN"}), or null when it
 *     did
 */
public record StepResult(double loss, long samples, String divergence) {
  /** Checks the sample count. */
  public StepResult {
    if (samples < 1) {
      throw new IllegalArgumentException("a step uses at least 1 example, got " + samples);
    }
  }

  /** A step that updated the parameters. */
  public static StepResult of(double loss, long samples) {
    return new StepResult(loss, samples, null);
  }

  /**
   * A step that found its loss or gradient not finite and left the parameters as they were.
   *
   * @param samples the examples the step used
   * @param divergence what is not finite, where
   */
  public static StepResult diverged(long samples, String divergence) {
    return new StepResult(Double.NaN, samples, java.util.Objects.requireNonNull(divergence));
  }

  /** Whether the step left the parameters as they were because something was not finite. */
  public boolean diverged() {
    return divergence != null;
  }
}
