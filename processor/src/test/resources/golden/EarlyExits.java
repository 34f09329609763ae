package golden;

import dev.adjoint.Differentiable;

/**
 * Early exits that go on past an if on more than one path: the jumps set flags and happen just
 * after the if, so the statements that follow are generated once, not once per path.
 */
final class EarlyExits {
  @Differentiable
  static double guards(double x, double y) {
    double s = x;
    if (y > 0) {
      if (y > 0.5) return s * x;
      s = Math.sin(s * x);
    }
    if (y > 1) {
      if (y > 1.5) return s * x;
      s = Math.sin(s * x);
    }
    s = s * y;
    s = s + x;
    return s * s;
  }

  @Differentiable
  static double skips(double[] a, double x) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > 0) {
        if (a[i] > 1) break;
        s += a[i] * x;
      } else {
        if (a[i] < -1) continue;
        s -= x;
      }
      s = Math.sin(s * x);
      s += a[i];
      s *= 0.5;
    }
    return s;
  }

  @Differentiable
  static double[] firstLarge(double[] a, double x) {
    double[] r = new double[a.length];
    double[] q = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] * x;
      q[i] = r[i] * r[i];
      if (r[i] > 1) return r;
      if (q[i] > 3) return q;
    }
    return r;
  }
}
