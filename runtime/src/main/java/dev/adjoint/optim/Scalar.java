package dev.adjoint.optim;

/**
 * One trainable {@code double}, with the gradient an optimizer reads: a scalar parameter cannot be
 * updated in place, so it lives in this holder.
 *
 * <pre>{@code
 * Scalar w = new Scalar(2), b = new Scalar(1);
 * Parameters params = Parameters.builder().add(w).add(b).build();
 * Optimizer sgd = new Sgd(0.1);
 * for (int step = 0; step < 100; step++) {
 *   NeuronGrad.Loss g = NeuronGrad.loss(w.value(), b.value(), x, target);
 *   w.setGrad(g.w());
 *   b.setGrad(g.b());
 *   sgd.step(params);
 * }
 * }</pre>
 *
 * <p>Not thread-safe, like the arrays it stands in for.
 */
public final class Scalar {
  /** The value and gradient as one-element arrays, which the optimizers update like any other. */
  final double[] value = new double[1];
  final double[] grad = new double[1];

  /**
   * A parameter with this initial value and gradient zero.
   *
   * @param value the initial value
   */
  public Scalar(double value) {
    this.value[0] = value;
  }

  /** The current value. */
  public double value() {
    return value[0];
  }

  /**
   * Replaces the value.
   *
   * @param value the new value
   */
  public void set(double value) {
    this.value[0] = value;
  }

  /** The gradient the next optimizer step will use. */
  public double grad() {
    return grad[0];
  }

  /**
   * Sets the gradient for the next optimizer step (the optimizer does not reset it).
   *
   * @param grad the derivative of the loss with respect to this parameter
   */
  public void setGrad(double grad) {
    this.grad[0] = grad;
  }

  @Override
  public String toString() {
    return "Scalar[value=" + value[0] + ", grad=" + grad[0] + "]";
  }
}
