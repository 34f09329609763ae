package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * The functions of the forward-mode and second-order benchmarks, each with its JVP
 * ({@code forward = true}) and Hessian-vector product ({@code hessian = true}): Rosenbrock, a
 * logistic-regression loss and a small MLP loss, in double, written as plain loops.
 */
public final class SecondOrder {
  private SecondOrder() {}

  /** Rosenbrock's function over {@code x.length} variables. */
  @Differentiable(forward = true, hessian = true)
  public static double rosenbrock(double[] x) {
    double s = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double c = 1 - x[i];
      s += 100 * a * a + c * c;
    }
    return s;
  }

  /** Mean logistic loss of weights {@code w} on {@code n} examples {@code x} (row by row). */
  @Differentiable(forward = true, hessian = true)
  public static double logistic(double[] w, @NoDerivative double[] x, int[] y, int n) {
    int d = w.length;
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double z = 0;
      for (int j = 0; j < d; j++) {
        z += w[j] * x[i * d + j];
      }
      loss += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - y[i] * z;
    }
    return loss / n;
  }

  /**
   * Mean squared error of a one-hidden-layer tanh network ({@code in}-{@code hidden}-1) on
   * {@code n} examples.
   */
  @Differentiable(forward = true, hessian = true)
  public static double mlp(double[] w1, double[] w2, @NoDerivative double[] x,
      @NoDerivative double[] y, int n, int in, int hidden) {
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double out = 0;
      for (int h = 0; h < hidden; h++) {
        double z = 0;
        for (int j = 0; j < in; j++) {
          z += w1[h * in + j] * x[i * in + j];
        }
        out += w2[h] * Math.tanh(z);
      }
      double e = out - y[i];
      loss += e * e;
    }
    return loss / n;
  }
}
