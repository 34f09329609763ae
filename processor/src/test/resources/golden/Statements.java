package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.StopGradient;

/**
 * Loops left only by return, derivatives dropped on purpose, arrays written in place, a void
 * helper writing an out-parameter.
 */
class Statements {
  @Differentiable
  static double halve(double x) {
    double y = x;
    while (true) {
      y = y * 0.5;
      if (y < 1) {
        return y;
      }
    }
  }

  @Differentiable
  static double scaled(double a, @NoDerivative double t) {
    return a * t;
  }

  @Differentiable
  static double stopped(double x, double y) {
    return scaled(y, StopGradient.stopGradient(x * x)) + x;
  }

  @Differentiable
  static double sortedWeightedSum(double[] x) {
    for (int i = 1; i < x.length; i++) {
      double key = x[i];
      int j = i - 1;
      while (j >= 0 && x[j] > key) {
        x[j + 1] = x[j];
        j--;
      }
      x[j + 1] = key;
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += (i + 1) * x[i];
    }
    return s;
  }

  @Differentiable
  static void dense(double[] x, double[] w, double[] out) {
    for (int j = 0; j < out.length; j++) {
      double s = 0;
      for (int i = 0; i < x.length; i++) {
        s += w[j * x.length + i] * x[i];
      }
      out[j] = Math.tanh(s);
    }
  }

  @Differentiable
  static double net(double[] x, double[] w1, double[] w2) {
    double[] h = new double[2];
    dense(x, w1, h);
    double[] o = new double[1];
    dense(h, w2, o);
    return o[0] * o[0];
  }
}
