package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static dev.adjoint.processor.numeric.Check.wrt;
import static dev.adjoint.processor.testing.Compiled.source;
import static dev.adjoint.processor.testing.GradientAssert.checkDoubles;
import static dev.adjoint.processor.testing.GradientAssert.checkDoublesAt;
import static dev.adjoint.processor.testing.GradientAssert.checkFloats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.GradCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls of {@code @Differentiable} methods: in the same class, in other classes and packages of
 * the same compilation, chains, {@code @NoDerivative} parameters of callees, overloads, nested
 * classes and recursion.
 */
class CallGradientTest {
  private static final String CLS = "p.Calls";
  private static Compiled c;

  @BeforeAll
  static void compile() {
    c = Compiled.of(
        source(CLS, """
            package p;
            import dev.adjoint.*;
            class Calls {
              @Differentiable static double sq(double a) { return a * a; }
              @Differentiable static double cube(double a) { return a * sq(a); }
              @Differentiable static double sameClass(double x, double y) {
                return sq(x) * y + sq(y);
              }
              @Differentiable static double chain(double x) { return sq(cube(sq(x))); }
              @Differentiable static double calleeInChain(double x, double y) {
                return cube(x) + sameClass(y, x);
              }
              @Differentiable static double expressionArguments(double x, double y) {
                return sq(x * y + 1) + sameClass(Math.sin(x), x / (1 + y * y));
              }
              @Differentiable static double sameCalleeTwice(double x, double y) {
                double a = sq(x);
                double b = sq(y);
                return a * b + sq(a - b);
              }
              @Differentiable static double resultOverwrittenAfterNonlinearUse(double x) {
                double a = sq(x);
                double b = a * a;
                a = cube(x);
                return b * a;
              }
              @Differentiable static double callsInBranches(double x, double y) {
                double r;
                if (sq(x) > 1) {
                  r = cube(y) * x;
                } else {
                  r = sq(y + x);
                }
                return r > 0 ? sq(r) : cube(r);
              }
              @Differentiable static double scaled(double a, @NoDerivative double k) {
                return a * k + k * k;
              }
              @Differentiable static double callsNoDerivativeParameter(double x, double y) {
                return scaled(x, StopGradient.stopGradient(y)) + y;
              }
              @Differentiable static double noDerivativeParameterPassedConstant(double x) {
                return scaled(x * x, 3);
              }
              @Differentiable static double withInt(double a, int n) { return a * n + n; }
              @Differentiable static double callsWithIntArgument(double x, int n) {
                return withInt(x, n * 2) + withInt(x * x, 3);
              }
              @Differentiable static float half(float a) { return a / 2; }
              @Differentiable static double callsFloatCallee(double x) {
                return half((float) x) * x;
              }
              @Differentiable static double h(double a) { return a * 3; }
              @Differentiable static float h(float a) { return a * a; }
              @Differentiable static double callsOverloads(double x, float y) {
                return h(x) + h(y);
              }
              @Differentiable static double power(double x, int n) {
                if (n == 0) {
                  return 1;
                }
                return x * power(x, n - 1);
              }
              @Differentiable static double recursiveHalving(double x, double depth) {
                if (depth < 1) {
                  return Math.sin(x);
                }
                return recursiveHalving(x * 0.5, depth - 1) * x + depth;
              }
              @Differentiable static double even(double x, int n) {
                if (n == 0) {
                  return x;
                }
                return odd(x * 1.5, n - 1) + x;
              }
              @Differentiable static double odd(double x, int n) {
                if (n == 0) {
                  return x * x;
                }
                return even(Math.sin(x), n - 1) * x;
              }
              @Differentiable static double otherClass(double x, double y) {
                return Lib.norm2(x, y) * Lib.Vec.dot(x, y, y, x);
              }
              @Differentiable static double otherPackage(double x, double y) {
                return q.Util.softplus(x * y)
                    + q.Util.scaledSquare(y, StopGradient.stopGradient(x));
              }
              @Differentiable static double otherPackageConstantScale(double x, double y) {
                return q.Util.softplus(x * y) + q.Util.scaledSquare(y, 2.5);
              }
              @Differentiable static double callArgumentOverwritten(double x, double y) {
                double a = x * y;
                double r = sq(a) * a;
                a = y;
                r = r * sq(a);
                return r;
              }
              @Differentiable static double callsGradLikeNames(double x, double y) {
                double sqGrad = x * y;
                double dSq = sq(x) * Lib.Vec.sq(y) + sqGrad;
                return dSq * Lib.Vec.sq(x + y) + q.Util.sq(x);
              }
              @Differentiable static double callsGrad(double x, double y) { return sq(x) * y; }
              @Differentiable static double callerOfCallsGrad(double x, double y) {
                return callsGrad(x, y) * x;
              }
              @Differentiable static double nestedClassCaller(double x) {
                return Outer.Inner.g(x) + Outer.k(x);
              }
            }
            """),
        source("p.Lib", """
            package p;
            import dev.adjoint.*;
            class Lib {
              @Differentiable static double norm2(double a, double b) {
                return Calls.sq(a) + Calls.sq(b);
              }
              static class Vec {
                @Differentiable static double sq(double a) { return a * a * 2; }
                @Differentiable static double dot(double a, double b, double c, double d) {
                  return a * c + b * d;
                }
              }
            }
            """),
        source("q.Util", """
            package q;
            import dev.adjoint.*;
            public class Util {
              @Differentiable public static double sq(double a) { return a * a * 3; }
              @Differentiable public static double softplus(double a) {
                return Math.log1p(Math.exp(a));
              }
              @Differentiable public static double scaledSquare(double a, @NoDerivative double s) {
                return s * a * a;
              }
            }
            """),
        source("p.Outer", """
            package p;
            import dev.adjoint.*;
            class Outer {
              @Differentiable static double k(double x) { return Inner.g(x) * x; }
              static class Inner {
                @Differentiable static double g(double x) { return Math.exp(x) * x; }
                static class Deeper {
                  @Differentiable static double d(double x) { return Inner.g(x * x); }
                }
              }
            }
            """));
  }

