package dev.adjoint.optim;

/**
 * Plain stochastic gradient descent: {@code p -= lr * (g + weightDecay * p)} in {@code float}
 * arithmetic, as PyTorch's SGD computes it for {@code float32} parameters: the learning rate and
 * the decay are rounded to {@code float} once, then each element is updated with float
 * operations, which the JIT vectorizes (a {@code double} update is several times slower on
 * JDK 17, whose compiler does not vectorize the conversions). Stateless apart from the step
 * counter.
 */
public final class Sgd extends AbstractOptimizer {
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
  protected void update(int k, float[] p, float[] g, double lr, long t, int from, int to) {
    float rate = (float) lr;
    float decay = (float) weightDecay;
    if (decay == 0f) {
      // Without decay the update is p - lr * g: the common case skips the multiply.
      for (int i = from; i < to; i++) {
        p[i] = p[i] - rate * g[i];
      }
      return;
    }
    for (int i = from; i < to; i++) {
      p[i] = p[i] - rate * (g[i] + decay * p[i]);
    }
  }

  @Override
  protected void update(int k, double[] p, double[] g, double lr, long t, int from, int to) {
    for (int i = from; i < to; i++) {
      p[i] = p[i] - lr * (g[i] + weightDecay * p[i]);
    }
  }
}
