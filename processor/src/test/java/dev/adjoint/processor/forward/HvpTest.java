package dev.adjoint.processor.forward;

import static dev.adjoint.processor.testing.Compiled.source;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.Compiled;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hessian-vector products ({@code @Differentiable(hessian = true)}): against central finite
 * differences of the generated gradient, closed forms, and symmetry {@code u·Hv == v·Hu}, with
 * the analyses on and off.
 */
class HvpTest {
  private static final String CLS = "p.Hv";

  static JavaFileObject hvSource() {
    return source(CLS, """
        package p;
        import dev.adjoint.*;
        class Hv {
          @Differentiable(hessian = true)
          static double quadratic(double x, double y) {
            return 3 * x * x + 2 * x * y + 5 * y * y;
          }
          @Differentiable(hessian = true, forward = true)
          static double rosenbrock(double[] x) {
            double s = 0;
            for (int i = 0; i + 1 < x.length; i++) {
              double a = x[i + 1] - x[i] * x[i];
              double c = 1 - x[i];
              s += 100 * a * a + c * c;
            }
            return s;
          }
          @Differentiable(hessian = true)
          static double logistic(double[] w, @NoDerivative double[][] x, int[] y, double l2) {
            double loss = 0;
            for (int i = 0; i < x.length; i++) {
              double z = 0;
              for (int j = 0; j < w.length; j++) {
                z += w[j] * x[i][j];
              }
              loss += Math.log1p(Math.exp(-z)) + (1 - y[i]) * z;
            }
            double reg = 0;
            for (double v : w) reg += v * v;
            return loss / x.length + 0.5 * l2 * reg;
          }
          @Differentiable(hessian = true)
          static double branches(double x, double y) {
            double z = x * y;
            if (z > 1) {
              z = Math.sin(z) * x;
            } else if (z < -1) {
              double q = z * z;
              z = q / y;
            }
            z *= x;
            if (x > 3) return z;
            double w = Math.exp(z) + Math.max(x, y);
            return z * w;
          }
          @Differentiable(hessian = true)
          static double math(double x, double y) {
            return Math.sin(x) * Math.cos(y) + Math.tanh(x * y) + Math.sqrt(x * x + y * y + 1)
                + Math.pow(y * y + 1, x) + Math.atan2(y, x + 3) + Math.log(x * x + 2)
                + Math.hypot(x, y + 2) + Math.cbrt(x + 5);
          }
          @Differentiable(hessian = true)
          static float floats(float x, float y) {
            return x * x * y + (float) Math.exp(x * y * 0.5f);
          }
          @Differentiable(hessian = true)
          static double whileLoop(double x, double[] v) {
            double s = x;
            int k = 0;
            while (k < 4) {
              s = Math.sin(s) * v[k % v.length] + s * x;
              k++;
            }
            return s;
          }
          @Differentiable(hessian = true)
          static double matrix(double[][] a, double[] x) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
              double dot = 0;
              for (int j = 0; j < x.length; j++) {
                dot += a[i][j] * x[j];
              }
              s += dot * dot * dot;
            }
            return s;
          }
        }
        """);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("quadratic", new Object[] {0.5, -1.5}),
        Arguments.of("rosenbrock", new Object[] {new double[] {0.3, -1.5, 0.8, 1.2, 2.0}}),
        Arguments.of("logistic", new Object[] {new double[] {0.3, -0.5, 0.2},
            new double[][] {{1, 0.5, -1}, {0.2, -0.3, 2}, {-1, 1, 0.5}, {0.4, 0.4, 0.4}},
            new int[] {1, 0, 1, 0}, 0.1}),
        Arguments.of("branches", new Object[] {2.0, 0.8}),
        Arguments.of("branches", new Object[] {-2.0, 0.8}),
        Arguments.of("branches", new Object[] {0.3, 0.2}),
        Arguments.of("math", new Object[] {0.7, 0.4}),
        Arguments.of("floats", new Object[] {0.5f, -0.7f}),
        Arguments.of("whileLoop", new Object[] {0.8, new double[] {0.5, -0.2, 1.1}}),
        Arguments.of("matrix", new Object[] {new double[][] {{0.3, 0.4}, {-0.2, 0.5},
            {1.0, 0.1}}, new double[] {0.7, -0.3}}));
  }

  private static final OnAndOff COMPILED = new OnAndOff(CLS, HvpTest::hvSource);

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hvpMatchesFiniteDifferencesOfTheGradientAndIsSymmetric(String method, Object[] args) {
    COMPILED.hvp(method, args);
  }

  @Test
  void quadraticHasItsConstantHessian() {
    // H = [[6, 2], [2, 10]]
    Object r = COMPILED.compiled(true).invoke(CLS + "Grad", "quadraticHvp", 0.5, -1.5, 1.0, 2.0);
    assertEquals("QuadraticHvp[value=10.5, x=10.0, y=22.0]", r.toString());
  }

  @Test
  void rosenbrockHessianInClosedForm() {
    double[] x = {0.3, -1.5, 0.8};
    double[] v = {1.0, -2.0, 0.5};
    Object r = COMPILED.compiled(true).invoke(CLS + "Grad", "rosenbrockHvp", x, v);
    double[] hv = (double[]) component(r, "x");
    // H of sum 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, by hand
    double[][] h = new double[3][3];
    for (int i = 0; i + 1 < 3; i++) {
      h[i][i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
      h[i][i + 1] += -400 * x[i];
      h[i + 1][i] += -400 * x[i];
      h[i + 1][i + 1] += 200;
    }
    double[] expected = new double[3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        expected[i] += h[i][j] * v[j];
      }
    }
    assertArrayEquals(expected, hv, 1e-10);
  }

  private static Object component(Object record, String name) {
    try {
      return record.getClass().getMethod(name).invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
