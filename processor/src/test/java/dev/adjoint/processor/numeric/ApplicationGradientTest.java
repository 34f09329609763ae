package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static dev.adjoint.processor.numeric.Check.wrt;
import static dev.adjoint.processor.testing.Compiled.source;
import static dev.adjoint.processor.testing.GradientAssert.checkDoubles;
import static dev.adjoint.processor.testing.GradientAssert.checkDoublesAt;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.Compiled;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Larger functions that combine the constructs, as users write them. */
class ApplicationGradientTest {
  private static final String CLS = "p.Apps";
  private static Compiled c;

  @BeforeAll
  static void compile() {
    c = Compiled.of(source(CLS, """
        package p;
        import dev.adjoint.*;
        class Apps {
          @Differentiable static double rosenbrock(double x, double y) {
            double a = 1 - x;
            double b = y - x * x;
            return a * a + 100 * b * b;
          }
          @Differentiable static double himmelblau(double x, double y) {
            double u = x * x + y - 11;
            double v = x + y * y - 7;
            return u * u + v * v;
          }
          /** Standard normal CDF, Abramowitz and Stegun 26.2.17, with symmetry by recursion. */
          @Differentiable static double normalCdf(double x) {
            if (x < 0) {
              return 1 - normalCdf(-x);
            }
            double t = 1 / (1 + 0.2316419 * x);
            double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937
                + t * (-1.821255978 + t * 1.330274429))));
            return 1 - Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) * poly;
          }
          @Differentiable static double blackScholesCall(double spot, double strike,
              double rate, double vol, double time) {
            double sqrtT = Math.sqrt(time);
            double d1 = (Math.log(spot / strike) + (rate + 0.5 * vol * vol) * time)
                / (vol * sqrtT);
            double d2 = d1 - vol * sqrtT;
            return spot * normalCdf(d1) - strike * Math.exp(-rate * time) * normalCdf(d2);
          }
          @Differentiable static double logisticLoss(double w0, double w1, double w2,
              @NoDerivative double x1, @NoDerivative double x2, int label) {
            double z = w0 + w1 * x1 + w2 * x2;
            double p = 1 / (1 + Math.exp(-z));
            double loss;
            if (label == 1) {
              loss = -Math.log(p);
            } else {
              loss = -Math.log(1 - p);
            }
            return loss + 0.01 * (w1 * w1 + w2 * w2);
          }
          @Differentiable static double cubicSpline(double x, double a, double b) {
            double t;
            if (x < 0) {
              t = x + 1;
              return a * t * t * t;
            } else if (x < 1) {
              t = x;
              double s = 1 - t;
              return a * s * s * s + b * t * t * t;
            }
            t = x - 1;
            return b * (1 - t) + t * t * a;
          }
          @Differentiable static double newtonSqrtThreeSteps(double a) {
            double x = a;
            x = 0.5 * (x + a / x);
            x = 0.5 * (x + a / x);
            x = 0.5 * (x + a / x);
            return x;
          }
          @Differentiable static double projectileRange(double speed, double angleDegrees,
              @NoDerivative double g) {
            double theta = Math.toRadians(angleDegrees);
            double vx = speed * Math.cos(theta);
            double vy = speed * Math.sin(theta);
            double flight = 2 * vy / g;
            return vx * flight;
          }
        }
        """));
  }

  @Test
  void optimisationTestFunctions() {
    // Rosenbrock's minimum (1, 1) has zero gradient; at (0, 0): value 1, gradient (-2, 0)
    Check.exact(c, CLS, "rosenbrock", expect(0, 0, 0), 1.0, 1.0);
    Check.exact(c, CLS, "rosenbrock", expect(1, -2, 0), 0.0, 0.0);
    Check.exact(c, CLS, "himmelblau", expect(0, 0, 0), 3.0, 2.0);
    checkDoubles(c, CLS, "rosenbrock", 2, -2, 2, 20, 1);
    checkDoubles(c, CLS, "himmelblau", 2, -4, 4, 20, 2);
  }

  @Test
  void blackScholes() {
    // The CDF's derivative is the normal density (up to the approximation's error, about 1e-5
    // relative); at 0 that is 1 / sqrt(2 pi)
    double[] g = c.gradient(CLS, "normalCdf", 0.0);
    assertEquals(0.5, g[0], 1e-7);
    assertEquals(1 / Math.sqrt(2 * Math.PI), g[1], 1e-4);
    for (double x : new double[] {-2.5, -0.7, 0.3, 1.9}) {
      checkDoublesAt(c, CLS, "normalCdf", x);
    }
    checkDoublesAt(c, CLS, "blackScholesCall", 100.0, 95.0, 0.03, 0.25, 0.5);
    checkDoublesAt(c, CLS, "blackScholesCall", 80.0, 100.0, 0.01, 0.4, 2.0);
    // delta = N(d1) for the call (exactly so only for the exact CDF)
    double[] bs = c.gradient(CLS, "blackScholesCall", 100.0, 95.0, 0.03, 0.25, 0.5);
    double d1 = (Math.log(100.0 / 95) + (0.03 + 0.5 * 0.0625) * 0.5) / (0.25 * Math.sqrt(0.5));
    assertEquals(c.value(CLS, "normalCdf", d1), bs[1], 1e-4);
  }

  @Test
  void logisticRegression() {
    for (int label : new int[] {0, 1}) {
      Check.random(c, CLS, "logisticLoss", wrt(0, 1, 2), -2, 2, 10, label,
          0.0, 0.0, 0.0, 0.8, -1.3, label);
    }
    // at w = 0: p = 1/2, d loss / d w0 = p - label
    Check.exact(c, CLS, "logisticLoss", expect(Math.log(2), -0.5, -0.5 * 0.8, -0.5 * -1.3),
        0.0, 0.0, 0.0, 0.8, -1.3, 1);
  }

  @Test
  void piecewisePolynomialsAndIterations() {
    for (double x : new double[] {-0.6, 0.4, 1.7}) {
      checkDoublesAt(c, CLS, "cubicSpline", x, 1.5, -0.5);
    }
    checkDoubles(c, CLS, "newtonSqrtThreeSteps", 1, 0.5, 4, 20, 3);
    // at a = 1 every iterate is 1 and each step keeps dx/da = 1/2 = d sqrt(a) / da
    Check.exact(c, CLS, "newtonSqrtThreeSteps", expect(1, 0.5), 1.0);
    // range v^2 sin(2 theta) / g: at 45 degrees d/dv = 2 v / g
    Check.random(c, CLS, "projectileRange", wrt(0, 1), 10, 60, 10, 4, 0.0, 0.0, 9.81);
    double[] r = c.gradient(CLS, "projectileRange", 20.0, 45.0, 9.81);
    assertEquals(2 * 20 / 9.81, r[1], 1e-9);
  }
}
