package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static dev.adjoint.processor.numeric.Check.wrt;
import static dev.adjoint.processor.testing.Compiled.source;
import static dev.adjoint.processor.testing.GradientAssert.checkFloats;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Functions that return float: float arithmetic, locals, Math, branches and calls. */
class FloatFunctionGradientTest {
  private static final String CLS = "p.Fl";
  private static Compiled c;

  @BeforeAll
  static void compile() {
    c = Compiled.of(source(CLS, """
        package p;
        import dev.adjoint.*;
        class Fl {
          static final float SCALE = 1.5f;

          @Differentiable static float arithmetic(float x, float y) {
            return x * y - x / (y * y + 1) + -x + 2.5f * y - 3;
          }
          @Differentiable static float remainder(float x, float y) { return x % y; }
          @Differentiable static float compound(float x, float y) {
            float a = x;
            a += y;
            a *= x;
            a -= 2 * y;
            a /= 3;
            return a * SCALE;
          }
          @Differentiable static float mathFunctions(float x, float y) {
            float s = (float) Math.sqrt(x * x + y * y);
            return s + Math.abs(x) * Math.max(x, y + 3) + (float) Math.exp(-s) + Math.fma(x, y, s);
          }
          @Differentiable static float ternary(float x, float y) {
            return x > y ? x * x : (float) Math.sin(y) * x;
          }
          @Differentiable static float branches(float x, float y) {
            float a = x;
            if (x > 0) {
              a = a * y;
            } else if (y > 0) {
              return a - y;
            } else {
              a = a * a;
            }
            return a + x;
          }
          @Differentiable static float sq(float a) { return a * a; }
          @Differentiable static double dsq(double a) { return a * a; }
          @Differentiable static float calls(float x, float y) {
            return sq(x) * y + (float) dsq(x + y);
          }
          @Differentiable static float fromDouble(float x, @NoDerivative double y) {
            double d = x * y;
            return (float) (d * d);
          }
          @Differentiable static float integralResult(float x, int n) { return n / 2 + x * n; }
          @Differentiable static float longMixed(float x, long m) { return x * 3L + m; }
        }
        """));
  }

  @Test
  void randomPoints() {
    checkFloats(c, CLS, "arithmetic", 2, -2, 2, 20, 1);
    checkFloats(c, CLS, "compound", 2, -2, 2, 20, 2);
    checkFloats(c, CLS, "mathFunctions", 2, 0.2, 2, 20, 3);
    checkFloats(c, CLS, "ternary", 2, -2, 2, 20, 4);
    checkFloats(c, CLS, "branches", 2, -2, 2, 20, 5);
    checkFloats(c, CLS, "calls", 2, -2, 2, 20, 6);
    Check.random(c, CLS, "fromDouble", wrt(0), -2, 2, 10, 7, 0f, 1.25);
    Check.random(c, CLS, "integralResult", wrt(0), -2, 2, 10, 8, 0f, 7);
    // x % y away from multiples of y
    for (float[] p : new float[][] {{5.5f, 2f}, {-5.5f, 2f}, {7.1f, -3f}, {0.4f, 1.3f}}) {
      Check.at(c, CLS, "remainder", wrt(0, 1), p[0], p[1]);
    }
  }

  @Test
  void exactValues() {
    // x y - x / (y^2 + 1) - x + 2.5 y - 3 at (2, 1): d/dx = y - 1/2 - 1, d/dy = x + 2xy/4 + 2.5
    Check.exactFloat(c, CLS, "arithmetic", expect(2 - 1 - 2 + 2.5 - 3, 1 - 0.5 - 1, 2 + 1 + 2.5),
        2f, 1f);
    Check.exactFloat(c, CLS, "remainder", expect(1.5, 1, -2), 5.5f, 2f);
    // ((x + y) x - 2y) / 3 * 1.5 = ((x + y) x - 2 y) / 2 at (2, 1): (6 - 2) / 2;
    // d/dx = (2x + y) / 2 = 2.5, d/dy = (x - 2) / 2 = 0
    Check.exactFloat(c, CLS, "compound", expect(2, 2.5, 0), 2f, 1f);
    // x > y: x^2
    Check.exactFloat(c, CLS, "ternary", expect(9, 6, 0), 3f, 1f);
    // x <= 0, y > 0: returns x - y
    Check.exactFloat(c, CLS, "branches", expect(-3, 1, -1), -1f, 2f);
    // sq(x) y + (x + y)^2 at (1, 2): 2 + 9; d/dx = 2xy + 2(x + y) = 10, d/dy = x^2 + 6 = 7
    Check.exactFloat(c, CLS, "calls", expect(11, 10, 7), 1f, 2f);
    // n / 2 is integer division; no component for n
    Check.exactFloat(c, CLS, "integralResult", expect(3 + 14, 7), 2f, 7);
    Check.exactFloat(c, CLS, "longMixed", expect(6 + 5, 3), 2f, 5L);
    assertEquals(float.class,
        c.invoke(CLS + "Grad", "arithmetic", 1f, 1f).getClass().getRecordComponents()[0]
            .getType());
  }

  @Test
  void cancellingOccurrencesOfAFloatInADoubleExpressionKeepTheTinyRest() {
    // The occurrences of x contribute t' - 1 + 1 to its adjoint, t' = 2x (1 - tanh^2(x^2 + 9.5))
    // about -1e-8: summed in float (as the merged update once did) the rest is rounded away and
    // the gradient is exactly 0; the double expression's partials must be summed as double.
    String cls = "p.Cancelling";
    var src = source(cls, """
        package p;
        import dev.adjoint.*;
        class Cancelling {
          @Differentiable static double cancelling(float x) {
            return (Math.tanh(x * x + 9.5) - x) + x;
          }
        }
        """);
    float x = -0.7591133f;
    double t = Math.tanh((double) (x * x) + 9.5);
    double exact = 2 * x * (1 - t * t);
    for (Compiled compiled : List.of(Compiled.of(src),
        Compiled.of(List.of("-Aadjoint.analyses=off"), src))) {
      double g = compiled.gradient(cls, "cancelling", x)[1];
      assertEquals(exact, g, 1e-5 * Math.abs(exact), compiled.generatedSource(cls + "Grad"));
    }
  }
}