  @Test
  void exactValues() {
    Check.exact(c, CLS, "sq", expect(9, 6), 3.0);
    Check.exact(c, CLS, "cube", expect(8, 12), 2.0);
    // x^2 y + y^2 at (2, 3): d/dx = 2xy = 12, d/dy = x^2 + 2y = 10
    Check.exact(c, CLS, "sameClass", expect(21, 12, 10), 2.0, 3.0);
    // ((x^2)^3)^2 = x^12: d/dx = 12 x^11
    Check.exact(c, CLS, "chain", expect(4096, 12 * 2048), 2.0);
    // 3^n x: power(x, 4) = x^4
    Check.exact(c, CLS, "power", expect(81, 108), 3.0, 4);
    Check.exact(c, CLS, "power", expect(1, 0), 3.0, 0);
    // scaled(x, y) + y = x y + y^2 + y with y stopped (stopGradient) inside scaled: d/dy = 1
    Check.exact(c, CLS, "callsNoDerivativeParameter", expect(6 + 9 + 3, 3, 1), 2.0, 3.0);
    Check.exact(c, CLS, "noDerivativeParameterPassedConstant", expect(12 + 9, 12), 2.0);
    // withInt(x, 2n) + withInt(x^2, 3) = 2n x + 2n + 3 x^2 + 3 at (2, n = 5): d/dx = 10 + 12
    Check.exact(c, CLS, "callsWithIntArgument", expect(20 + 10 + 12 + 3, 22), 2.0, 5);
    // half((float) x) * x = x^2 / 2
    Check.exact(c, CLS, "callsFloatCallee", expect(2, 2), 2.0);
    // h(double) = 3x, h(float) = y^2: d/dx = 3, d/dy = 2y
    Check.exact(c, CLS, "callsOverloads", expect(6 + 9, 3, 6), 2.0, 3.0f);
    // q.Util.scaledSquare(y, stopGradient(x)): x's derivative is dropped on purpose
    // softplus(x y) + x y^2: d/dx = y sigmoid(x y) + (nothing through s), d/dy = x sig + 2 x y
    double sig = 1 / (1 + Math.exp(-6));
    Check.exact(c, CLS, "otherPackage", expect(Math.log1p(Math.exp(6)) + 18, 3 * sig,
        2 * sig + 12), 2.0, 3.0);
  }

  @Test
  void overloadsHaveDistinctRecords() {
    assertEquals(List.of("value", "a"), c.componentNames(CLS, "h", 2.0));
    assertEquals("HDouble", c.invoke(CLS + "Grad", "h", 2.0).getClass().getSimpleName());
    assertEquals("HFloat", c.invoke(CLS + "Grad", "h", 2.0f).getClass().getSimpleName());
    Check.exact(c, CLS, "h", expect(6, 3), 2.0);
    Check.exactFloat(c, CLS, "h", expect(4, 4), 2.0f);
  }

  @Test
  void recordNamesThatClash() {
    // callsGrad's record would be CallsGrad, the name of the generated class: CallsGradResult
    assertEquals("CallsGradResult",
        c.invoke(CLS + "Grad", "callsGrad", 1.0, 2.0).getClass().getSimpleName());
    // x^2 y * x: d/dx = 3 x^2 y, d/dy = x^3
    Check.exact(c, CLS, "callerOfCallsGrad", expect(16, 24, 8), 2.0, 2.0);
    // three records named Sq (Calls, Lib.Vec, q.Util) and locals named like generated ones
    checkDoubles(c, CLS, "callsGradLikeNames", 2, -2, 2, 10, 1);
    checkDoubles(c, CLS, "callArgumentOverwritten", 2, -2, 2, 10, 2);
    // (x y)^3 y^2 = x^3 y^5: d/dx = 3 x^2 y^5, d/dy = 5 x^3 y^4
    Check.exact(c, CLS, "callArgumentOverwritten", expect(256, 3 * 4 * 32, 5 * 8 * 16), 2.0, 2.0);
  }

