package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * Returns of calls of other differentiable methods: those chained through the callee's
 * accumulating form in one call, and those that fall back to its record form.
 */
class TailCalls {
  /** One layer per level, tanh(w[layer] * h), then the next level; the last sums squares. */
  @Differentiable
  static double layers(double[][] w, double[] h, int layer) {
    double[] next = new double[h.length];
    for (int i = 0; i < h.length; i++) {
      next[i] = Math.tanh(w[layer][i] * h[i]);
    }
    if (layer == w.length - 1) {
      double sum = 0;
      for (int i = 0; i < next.length; i++) {
        sum += next[i] * next[i];
      }
      return sum;
    }
    return layers(w, next, layer + 1);
  }

  /** scale * (w . x): array and scalar parameters. */
  @Differentiable
  static double weighted(double[] w, double scale, double[] x) {
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      s += w[i] * x[i];
    }
    return scale * s;
  }

  /** A parameter and a local array as arguments, and a scalar expression. */
  @Differentiable
  static double scaledInput(double[] w, double a, double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i] * a;
    }
    return weighted(w, a * a, y);
  }

  /** A row of a matrix as an argument: its adjoint is that row of the matrix's adjoint. */
  @Differentiable
  static double row(double[][] m, double a, double[] x) {
    return weighted(m[1], a, x);
  }

  /** Falls back: both array arguments are one array, whose adjoint they would share. */
  @Differentiable
  static double aliased(double[] w, double a) {
    return weighted(w, a, w);
  }

  /** Falls back: two rows of one matrix. */
  @Differentiable
  static double twoRows(double[][] m, double a) {
    return weighted(m[0], a, m[1]);
  }

  /** Falls back: the result is scaled, so its adjoint is not the seed. */
  @Differentiable
  static double scaledResult(double[] w, double a, double[] x) {
    return 2 * weighted(w, a, x);
  }

  /** Falls back: x carries no derivative, so it has no adjoint to pass. */
  @Differentiable
  static double inactiveArray(double[] w, double a, @NoDerivative double[] x) {
    return weighted(w, a, x);
  }
}
