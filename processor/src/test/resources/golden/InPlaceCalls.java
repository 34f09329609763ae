package golden;

import dev.adjoint.Differentiable;

/**
 * Void helpers writing their out-parameter, called inside loops and branches: inlined, writing
 * the caller's array in place.
 */
class InPlaceCalls {
  /** tanh(W x + b) into out, W stored row by row. */
  @Differentiable
  static void dense(double[] x, double[] w, double b, double[] out) {
    for (int j = 0; j < out.length; j++) {
      double z = b;
      for (int k = 0; k < x.length; k++) {
        z += w[j * x.length + k] * x[k];
      }
      out[j] = Math.tanh(z);
    }
  }

  /** Adds into its out-parameter (reading its old values); returns early for small a. */
  @Differentiable
  static void addScaled(double[] x, double a, double[] out) {
    if (a < -5) {
      return;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] += a * x[i] * out[i];
    }
  }

  /** n steps alternating between two arrays: the helpers called in a loop and its branches. */
  @Differentiable
  static double steps(double[] x, double[] w, double b, int n) {
    double[] h = new double[x.length];
    double[] g = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      h[k] = x[k];
    }
    for (int s = 0; s < n; s++) {
      dense(h, w, b, g);
      if (s % 2 == 0) {
        dense(g, w, b * 0.5, h);
      } else {
        for (int k = 0; k < x.length; k++) {
          h[k] = g[k] * 0.9;
        }
        addScaled(g, b, h);
      }
    }
    double sum = 0;
    for (int k = 0; k < x.length; k++) {
      sum += h[k] * h[k];
    }
    return sum;
  }
}
