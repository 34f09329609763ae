package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** JVPs and HVPs of records: a record parameter, and a model record's method calling it. */
final class RecordForward {
  record Layer(double[] w, double b, int n) {}

  @Differentiable(forward = true, hessian = true)
  static double unit(Layer l, @NoDerivative double[] x) {
    double z = l.b();
    for (int i = 0; i < l.n(); i++) {
      z += l.w()[i] * x[i];
    }
    return Math.tanh(z);
  }

  record Model(double[] w, double c) {
    @Differentiable(forward = true, hessian = true)
    double loss(@NoDerivative double[] x, double y) {
      double e = unit(new Layer(w, c, x.length), x) - y;
      return e * e;
    }
  }
}
