package dev.adjoint.processor.forward;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.adjoint.processor.testing.Compiled.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Calls in {@code hessian = true} methods: the Hessian-vector product chains through each
 * callee's directional derivative and its gradient, generated on demand (callees of callees,
 * scalar and array arguments, calls in branches, loops and {@code ?:}, a hand-written JVP that is
 * itself {@code @Differentiable}), checked against finite differences of the generated gradient
 * and for symmetry, with the analyses on and off; and the errors where it cannot.
 */
class HvpCallsTest {
  private static final String CLS = "p.Hc";

  static JavaFileObject hcSource() {
    return source(CLS, """
        package p;
        import dev.adjoint.*;
        class Hc {
          @Differentiable static double sq(double a) { return a * a; }
          @Differentiable static double cube(double a, @NoDerivative double k) {
            return k * a * sq(a);
          }
          @Differentiable static double dot(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i] * b[i];
            return s;
          }
          @Differentiable static double smooth(double x, int n) {
            double s = x;
            for (int i = 0; i < n; i++) s = Math.sin(s) + sq(x);
            return s;
          }
          @Differentiable(hessian = true)
          static double scalars(double x, double y) {
            double a = sq(x) + cube(y, 2);
            double b = x > 0.5 ? sq(a * y) : cube(x, 3);
            if (y < 0) {
              b += smooth(b, 3);
            }
            return sq(a) * 2 + b * cube(x, 1.5) + sq(3);
          }
          @Differentiable(hessian = true)
          static double arrays(double[] w, @NoDerivative double[] x, double c) {
            double[] h = new double[w.length];
            for (int i = 0; i < w.length; i++) h[i] = Math.tanh(w[i] * x[i] * c);
            double s = 0;
            for (int k = 0; k < 3; k++) s += sq(dot(h, w) + k * c);
            return s + dot(w, x) * dot(h, h);
          }
          @Differentiable(hessian = true, forward = true)
          static float floats(float x, float y) {
            return (float) sq(x * y) + (float) cube(x, 2) * y;
          }
          static double softplus(double x) { return Math.log1p(Math.exp(x)); }
          @DerivativeOf("softplus")
          static double softplusPullback(double x, double seed) {
            return seed / (1 + Math.exp(-x));
          }
          @JvpOf("softplus") @Differentiable
          static double softplusJvp(double x, double y, double tX) {
            return tX / (1 + Math.exp(-x));
          }
          @Differentiable(hessian = true)
          static double inPlace(double[] x, double y) {
            for (int i = 1; i < x.length; i++) x[i] += x[i - 1] * y;
            y--;
            return x[x.length - 1] * x[0] * y;
          }
          @Differentiable(hessian = true)
          static double reassigned(double x, double y) {
            x -= 1;
            y *= x;
            return x * y * Math.sin(y);
          }
          @Differentiable(hessian = true)
          static double custom(double x, double y) {
            return softplus(x * y) * softplus(y - x) + sq(softplus(x));
          }
        }
        """);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("scalars", new Object[] {0.8, 0.3}),
        Arguments.of("scalars", new Object[] {0.2, -0.6}),
        Arguments.of("arrays", new Object[] {new double[] {0.3, -0.7, 1.1},
            new double[] {0.5, 1.5, -0.25}, 0.7}),
        Arguments.of("floats", new Object[] {0.75f, -0.5f}),
        Arguments.of("inPlace", new Object[] {new double[] {0.5, -1.5, 2.0}, 0.75}),
        Arguments.of("reassigned", new Object[] {0.4, -1.2}),
        Arguments.of("custom", new Object[] {0.4, -1.2}));
  }

  private static final OnAndOff COMPILED = new OnAndOff(CLS, HvpCallsTest::hcSource);

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hvpMatchesFiniteDifferencesOfTheGradient(String method, Object[] args) {
    COMPILED.hvp(method, args);
  }

  @Test
  void theValueIsTheFunctionsOnTheCallersArgumentsWhichStayUnchanged() {
    // inPlace writes x in place and reassigns y: the HVP's value must still be f(x, y) as called
    for (boolean analyses : new boolean[] {true, false}) {
      double[] x = {0.5, -1.5, 2.0};
      Object r = COMPILED.compiled(analyses).invoke(CLS + "Grad", "inPlaceHvp", x, 0.75,
          new double[] {1, 0, 0}, 0.0);
      assertEquals(expectedInPlace(), (double) component(r, "value"), 0.0);
      org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.5, -1.5, 2.0}, x);
    }
  }

  private static double expectedInPlace() {
    double[] x = {0.5, -1.5, 2.0};
    double y = 0.75;
    for (int i = 1; i < x.length; i++) {
      x[i] += x[i - 1] * y;
    }
    y--;
    return x[x.length - 1] * x[0] * y;
  }

  private static Object component(Object record, String name) {
    try {
      return record.getClass().getMethod(name).invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void directionalFormOfACallee() {
    // sq's directional derivative 2 a t, and its gradient: 2 t with respect to a, 2 a to t
    Object r = COMPILED.compiled(true).invoke(CLS + "Grad", "sqDirectional", 3.0, 0.5);
    assertEquals("SqDirectional[value=3.0, a=1.0, tA=6.0]", r.toString());
  }

  @Test
  void calleesWithoutADirectionalForm() {
    JavaFileObject source = Compiled.source("p.Bad", String.join("\n",
        "package p;",
        "import dev.adjoint.*;",
        "class Bad {",
        "  static double soft(double x) { return Math.log1p(Math.exp(x)); }",
        "  @DerivativeOf(\"soft\") static double softPullback(double x, double seed) {",
        "    return seed / (1 + Math.exp(-x));",
        "  }",
        "  @JvpOf(\"soft\") static double softJvp(double x, double value, double tX) {",
        "    return tX / (1 + Math.exp(-x));",
        "  }",
        "  @Differentiable(hessian = true, forward = true)",
        "  static double g(double x) {",
        "    return soft(x * x);",
        "  }",
        "  static double[] twice(double[] x) { return new double[] {2 * x[0]}; }",
        "  @DerivativeOf(\"twice\") static void twicePullback(double[] x, double[] seed,",
        "      double[] dX) {",
        "    dX[0] += 2 * seed[0];",
        "  }",
        "  @JvpOf(\"twice\")",
        "  static double[] twiceJvp(double[] x, double[] value, double[] tX) {",
        "    return new double[] {2 * tX[0]};",
        "  }",
        "  @Differentiable(hessian = true)",
        "  static double h(double[] x) {",
        "    double[] y = twice(x);",
        "    return y[0] * y[0];",
        "  }",
        "}"));
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorContaining("[AdjointHessianCustomJvp] hessian = true differentiates "
        + "the hand-written JVP Bad.softJvp of Bad.soft once more, in reverse mode, and it is "
        + "neither @Differentiable nor has a pullback of its own: annotate Bad.softJvp with "
        + "@Differentiable (it must be static and pure), or drop hessian here").inFile(source)
        .onLine(13);
    // (an array function's JVP may have a pullback; one taking a scalar and its tangent not)
    assertThat(c).hadErrorContaining("the hand-written JVP Bad.twiceJvp of Bad.twice once more, "
        + "in reverse mode, and it is neither @Differentiable nor has a pullback of its own: "
        + "annotate Bad.twiceJvp with @Differentiable (it must be static and pure), register a "
        + "pullback of it with @DerivativeOf(\"twiceJvp\"), or drop hessian here")
        .inFile(source).onLine(26);
    assertThat(c).hadErrorCount(2);
  }
}
