package dev.adjoint;

/**
 * Marks a value whose derivative is deliberately dropped, as JAX's {@code stop_gradient} and
 * Swift's {@code withoutDerivative(at:)} do. At run time each method returns its argument (the same
 * array, not a copy); inside a {@link Differentiable} method the processor treats the result as a
 * constant: its derivative with respect to everything is zero.
 *
 * <p>Adjoint never drops a derivative without being told: passing a value that depends on a
 * differentiable parameter to a {@link NoDerivative} parameter of another function is a compile
 * error. Wrap the argument in {@code stopGradient} to say that dropping it is intended, as in
 * {@code return g(y, StopGradient.stopGradient(x * x));} where {@code g}'s second parameter is
 * {@code @NoDerivative}.
 *
 * <p>A scalar {@code stopGradient(e)} can be used anywhere in a differentiable expression; an
 * array one only as the argument of a {@code @NoDerivative} array parameter.
 */
public final class StopGradient {
  private StopGradient() {}

  /** Returns {@code x}; its derivative is zero. */
  public static double stopGradient(double x) {
    return x;
  }

  /** Returns {@code x}; its derivative is zero. */
  public static float stopGradient(float x) {
    return x;
  }

  /** Returns {@code x} itself; the derivative of its elements is zero. */
  public static double[] stopGradient(double[] x) {
    return x;
  }

  /** Returns {@code x} itself; the derivative of its elements is zero. */
  public static float[] stopGradient(float[] x) {
    return x;
  }

  /** Returns {@code x} itself; the derivative of its elements is zero. */
  public static double[][] stopGradient(double[][] x) {
    return x;
  }

  /** Returns {@code x} itself; the derivative of its elements is zero. */
  public static float[][] stopGradient(float[][] x) {
    return x;
  }
}
