package dev.adjoint.optim;

/**
 * Updates parameters in place from their gradients.
 *
 * <p>{@code params[k]} and {@code grads[k]} are parallel: the same tensor's values and the
 * gradient of the loss with respect to them, with equal lengths. An optimizer is bound to one set
 * of shapes: it allocates its state (moment buffers) on the first {@link #step} or {@link
 * #restore} and then rejects arrays of other shapes. Steps after the first allocate nothing.
 *
 * <p>State for checkpoints: {@link #state()} copies out everything that a later {@link #step}
 * depends on besides the parameters, so that {@code restore(state())} on a fresh optimizer with
 * the same hyperparameters continues bit for bit.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(1e-3);
 * for (...) {
 *   for (float[] g : grads) Arrays.fill(g, 0f);
 *   model.addGradients(batch, grads);
 *   opt.step(params, grads);
 * }
 * }</pre>
 */
public interface Optimizer {
  /**
   * Applies one update to every parameter array.
   *
   * @param params the parameters, updated in place
   * @param grads the gradients, one array per parameter with the same length; not modified
   * @throws IllegalArgumentException if the shapes differ from each other or from earlier steps
   */
  void step(float[][] params, float[][] grads);

  /** The learning rate used by the next {@link #step}. */
  double learningRate();

  /**
   * Sets the learning rate for the following steps (schedules call this once per epoch).
   *
   * @param learningRate a finite, non-negative rate
   */
  void setLearningRate(double learningRate);

  /** How many steps have been applied, including those before a {@link #restore}. */
  long steps();

  /** A deep copy of the optimizer's state, for a checkpoint. */
  OptimizerState state();

  /**
   * Replaces this optimizer's state with a copy of {@code state}, typically read from a
   * checkpoint. The learning rate is restored too.
   *
   * @throws IllegalArgumentException if {@code state} was made by a different algorithm or its
   *     buffers do not fit this optimizer
   */
  void restore(OptimizerState state);
}
