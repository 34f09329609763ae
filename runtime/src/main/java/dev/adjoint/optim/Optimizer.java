package dev.adjoint.optim;

/**
 * Updates parameters in place from their gradients.
 *
 * <p>{@link #step(Parameters)} takes {@code float} and {@code double} parameters of any shape,
 * each paired with its gradient (see {@link Parameters}); {@link #step(float[][], float[][])} is
 * the short form for {@code float} arrays, {@code params[k]} and {@code grads[k]} being the same
 * tensor's values and gradient. An optimizer is bound to one set of shapes: it allocates its state
 * (moment buffers) on the first step or {@link #restore} and then rejects arrays of other shapes.
 * Steps after the first allocate nothing. {@code float} parameters are updated in {@code float}
 * arithmetic, as PyTorch updates {@code float32} ones; {@code double} parameters in {@code
 * double}.
 *
 * <p>State for checkpoints: {@link #state()} copies out everything that a later step depends on
 * besides the parameters, so that {@code restore(state())} on a fresh optimizer with the same
 * hyperparameters continues bit for bit.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(1e-3);
 * Parameters params = Parameters.builder().add(w, gradient.w).add(b, gradient.b).build();
 * for (int step = 0; step < steps; step++) {
 *   gradient.clear();
 *   ModelGrad.loss(w, b, x, labels, gradient);   // adds the gradient into gradient.w, gradient.b
 *   opt.step(params);
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

  /**
   * Applies one update to every parameter, {@code float} or {@code double}, of any shape.
   *
   * @param params the parameters, updated in place, with their gradients, which are not modified
   * @throws IllegalArgumentException if the shapes differ from earlier steps
   */
  void step(Parameters params);

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
