package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code StopGradient.stopGradient}: the value passes through, the derivative is zero, in any
 * expression and as the argument of a {@code @NoDerivative} parameter, with and without the
 * analyses. Finite differences would see the dropped derivative, so partials are derived by hand;
 * values that carry no derivative into a {@code @NoDerivative} parameter need no wrapper and are
 * checked against finite differences.
 */
class StopGradientTest {
  private static final String CLS = "p.Stop";
  private static Compiled on;
  private static Compiled off;

  @BeforeAll
  static void compile() {
    JavaFileObject source = Compiled.source(CLS, """
        package p;
        import dev.adjoint.*;
        import static dev.adjoint.StopGradient.stopGradient;
        class Stop {
          @Differentiable static double g(double a, @NoDerivative double t) { return a * t; }
          @Differentiable static double sum(double[] a, @NoDerivative double[] w) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i] * w[i];
            return s;
          }
          @Differentiable static double stopped(double x, double y) {
            return g(y, StopGradient.stopGradient(x * x)) + x;
          }
          @Differentiable static double inExpression(double x) {
            return x * stopGradient(x) + Math.sin(stopGradient(x));
          }
          @Differentiable static float floats(float x) {
            return 2 * x * stopGradient(x);
          }
          @Differentiable static double arrayStopped(double[] a, double x) {
            double[] b = new double[a.length];
            for (int i = 0; i < a.length; i++) b[i] = a[i] * x;
            return sum(a, stopGradient(b));
          }
          // u carried a derivative earlier but holds a constant where g is called
          @Differentiable static double reassignedBeforeTheCall(double x, double y) {
            double u = x * x;
            y = y + u;
            u = 2;
            return g(y, u);
          }
          // each iteration's v is set from t alone before the call, whatever it held before
          @Differentiable static double reassignedInEveryIteration(double x, @NoDerivative double t) {
            double s = 0;
            double v = x;
            for (int i = 0; i < 3; i++) {
              if (i > 0) v = t * i; else v = t;
              s += g(x * s + 1, v);
              v = s * x;
            }
            return s + v;
          }
          @Differentiable static double inactiveArgument(double x, @NoDerivative double t) {
            double u = t * 2;
            return g(x, u + 1) + g(x * x, Math.cos(t));
          }
        }
        """);
    on = Compiled.of(source);
    off = Compiled.of(List.of("-Aadjoint.analyses=off"), source);
  }

  @Test
  void stoppedArgumentOfANoDerivativeParameter() {
    for (Compiled c : List.of(on, off)) {
      // y x^2 + x: d/dx = 1 (x^2 is stopped), d/dy = x^2
      Check.exact(c, CLS, "stopped", expect(1.5 * 0.49 + 0.7, 1, 0.49), 0.7, 1.5);
    }
  }

  @Test
  void stoppedValueInAnExpressionIsAConstant() {
    for (Compiled c : List.of(on, off)) {
      // x * x0 + sin(x0): d/dx = x0
      Check.exact(c, CLS, "inExpression", expect(0.09 + Math.sin(-0.3), -0.3), -0.3);
      Check.exactFloat(c, CLS, "floats", expect(2 * 1.5 * 1.5, 2 * 1.5), 1.5f);
    }
  }

  @Test
  void stoppedArrayArgument() throws Exception {
    for (Compiled c : List.of(on, off)) {
      double[] a = {0.5, -1.25, 2};
      Object record = c.invoke(CLS + "Grad", "arrayStopped", a.clone(), 3.0);
      // sum_i a_i (a_i x) with the weights stopped: d/da_i = a_i x, d/dx = 0
      var comps = record.getClass().getRecordComponents();
      assertEquals(3 * (0.25 + 1.5625 + 4), (double) comps[0].getAccessor().invoke(record), 1e-12);
      assertArrayEquals(new double[] {1.5, -3.75, 6},
          (double[]) comps[1].getAccessor().invoke(record), 1e-12);
      assertEquals(0.0, (double) comps[2].getAccessor().invoke(record));
    }
  }

  @Test
  void argumentsWithoutDerivativeNeedNoWrapper() {
    for (Compiled c : List.of(on, off)) {
      ArrayGradientCheck.check(c, CLS, "inactiveArgument", 0.8, 1.3);
      ArrayGradientCheck.check(c, CLS, "inactiveArgument", -2.1, 0.4);
      ArrayGradientCheck.check(c, CLS, "reassignedBeforeTheCall", 0.8, 1.3);
      ArrayGradientCheck.check(c, CLS, "reassignedInEveryIteration", 0.8, 1.3);
      ArrayGradientCheck.check(c, CLS, "reassignedInEveryIteration", -0.6, 0.4);
    }
  }

  @Test
  void runtimeIsTheIdentity() {
    double[] a = {1, 2};
    float[][] m = {{1}};
    assertEquals(2.5, dev.adjoint.StopGradient.stopGradient(2.5));
    assertEquals(2.5f, dev.adjoint.StopGradient.stopGradient(2.5f));
    assertEquals(a, dev.adjoint.StopGradient.stopGradient(a));
    assertEquals(m, dev.adjoint.StopGradient.stopGradient(m));
  }
}
