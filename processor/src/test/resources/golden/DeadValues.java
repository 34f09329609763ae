package golden;

import dev.adjoint.Differentiable;

/**
 * Values that do not reach the result. A statement whose value reaches it on no path has no
 * reverse code and saves nothing for itself; a pullback whose partial can be infinite or NaN
 * (computed before its domain is checked) runs only when its adjoint is non-zero.
 */
final class DeadValues {
  /** The square root of a negative x is NaN, its partial too; the path taken returns 0. */
  @Differentiable
  static double safeSqrt(double x) {
    double r = Math.sqrt(x);
    if (x <= 0) return 0;
    return r;
  }

  /** e's new value is used nowhere: no reverse code for it, only the restore s needs. */
  @Differentiable
  static double deadUpdate(double a, double e) {
    double s = e * a;
    e /= 2 + Math.sin(Math.log(a));
    double unused = s * Math.exp(a);
    return s;
  }

  /** In a loop: t's first value each iteration is overwritten before any use. */
  @Differentiable
  static double deadInLoop(double[] x, double a) {
    double s = 0;
    double t = a;
    for (int i = 0; i < x.length; i++) {
      t = Math.acos(x[i]) * t;
      s += x[i] * a;
      t = s;
    }
    return s + t;
  }

  /** Sums and products of parameters can be neither infinite nor NaN: no guard. */
  @Differentiable
  static double noGuard(double x, double y) {
    double p = x * y;
    double q = Math.sin(p) + y;
    if (x > 0) return q * q;
    return p;
  }

  /** The logarithm before its check, inside a loop that skips it with continue. */
  @Differentiable
  static double logOfPositives(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double l = Math.log(x[i]);
      if (x[i] <= 0) continue;
      s += l * x[i];
    }
    return s;
  }
}
