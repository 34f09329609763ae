package golden;

import dev.adjoint.Differentiable;

/** Loops over arrays: a counted loop, nested loops with overwrites, an array result. */
class Loops {
  @Differentiable
  static double rosenbrock(double[] x) {
    double sum = 0;
    for (int i = 0; i < x.length - 1; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  @Differentiable
  static double nested(double[] x, int rounds) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double t = x[i];
      int k = 0;
      while (k < rounds) {
        t = Math.sin(t) * x[k % x.length];
        k++;
      }
      s += t * t;
    }
    return s;
  }

  @Differentiable
  static double[] normalize(double[] x) {
    double[] y = new double[x.length];
    double norm = 0;
    for (double v : x) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i] / norm;
    }
    return y;
  }
}
