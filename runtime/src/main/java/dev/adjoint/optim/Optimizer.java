package dev.adjoint.optim;

/**
 * Updates parameters in place from their gradients.
 *
 * <p>{@link #step(Parameters)} takes {@code float} and {@code double} parameters of any shape,
 * each paired with its gradient (see {@link Parameters}); {@link #step(Record, Record)} a record
 * of parameters (a model record) with the gradient record Adjoint generates for it; {@link
 * #step(float[][], float[][])} is the short form for {@code float} arrays, {@code params[k]} and
 * {@code grads[k]} being the same tensor's values and gradient. An optimizer is bound to one set
 * of shapes: it allocates its state (moment buffers) on the first step or {@link #restore} and
 * then rejects arrays of other shapes. Steps after the first allocate nothing. {@code float}
 * parameters are updated in {@code float} arithmetic, as PyTorch updates {@code float32} ones;
 * {@code double} parameters in {@code double}.
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

  /**
   * Applies one update to a record of parameters, given the record of its gradient, and returns
   * the updated record: one line per training step.
   *
   * <pre>{@code
   * Line model = new Line(new double[] {0, 0}, 0);       // record Line(double[] w, double b)
   * LineGrad.LossAccumulator gradient = LineGrad.LossAccumulator.zerosLike(model);
   * Optimizer opt = new Adam(0.05);
   * for (int step = 0; step < steps; step++) {
   *   gradient.clear();
   *   LineGrad.loss(model, x, y, gradient);         // adds into gradient.self
   *   model = opt.step(model, gradient.self);       // w in place; a new Line with the new b
   * }
   * }</pre>
   *
   * <p>What is stepped: every {@code float} and {@code double} component, scalar, 1-D or 2-D
   * array, and the same in nested records at any depth. Arrays are updated in place. Records are
   * immutable, so scalar components cannot be: the step returns a new record (of the same
   * arrays, nested records rebuilt where they hold scalars) with the new values, and {@code
   * params} itself when the record has no floating scalar, so always use the result, {@code
   * model = opt.step(model, grad)}. Components of other types ({@code int}, {@code long}, {@code
   * boolean}, their arrays, anything else) and components annotated {@code @NoDerivative} in the
   * record's header ({@code record Mlp(float[][] w, @NoDerivative float[] mean)}) are left
   * alone; the new record copies them.
   *
   * <p>{@code grads} is the gradient Adjoint generates for the record: the component of the
   * result record, or the field of the accumulator, named like the parameter ({@code self} for
   * a method of the record). Pass the accumulator's field as it is after the gradient call,
   * not a reference kept from before: where the record has scalar components, every call
   * replaces it.
   *
   * <p>The optimizer sees the components as a list in declaration order, depth first, each row
   * of a 2-D array one entry and each scalar a one-element array: the layout of {@link
   * Parameters#of(Record, Record)}, and of {@link #state()}. So a step on a record is, bit for
   * bit, the step on the same arrays (and {@link Scalar} or {@link FloatScalar} holders) given
   * to {@link Parameters.Builder} in that order, and a checkpoint's state restores into either.
   * Given the same two records again (a record without floating scalars, an accumulator's
   * field), a step allocates nothing; a record with scalars is taken apart again every step
   * (a few small objects) and rebuilt.
   *
   * @param <R> the record type
   * @param params the parameters
   * @param grads their gradient, a record of the same type whose arrays have the same shapes;
   *     not modified
   * @return the updated parameters: {@code params} itself when it has no {@code float} or
   *     {@code double} scalar component, otherwise a new record holding the new scalars
   * @throws IllegalArgumentException if the records differ in type or in the shape of a
   *     component (the message names it, as {@code Mlp.w[1]}), or the shapes differ from earlier
   *     steps
   * @throws NullPointerException if a record, or an array or record component, is null
   */
  default <R extends Record> R step(R params, R grads) {
    RecordParameters.Flat flat = RecordParameters.flatten(params, grads);
    step(flat.parameters());
    return flat.updated();
  }

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
