package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * A least-squares fit of y = a e^(-b t) + c: the loss written with a model helper called in the
 * loop (as users write it), the same loss with the helper's body written inline, and its gradient
 * by hand. {@code LeastSquaresBenchmark} compares their gradients.
 */
public final class LeastSquares {
  private LeastSquares() {}

  /** The model at one point. */
  @Differentiable
  public static double model(double a, double b, double c, double t) {
    return a * Math.exp(-b * t) + c;
  }

  /** The sum over i of (model(a, b, c, t[i]) - y[i])^2. */
  @Differentiable
  public static double loss(double a, double b, double c, @NoDerivative double[] t,
      @NoDerivative double[] y) {
    double loss = 0;
    for (int i = 0; i < t.length; i++) {
      double r = model(a, b, c, t[i]) - y[i];
      loss += r * r;
    }
    return loss;
  }

  /** {@link #loss} with the model written inline. */
  @Differentiable
  public static double lossInline(double a, double b, double c, @NoDerivative double[] t,
      @NoDerivative double[] y) {
    double loss = 0;
    for (int i = 0; i < t.length; i++) {
      double r = a * Math.exp(-b * t[i]) + c - y[i];
      loss += r * r;
    }
    return loss;
  }

  /**
   * {@link #lossInline} with e^(-b t) in a local: the spelling that lets the generated gradient
   * reuse the exponential (shows what reusing a primal in derivative rules would gain).
   */
  @Differentiable
  public static double lossExpLocal(double a, double b, double c, @NoDerivative double[] t,
      @NoDerivative double[] y) {
    double loss = 0;
    for (int i = 0; i < t.length; i++) {
      double e = Math.exp(-b * t[i]);
      double r = a * e + c - y[i];
      loss += r * r;
    }
    return loss;
  }

  /**
   * The loss and its gradient by hand, one pass: {@code g} receives d/da, d/db, d/dc.
   *
   * @return the loss
   */
  public static double lossGradient(double a, double b, double c, double[] t, double[] y,
      double[] g) {
    double loss = 0;
    double ga = 0;
    double gb = 0;
    double gc = 0;
    for (int i = 0; i < t.length; i++) {
      double e = Math.exp(-b * t[i]);
      double r = a * e + c - y[i];
      loss += r * r;
      ga += 2 * r * e;
      gb -= 2 * r * a * e * t[i];
      gc += 2 * r;
    }
    g[0] = ga;
    g[1] = gb;
    g[2] = gc;
    return loss;
  }
}
