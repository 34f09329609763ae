package dev.adjoint.optim;

import java.util.Objects;

/**
 * A snapshot of an {@link Optimizer}'s state: what it needs, besides the parameters, to continue
 * exactly where it stopped.
 *
 * <p>{@code buffers} holds per-parameter arrays grouped by kind: for {@code n} parameters and
 * {@code s} kinds of buffer, {@code buffers[j * n + k]} is buffer kind {@code j} of parameter
 * {@code k}. {@link Sgd} has none, {@link Momentum} one (velocity), {@link Adam} two (first then
 * second moment). Before the first step there are no buffers yet, whatever the algorithm.
 *
 * <p>The arrays are shared, not copied, by the constructor and accessors; {@link
 * Optimizer#state()} and {@link Optimizer#restore} make the copies. Being arrays, they are compared
 * by identity in {@link #equals}.
 *
 * @param algorithm the optimizer's name, checked on restore ({@code "sgd"}, {@code "momentum"},
 *     {@code "adam"})
 * @param steps steps applied so far
 * @param learningRate the learning rate at the time of the snapshot
 * @param buffers per-parameter buffers of the {@code float} parameters, as described above
 * @param doubleBuffers the same for the {@code double} parameters (see {@link Parameters}), laid
 *     out alike; empty when there are none
 */
public record OptimizerState(
    String algorithm, long steps, double learningRate, float[][] buffers,
    double[][] doubleBuffers) {
  /** Checks that nothing is null and the counters are in range. */
  public OptimizerState {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(buffers, "buffers");
    Objects.requireNonNull(doubleBuffers, "doubleBuffers");
    for (int i = 0; i < buffers.length; i++) {
      Objects.requireNonNull(buffers[i], "buffers[" + i + "]");
    }
    for (int i = 0; i < doubleBuffers.length; i++) {
      Objects.requireNonNull(doubleBuffers[i], "doubleBuffers[" + i + "]");
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
  }

  /**
   * The state of an optimizer of {@code float} parameters only.
   *
   * @param algorithm the optimizer's name
   * @param steps steps applied so far
   * @param learningRate the learning rate at the time of the snapshot
   * @param buffers per-parameter buffers as described above
   */
  public OptimizerState(String algorithm, long steps, double learningRate, float[][] buffers) {
    this(algorithm, steps, learningRate, buffers, new double[0][]);
  }
}
