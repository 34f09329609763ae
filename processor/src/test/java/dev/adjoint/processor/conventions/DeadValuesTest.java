package dev.adjoint.processor.conventions;

import static dev.adjoint.processor.testing.Compiled.source;
import static dev.adjoint.processor.testing.GradientAssert.checkDoublesAt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values that do not reach the result contribute nothing to the gradient, even where their
 * partial is infinite or NaN: a value computed before its domain is checked ({@code sqrt},
 * {@code log}, division, {@code pow}, {@code acos}, ... then {@code if (x <= 0) return ...}),
 * in straight code, in loops with {@code break} and {@code continue}, in float and double, with
 * the analyses on and off. At each point the function is smooth (finite differences are
 * finite), and the gradient must match them: never NaN.
 */
class DeadValuesTest {
  private static final String CLS = "p.Dead";
  private static final String SOURCE = """
      package p;
      import dev.adjoint.*;
      class Dead {
        @Differentiable static double safeSqrt(double x) {
          double r = Math.sqrt(x);
          if (x <= 0) return 0;
          return r;
        }
        @Differentiable static float safeSqrtFloat(float x) {
          float r = (float) Math.sqrt(x);
          if (x <= 0) return 0;
          return r;
        }
        @Differentiable static double safeLog(double x, double y) {
          double l = Math.log(x);
          double m = l * y;
          if (x <= 0) return y * y;
          return m;
        }
        @Differentiable static float safeLogFloat(float x, float y) {
          float l = (float) Math.log(x);
          float m = l * y;
          if (x <= 0) return y * y;
          return m;
        }
        @Differentiable static double safeDivide(double a, double b) {
          double q = a / b;
          if (Math.abs(b) < 1) return a * a;
          return q;
        }
        @Differentiable static double safePow(double x, double y) {
          double p = Math.pow(x, y);
          if (x < 0) return -x * y;
          return p;
        }
        @Differentiable static double safeAcos(double x) {
          double t = Math.acos(x) + Math.asin(x);
          if (Math.abs(x) > 1) return 0.5 * x;
          return t * x;
        }
        @Differentiable static double safeLog10Cbrt(double x) {
          double u = Math.log10(x) + Math.cbrt(x) + Math.log1p(x);
          if (x < 0.5) return x;
          return u;
        }
        @Differentiable static double softplus(double x) {
          double e = Math.exp(x);
          if (x > 30) return x;
          return Math.log1p(e);
        }
        @Differentiable static double ternary(double x) {
          double r = Math.sqrt(x);
          return x > 0 ? r : x * x;
        }
        @Differentiable static double overwritten(double x) {
          double r = Math.sqrt(x);
          double s = r;
          r = x * 3;
          if (x < 0) return r;
          return s + r;
        }
        @Differentiable static double compound(double x, double y) {
          double s = y;
          s *= Math.log(x);
          s /= x;
          if (x <= 0) return y * 2;
          return s;
        }
        @Differentiable static double deadAfterUse(double a, double e) {
          double s = e * a;
          e /= 2 + Math.sin(Math.log(a));
          return s;
        }
        @Differentiable static double neverUsed(double a, double e) {
          e /= 2 + Math.sin(Math.log(a));
          return 3;
        }
        @Differentiable static double loopContinue(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            double r = Math.sqrt(x[i]);
            double l = Math.log(x[i]);
            if (x[i] <= 0) continue;
            s += r * l;
          }
          return s;
        }
        @Differentiable static float loopContinueFloat(float[] x) {
          float s = 0;
          for (int i = 0; i < x.length; i++) {
            float r = (float) Math.sqrt(x[i]);
            if (x[i] <= 0) continue;
            s += r;
          }
          return s;
        }
        @Differentiable static double loopBreak(double[] x, double w) {
          double s = 0;
          int i = 0;
          while (i < x.length) {
            double q = w / x[i];
            if (x[i] < 0.1) break;
            s += q;
            i++;
          }
          return s;
        }
        @Differentiable static double carried(double[] x) {
          double s = 0;
          double prev = 1;
          for (int i = 0; i < x.length; i++) {
            double r = Math.log(x[i]) * prev;
            if (x[i] > 0) {
              s += r;
            }
            prev = x[i];
          }
          return s;
        }
        @Differentiable static double elements(double[] x) {
          double[] r = new double[x.length];
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            r[i] = Math.acos(x[i]);
          }
          for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) <= 1) {
              s += r[i];
            } else {
              s += x[i];
            }
          }
          return s;
        }
        @Differentiable static double pick(double u, double v) {
          if (v < 0) return v;
          return u;
        }
        @Differentiable static double tailCall(double x) {
          return pick(Math.sqrt(x), x);
        }
        @Differentiable static double callThenUse(double x) {
          double y = pick(Math.sqrt(x), x);
          return y * 2;
        }
      }
      """;

