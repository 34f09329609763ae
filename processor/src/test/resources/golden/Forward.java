package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** Forward mode and Hessian-vector products: a neuron, a loop over an array, a call, powers. */
class Forward {
  @Differentiable(forward = true, hessian = true)
  static double loss(double w, double b, double x, @NoDerivative double target) {
    double y = w * x + b;
    double error = y - target;
    return 0.5 * error * error;
  }

  @Differentiable(forward = true)
  static double[] softplus(double[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Math.log1p(Math.exp(x[i]));
    }
    return out;
  }

  @Differentiable
  static double sq(double a) {
    return a * a;
  }

  @Differentiable(forward = true)
  static double caller(double x, double y) {
    double a = sq(x) + y;
    if (a > 1) {
      a = Math.sin(a);
    }
    return sq(a) * 2;
  }

  /** Dot products, whose sums the JVP runs side by side. */
  @Differentiable(forward = true, hessian = true)
  static double dots(double[] w, @NoDerivative double[] x, int n) {
    int d = w.length;
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double z = 0;
      for (int j = 0; j < d; j++) {
        z += w[j] * x[i * d + j];
      }
      double e = Math.tanh(z) - 0.5;
      loss += e * e;
    }
    return loss;
  }

  /** Powers: the value of each pow is kept in a local, which its tangent reuses. */
  @Differentiable(forward = true, hessian = true)
  static double power(double x, double b) {
    double y = Math.pow(x, 3);
    return y + Math.pow(x, b) * b;
  }
}
