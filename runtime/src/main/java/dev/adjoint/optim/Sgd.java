package dev.adjoint.optim;

/**
 * Plain stochastic gradient descent: {@code p -= lr * (g + weightDecay * p)}, computed in
 * {@code double} and rounded to {@code float} once per element. Stateless apart from the step
 * counter.
 */
public final class Sgd extends AbstractOptimizer {
  /** Elements per chunk of {@link #update}: the two double buffers stay in the L1 cache. */
  private static final int CHUNK = 1024;

  /** Reused by every step, which must not allocate. */
  private final double[] pd = new double[CHUNK];
  private final double[] gd = new double[CHUNK];

  /**
   * SGD without weight decay.
   *
   * @param learningRate the step size
   */
  public Sgd(double learningRate) {
    this(learningRate, 0);
  }

  /**
   * SGD with L2 weight decay, as PyTorch's {@code weight_decay}.
   *
   * @param learningRate the step size
   * @param weightDecay the L2 coefficient added to the gradient as {@code weightDecay * p}
   */
  public Sgd(double learningRate, double weightDecay) {
    super("sgd", 0, learningRate, weightDecay);
  }

  @Override
  protected void update(int k, float[] p, float[] g, double lr, long t) {
    double decay = weightDecay;
    // Widened a chunk at a time into double buffers: C2 runs the one-loop form (widen, update,
    // narrow per element) about five times slower than these separate loops, apparently a
    // chain through the conversion registers. The arithmetic is the same, so results are
    // bit-identical.
    double[] pd = this.pd;
    double[] gd = this.gd;
    for (int i0 = 0; i0 < p.length; i0 += CHUNK) {
      int n = Math.min(CHUNK, p.length - i0);
      for (int i = 0; i < n; i++) {
        pd[i] = p[i0 + i];
      }
      for (int i = 0; i < n; i++) {
        gd[i] = g[i0 + i];
      }
      for (int i = 0; i < n; i++) {
        pd[i] = pd[i] - lr * (gd[i] + decay * pd[i]);
      }
      for (int i = 0; i < n; i++) {
        p[i0 + i] = (float) pd[i];
      }
    }
  }
}
