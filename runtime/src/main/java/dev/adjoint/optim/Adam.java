package dev.adjoint.optim;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, as PyTorch's {@code torch.optim.Adam}:
 *
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 *
 * <p>where {@code t} counts steps from 1. Bias correction undoes the moments' zero start, so the
 * first step moves every parameter by about {@code lr * sign(g)}. Weight decay, if any, is the
 * classic L2 form added to {@code g} (not AdamW's decoupled decay).
 */
public final class Adam extends AbstractOptimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;

  /**
   * Adam with the usual defaults {@code beta1 = 0.9, beta2 = 0.999, eps = 1e-8}.
   *
   * @param learningRate the step size, typically 1e-3
   */
  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-8);
  }

  /**
   * Adam without weight decay.
   *
   * @param learningRate the step size
   * @param beta1 decay of the first-moment average, in [0, 1)
   * @param beta2 decay of the second-moment average, in [0, 1)
   * @param eps added to the denominator for stability, positive
   */
  public Adam(double learningRate, double beta1, double beta2, double eps) {
    this(learningRate, beta1, beta2, eps, 0);
  }

  /**
   * Adam with L2 weight decay.
   *
   * @param learningRate the step size
   * @param beta1 decay of the first-moment average, in [0, 1)
   * @param beta2 decay of the second-moment average, in [0, 1)
   * @param eps added to the denominator for stability, positive
   * @param weightDecay the L2 coefficient added to the gradient
   */
  public Adam(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
    super("adam", 2, learningRate, weightDecay);
    this.beta1 = requireUnitInterval(beta1, "beta1");
    this.beta2 = requireUnitInterval(beta2, "beta2");
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
    }
    this.eps = eps;
  }

  @Override
  protected void update(int k, float[] p, float[] g, double lr, long t, int from, int to) {
    float[] m = buffer(0, k);
    float[] v = buffer(1, k);
    double decay = weightDecay;
    double correction1 = 1 - Math.pow(beta1, t);
    double correction2 = 1 - Math.pow(beta2, t);
    for (int i = from; i < to; i++) {
      double gi = g[i] + decay * p[i];
      // Arithmetic in double, moments stored as float (the precision of the parameters).
      float mi = (float) (beta1 * m[i] + (1 - beta1) * gi);
      float vi = (float) (beta2 * v[i] + (1 - beta2) * gi * gi);
      m[i] = mi;
      v[i] = vi;
      p[i] = (float) (p[i] - lr * (mi / correction1) / (Math.sqrt(vi / correction2) + eps));
    }
  }
}
