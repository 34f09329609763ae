package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** Forward mode and Hessian-vector products: a neuron, a loop over an array, a call. */
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
}
