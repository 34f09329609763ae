package golden;

import dev.adjoint.Differentiable;

/**
 * What the reverse sweep recomputes or does not save: dot-product layers whose accumulator is
 * saved once per unit, not per step, and loop locals recomputed in loops that are not counted.
 */
class Recompute {
  @Differentiable
  static double reluLayer(double[] w, double[] b, double[] x, int in, int out) {
    double[] h = new double[out];
    for (int j = 0; j < out; j++) {
      double z = b[j];
      for (int k = 0; k < in; k++) {
        z += x[k] * w[j * in + k];
      }
      h[j] = z > 0 ? z : 0;
    }
    double loss = 0;
    for (int j = 0; j < out; j++) {
      loss += h[j] * h[j];
    }
    return loss;
  }

  @Differentiable
  static double sigmoidRows(double[][] w, double[] x) {
    double loss = 0;
    for (int j = 0; j < w.length; j++) {
      double s = 0;
      for (int k = 0; k < x.length; k++) {
        s += w[j][k] * x[k];
      }
      loss += 1 / (1 + Math.exp(-s));
    }
    return loss;
  }

  @Differentiable
  static double whileLocal(double[] x, double c) {
    double s = 0;
    int i = 0;
    while (i < x.length && x[i] < 10) {
      double a = c * x[i];
      s += a * a;
      i++;
    }
    return s;
  }

  @Differentiable
  static double untilNegative(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length && x[i] >= 0; i++) {
      double a = x[i] * x[i];
      s += Math.sin(a);
    }
    return s;
  }
}