  @Test
  void sameClassAtRandomPoints() {
    checkDoubles(c, CLS, "sameClass", 2, -3, 3, 20, 1);
    checkDoubles(c, CLS, "chain", 1, -1.2, 1.2, 20, 2);
    checkDoubles(c, CLS, "calleeInChain", 2, -3, 3, 20, 3);
    checkDoubles(c, CLS, "expressionArguments", 2, -3, 3, 20, 4);
    checkDoubles(c, CLS, "sameCalleeTwice", 2, -2, 2, 20, 5);
    checkDoubles(c, CLS, "resultOverwrittenAfterNonlinearUse", 1, -2, 2, 20, 6);
    checkDoubles(c, CLS, "callsInBranches", 2, -2, 2, 40, 7);
    // callsFloatCallee rounds x to float, so double finite differences would be noise: exact only
    Check.exact(c, CLS, "callsFloatCallee", expect(0.5 * 0.25, -0.5), -0.5);
    Check.random(c, CLS, "callsWithIntArgument", wrt(0), -3, 3, 10, 9, 0.0, -4);
    Check.random(c, CLS, "noDerivativeParameterPassedConstant", wrt(0), -3, 3, 10, 10, 0.0);
    Check.random(c, CLS, "callsOverloads", wrt(0, 1), -3, 3, 10, 11, 0.0, 0f);
  }

  @Test
  void otherClassesAndPackages() {
    checkDoubles(c, CLS, "otherClass", 2, -3, 3, 20, 1);
    checkDoubles(c, "p.Lib", "norm2", 2, -3, 3, 10, 2);
    checkDoubles(c, CLS, "otherPackageConstantScale", 2, -2, 2, 10, 3);
    checkDoubles(c, "q.Util", "softplus", 1, -3, 3, 10, 4);
  }

  @Test
  void recursionWithBaseCase() {
    for (int n = 0; n <= 6; n++) {
      Check.random(c, CLS, "power", wrt(0), -2, 2, 5, n, 0.0, n);
    }
    // depth decreases by one per call: 0.5 means one level, 3.5 four
    for (double depth : new double[] {0.5, 1.5, 3.5}) {
      Random random = new Random((long) depth);
      for (int k = 0; k < 5; k++) {
        checkDoublesAt(c, CLS, "recursiveHalving", -3 + 6 * random.nextDouble(), depth);
      }
    }
    for (int n = 0; n <= 5; n++) {
      Check.random(c, CLS, "even", wrt(0), -2, 2, 5, n, 0.0, n);
      Check.random(c, CLS, "odd", wrt(0), -2, 2, 5, n, 0.0, n);
    }
    // even(x, 1) = odd(1.5 x, 0) + x = 2.25 x^2 + x
    Check.exact(c, CLS, "even", expect(2.25 * 4 + 2, 4.5 * 2 + 1), 2.0, 1);
  }

  @Test
  void nestedStaticClasses() {
    // p.Outer.Inner gives p.Outer_InnerGrad, p.Outer.Inner.Deeper gives p.Outer_Inner_DeeperGrad
    nestedCheck("p.Outer$Inner", "p.Outer_Inner", "g", 0.7);
    nestedCheck("p.Outer$Inner$Deeper", "p.Outer_Inner_Deeper", "d", -0.8);
    nestedCheck("p.Lib$Vec", "p.Lib_Vec", "dot", 1.0, 2.0, 3.0, 4.0);
    checkDoublesAt(c, "p.Outer", "k", 0.6);
    checkDoubles(c, CLS, "nestedClassCaller", 1, -2, 2, 10, 1);
    // g(x) = x e^x: g'(0) = 1
    assertArrayEquals(expect(0, 1), c.gradient("p.Outer_Inner", "g", 0.0));
    assertArrayEquals(expect(11, 3, 4, 1, 2),
        c.gradient("p.Lib_Vec", "dot", 1.0, 2.0, 3.0, 4.0));
  }

  /** Value and finite-difference check of a nested class's gradient class {@code grad}Grad. */
  private static void nestedCheck(String binaryName, String grad, String method, double... x) {
    Object[] args = Arrays.stream(x).boxed().toArray();
    double[] g = c.gradient(grad, method, args);
    assertEquals(c.value(binaryName, method, args), g[0]);
    GradCheck.assertGradient(v -> c.value(binaryName, method, Arrays.stream(v).boxed().toArray()),
        x, Arrays.copyOfRange(g, 1, g.length));
  }

  @Test
  void floatCalleeAtRandomPoints() {
    checkFloats(c, CLS, "half", 1, -3, 3, 10, 1);
  }
}
