package dev.adjoint.bench;

import dev.adjoint.Differentiable;

/**
 * The extended Rosenbrock function, written as the obvious loop, and its gradient written by
 * hand as the obvious single loop. The processor generates {@code RosenbrockGrad} from
 * {@link #rosenbrock(double[])}.
 */
public final class Rosenbrock {
  private Rosenbrock() {}

  /** {@code sum over i of 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2}. */
  @Differentiable
  public static double rosenbrock(double[] x) {
    double sum = 0;
    for (int i = 0; i < x.length - 1; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  /**
   * The same function and its gradient by hand: adds the gradient into {@code gradient} (as the
   * generated accumulating form does) and returns the value.
   */
  public static double rosenbrockGradient(double[] x, double[] gradient) {
    double sum = 0;
    for (int i = 0; i < x.length - 1; i++) {
      double xi = x[i];
      double a = x[i + 1] - xi * xi;
      double b = 1 - xi;
      sum += 100 * a * a + b * b;
      gradient[i] += -400 * a * xi - 2 * b;
      gradient[i + 1] += 200 * a;
    }
    return sum;
  }
}