  private static Compiled optimised;
  private static Compiled unoptimised;

  @BeforeAll
  static void compile() {
    optimised = Compiled.of(source(CLS, SOURCE));
    unoptimised = Compiled.of(List.of("-Aadjoint.analyses=off"), source(CLS, SOURCE));
  }

  private static List<Compiled> both() {
    return List.of(optimised, unoptimised);
  }

  @ParameterizedTest
  @ValueSource(strings = {"safeSqrt", "safeAcos", "safeLog10Cbrt", "softplus", "ternary",
      "overwritten", "tailCall", "callThenUse"})
  void oneArgumentOnEitherSideOfTheDomainCheck(String method) {
    for (Compiled c : both()) {
      for (double x : new double[] {-3, -1.5, -0.25, 0.2, 0.7, 0.9, 2, 5, 40, 1000}) {
        checkDoublesAt(c, CLS, method, x);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"safeLog", "safePow", "safeDivide", "compound", "deadAfterUse",
      "neverUsed"})
  void twoArguments(String method) {
    for (Compiled c : both()) {
      for (double x : new double[] {-3, -1, -0.5, 0.5, 2, 5}) {
        for (double y : new double[] {-2, -0.5, 0.25, 3}) {
          checkDoublesAt(c, CLS, method, x, y);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"safeSqrtFloat", "safeLogFloat"})
  void floats(String method) {
    for (Compiled c : both()) {
      for (float x : new float[] {-3, -1, -0.25f, 0.5f, 2, 5}) {
        Object[] args = method.equals("safeLogFloat") ? new Object[] {x, 1.5f} : new Object[] {x};
        double[] g = c.gradient(CLS, method, args);
        float[] point = method.equals("safeLogFloat") ? new float[] {x, 1.5f} : new float[] {x};
        GradCheck.Report r = GradCheck.compare((GradCheck.FloatFunction) v -> c.value(CLS, method,
            v.length == 2 ? new Object[] {v[0], v[1]} : new Object[] {v[0]}), point,
            Arrays.copyOfRange(g, 1, g.length));
        assertTrue(r.passes(GradCheck.FLOAT_TOLERANCE), method + " at " + x + ": " + r);
      }
    }
  }

  /** At the boundary itself (x = 0): the path taken returns 0, so the derivative is 0. */
  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.0, -1, Double.NEGATIVE_INFINITY})
  void pathDerivativeAtAndBelowTheBoundary(double x) {
    for (Compiled c : both()) {
      assertEquals(0.0, c.gradient(CLS, "safeSqrt", x)[1]);
    }
  }

  /**
   * Division by zero on the path not taken: {@code q = a / b} with b = 0 is Infinity or NaN, but
   * the function returns a * a there.
   */
  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.0})
  void divisionByZeroNotTaken(double b) {
    for (Compiled c : both()) {
      assertArrayEquals(new double[] {9, 6, 0}, c.gradient(CLS, "safeDivide", 3.0, b));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"loopContinue", "loopBreak", "carried", "elements"})
  void loops(String method) {
    double[][] points = {
      {1.5, -2, 0.5, 3}, {-1.5, -2, -3}, {0.25, 0.5, 2}, {2, 0.05, 3, 4}, {-0.5, 2, 0.7},
      {0.05, 1.5, 0.5}};
    for (Compiled c : both()) {
      for (double[] x : points) {
        if (method.equals("loopBreak")) {
          ArrayGradientCheck.check(c, CLS, method, x, 1.5);
        } else {
          ArrayGradientCheck.check(c, CLS, method, (Object) x);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"loopContinueFloat"})
  void floatLoops(String method) {
    float[][] points = {{1.5f, -2, 0.5f, 3}, {-1, -2, -3}, {0.25f, 0.5f, 2}};
    for (Compiled c : both()) {
      for (float[] x : points) {
        ArrayGradientCheck.check(c, CLS, method, (Object) x);
      }
    }
  }
}
