package golden;

import dev.adjoint.Differentiable;

/** Branches, early returns and overwritten values. */
class Branches {
  @Differentiable
  static double piecewise(double x, double y) {
    double z = x * y;
    if (z > 1) {
      z = Math.sin(z) * x;
    } else if (z < -1) {
      double q = z * z;
      z = q / y;
    }
    z *= x;
    if (x > 3) {
      return z;
    }
    double w = Math.exp(z) + Math.max(x, y);
    return z * w;
  }
}
