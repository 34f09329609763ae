package dev.adjoint.optim;

/**
 * One trainable {@code float}, with the gradient an optimizer reads: the {@code float}
 * counterpart of {@link Scalar}, for a scalar parameter (a bias, a temperature) of a model
 * computed in {@code float}.
 *
 * <pre>{@code
 * FloatScalar bias = new FloatScalar(0f);
 * float[] weightGradient = new float[1];
 * Optimizer optimizer = new Sgd(0.05);
 * Parameters params = Parameters.builder().add(weights, weightGradient).add(bias).build();
 * for (int step = 0; step < 2000; step++) {
 *   float dBias = 0;
 *   weightGradient[0] = 0;
 *   for (float xi : x) {
 *     float error = weights[0] * xi + bias.value() - (2 * xi + 0.5f);
 *     weightGradient[0] += error * xi / x.length;
 *     dBias += error / x.length;
 *   }
 *   bias.setGrad(dBias);
 *   optimizer.step(params);
 * }
 * }</pre>
 */
public final class FloatScalar {
  final float[] value = new float[1];
  final float[] grad = new float[1];

  /**
   * A parameter with this initial value and gradient zero.
   *
   * @param value the initial value
   */
  public FloatScalar(float value) {
    this.value[0] = value;
  }

  /** The current value. */
  public float value() {
    return value[0];
  }

  /**
   * Replaces the value.
   *
   * @param value the new value
   */
  public void set(float value) {
    this.value[0] = value;
  }

  /** The gradient the next optimizer step will use. */
  public float grad() {
    return grad[0];
  }

  /**
   * Sets the gradient for the next optimizer step (the optimizer does not reset it).
   *
   * @param grad the derivative of the loss with respect to this parameter
   */
  public void setGrad(float grad) {
    this.grad[0] = grad;
  }

  @Override
  public String toString() {
    return "FloatScalar[value=" + value[0] + ", grad=" + grad[0] + "]";
  }
}
