package dev.adjoint.optim;

/**
 * Plain stochastic gradient descent: {@code p -= lr * (g + weightDecay * p)}, computed in
 * {@code double} and rounded to {@code float} once per element. Stateless apart from the step
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
  protected void update(int k, float[] p, float[] g, double lr, long t) {
    double decay = weightDecay;
    for (int i = 0; i < p.length; i++) {
      double gi = g[i] + decay * p[i];
      p[i] = (float) (p[i] - lr * gi);
    }
  }
}
