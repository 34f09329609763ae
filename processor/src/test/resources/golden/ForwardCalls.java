package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.DerivativeOf;
import dev.adjoint.JvpOf;

/** Forward mode and Hessian-vector products through calls: a hand-written JVP, a callee. */
class ForwardCalls {
  static double softplus(double x) {
    return Math.log1p(Math.exp(x));
  }

  @DerivativeOf("softplus")
  static double softplusPullback(double x, double seed) {
    return seed / (1 + Math.exp(-x));
  }

  @JvpOf("softplus")
  @Differentiable
  static double softplusJvp(double x, double y, double tX) {
    return tX / (1 + Math.exp(-x));
  }

  @Differentiable(forward = true)
  static double smooth(double x, double y) {
    double z = softplus(x * y);
    return z * y;
  }

  @Differentiable
  static double sq(double a) {
    return a * a;
  }

  @Differentiable(hessian = true)
  static double energy(double x, double y) {
    double a = sq(x - y) + softplus(y);
    return a * sq(x);
  }
}
