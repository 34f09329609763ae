package dev.adjoint.optim;

/**
 * SGD with classic (heavy-ball) momentum, in PyTorch's convention (no dampening, not Nesterov):
 *
 * <pre>
 *   v = beta * v + g
 *   p = p - lr * v
 * </pre>
 *
 * <p>The velocity {@code v} accumulates raw gradients and the learning rate scales it when
 * applied. The other common convention, {@code v = beta * v - lr * g; p = p + v}, gives the same
 * trajectory for a constant learning rate but reacts to a schedule's change of rate only
 * gradually; here a new rate applies at once to the whole velocity. The velocity starts at zero,
 * so the first step equals an SGD step. The update runs in {@code float} arithmetic, like {@link
 * Sgd}.
 */
public final class Momentum extends AbstractOptimizer {
  private final double beta;

  /**
   * Momentum without weight decay.
   *
   * @param learningRate the step size
   * @param beta the momentum coefficient in [0, 1), typically 0.9
   */
  public Momentum(double learningRate, double beta) {
    this(learningRate, beta, 0);
  }

  /**
   * Momentum with L2 weight decay added to the gradient before it enters the velocity.
   *
   * @param learningRate the step size
   * @param beta the momentum coefficient in [0, 1)
   * @param weightDecay the L2 coefficient
   */
  public Momentum(double learningRate, double beta, double weightDecay) {
    super("momentum", 1, learningRate, weightDecay);
    this.beta = requireUnitInterval(beta, "beta");
  }

  /** The momentum coefficient. */
  public double beta() {
    return beta;
  }

  @Override
  protected void update(int k, float[] p, float[] g, double lr, long t, int from, int to) {
    // In float arithmetic, as PyTorch updates float32 parameters; the JIT vectorizes it.
    float[] v = buffer(0, k);
    float rate = (float) lr;
    float momentum = (float) beta;
    float decay = (float) weightDecay;
    for (int i = from; i < to; i++) {
      float vi = momentum * v[i] + (g[i] + decay * p[i]);
      v[i] = vi;
      p[i] = p[i] - rate * vi;
    }
  }

  @Override
  protected void update(int k, double[] p, double[] g, double lr, long t, int from, int to) {
    double[] v = doubleBuffer(0, k);
    for (int i = from; i < to; i++) {
      double vi = beta * v[i] + (g[i] + weightDecay * p[i]);
      v[i] = vi;
      p[i] = p[i] - lr * vi;
    }
  }
}
