package dev.adjoint.bench;

/**
 * Hand-written Rosenbrock JVPs, to place the generated one: the form forward mode generated
 * before it collected like terms (the product rule's two equal terms each time), and the fastest
 * form found by hand (shared products, the constant factor 2 moved out of the loop).
 */
final class RosenbrockJvpForms {
  private RosenbrockJvpForms() {}

  /** The tangent as generated before like terms were collected. */
  static double productRuleTerms(double[] x, double[] tX) {
    double tS = 0.0;
    double s = 0.0;
    for (int i = 0; i + 1 < x.length; i++) {
      double tA = tX[i + 1] - (tX[i] * x[i] + tX[i] * x[i]);
      double a = x[i + 1] - x[i] * x[i];
      double tC = -tX[i];
      double c = 1.0 - x[i];
      tS += tA * 100.0 * a + tA * (100.0 * a) + (tC * c + tC * c);
      s += 100.0 * a * a + c * c;
    }
    return tS + 0 * s;
  }

  /** The fastest form found by hand. */
  static double byHand(double[] x, double[] tX) {
    double tS = 0.0;
    double s = 0.0;
    for (int i = 0; i + 1 < x.length; i++) {
      double x0 = x[i];
      double t0 = tX[i];
      double a = x[i + 1] - x0 * x0;
      double tA = tX[i + 1] - 2.0 * x0 * t0;
      double c = 1.0 - x0;
      double a100 = 100.0 * a;
      tS += a100 * tA - c * t0;
      s += a100 * a + c * c;
    }
    return 2 * tS + 0 * s;
  }
}
