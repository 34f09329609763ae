package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static dev.adjoint.processor.numeric.Check.wrt;
import static dev.adjoint.processor.testing.Compiled.source;
import static dev.adjoint.processor.testing.GradientAssert.checkDoubles;
import static dev.adjoint.processor.testing.GradientAssert.checkDoublesAt;
import static dev.adjoint.processor.testing.GradientAssert.checkFloats;

import dev.adjoint.processor.testing.Compiled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Math function with a derivative rule, in four variants each: {@code Math} and
 * {@code StrictMath}, double and float. Each variant is a one-line function named after the
 * construct, such as {@code sinMath(double x)} or {@code sinStrictF(float x)}.
 */
class MathFunctionGradientTest {
  private static final String CLS = "p.Fns";
  private static final String CHAINS = "p.Chains";

  /**
   * One function under test.
   *
   * @param name the Math function, and the prefix of the generated test functions
   * @param arity number of parameters (x, y, z)
   * @param lo lower end of the smooth domain sampled at random
   * @param hi upper end
   * @param body the returned expression, with {@code M} for Math or StrictMath
   * @param floatResult true when the float overload returns float (no cast needed)
   * @param points fixed points instead of random ones (non-smooth functions), or null
   */
  record Fn(String name, int arity, double lo, double hi, String body, boolean floatResult,
      double[][] points) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Fn fn(String name, double lo, double hi) {
    return new Fn(name, 1, lo, hi, "M." + name + "(x)", false, null);
  }

  private static Fn fn2(String name, double lo, double hi) {
    return new Fn(name, 2, lo, hi, "M." + name + "(x, y)", false, null);
  }

  private static final double[][] AWAY_FROM_INTEGERS =
      {{0.3}, {1.4}, {-1.6}, {2.7}, {-2.45}, {-0.2}};

  static List<Fn> functions() {
    List<Fn> fns = new ArrayList<>(List.of(
        fn("sin", -3, 3), fn("cos", -3, 3), fn("tan", -1.3, 1.3),
        fn("asin", -0.9, 0.9), fn("acos", -0.9, 0.9), fn("atan", -3, 3),
        fn("sinh", -2, 2), fn("cosh", -2, 2), fn("tanh", -2, 2),
        fn("exp", -2, 2), fn("expm1", -2, 2),
        fn("log", 0.1, 5), fn("log10", 0.1, 5), fn("log1p", -0.5, 5),
        fn("sqrt", 0.1, 5), fn("cbrt", 0.1, 5),
        fn("toRadians", -200, 200), fn("toDegrees", -3, 3),
        fn2("atan2", 0.2, 3), fn2("hypot", 0.2, 3), fn2("pow", 0.2, 3)));
    fns.add(new Fn("cbrtNegative", 1, -5, -0.1, "M.cbrt(x)", false, null));
    fns.add(new Fn("powConstantInt", 1, -3, 3, "M.pow(x, 3)", false, null));
    fns.add(new Fn("powSquare", 1, -3, 3, "M.pow(x, 2)", false, null));
    fns.add(new Fn("powOne", 1, -3, 3, "M.pow(x, 1)", false, null));
    fns.add(new Fn("powConstantHalf", 1, 0.1, 5, "M.pow(x, 0.5)", false, null));
    fns.add(new Fn("powNegativeExponent", 1, 0.2, 3, "M.pow(x, -1.5)", false, null));
    fns.add(new Fn("powConstantBase", 1, -2, 2, "M.pow(2.5, x)", false, null));
    fns.add(new Fn("fma", 3, -3, 3, "M.fma(x, y, z)", true, null));
    fns.add(new Fn("abs", 1, 0, 0, "M.abs(x)", true,
        new double[][] {{0.7}, {-0.7}, {2.5}, {-2.9}, {0.05}, {-0.05}}));
    fns.add(new Fn("max", 2, 0, 0, "M.max(x, y)", true,
        new double[][] {{1, 2}, {2, 1}, {-0.5, -1.5}, {-2, 0.3}, {2.5, 2.4}}));
    fns.add(new Fn("min", 2, 0, 0, "M.min(x, y)", true,
        new double[][] {{1, 2}, {2, 1}, {-0.5, -1.5}, {-2, 0.3}, {2.5, 2.4}}));
    // Zero-derivative functions, multiplied by x so that the product rule shows the zero.
    fns.add(new Fn("floor", 1, 0, 0, "x * M.floor(x)", false, AWAY_FROM_INTEGERS));
    fns.add(new Fn("ceil", 1, 0, 0, "x * M.ceil(x)", false, AWAY_FROM_INTEGERS));
    fns.add(new Fn("rint", 1, 0, 0, "x * M.rint(x)", false, AWAY_FROM_INTEGERS));
    fns.add(new Fn("signum", 1, 0, 0, "x * M.signum(x)", true, AWAY_FROM_INTEGERS));
    return fns;
  }

  private static final String[] PARAMS = {"x", "y", "z"};

  private static String function(Fn f, String owner, String suffix, String type) {
    String body = f.body().replace("M.", owner + ".");
    if (type.equals("float") && !f.floatResult()) {
      body = "(float) (" + body + ")";
    }
    List<String> params = new ArrayList<>();
    for (int i = 0; i < f.arity(); i++) {
      params.add(type + " " + PARAMS[i]);
    }
    return "  @Differentiable static " + type + " " + f.name() + suffix + "("
        + String.join(", ", params) + ") { return " + body + "; }\n";
  }

  private static Compiled c;

  @BeforeAll
  static void compile() {
    StringBuilder src = new StringBuilder("package p;\nimport dev.adjoint.*;\nclass Fns {\n");
    for (Fn f : functions()) {
      src.append(function(f, "Math", "Math", "double"));
      src.append(function(f, "StrictMath", "Strict", "double"));
      src.append(function(f, "Math", "MathF", "float"));
      src.append(function(f, "StrictMath", "StrictF", "float"));
    }
    src.append("""
          @Differentiable static double powIntVariable(double x, int n) { return Math.pow(x, n); }
          @Differentiable static double powLongVariable(double x, long n) {
            return Math.pow(x, n);
          }
          @Differentiable static double maxInt(double x, int n) { return x * Math.max(n, 2); }
          @Differentiable static double absInt(double x, int n) { return x * Math.abs(n); }
        }
        """);
    c = Compiled.of(source(CLS, src.toString()), source(CHAINS, """
        package p;
        import dev.adjoint.*;
        class Chains {
          @Differentiable static double expOfSinTimesY(double x, double y) {
            return Math.exp(Math.sin(x) * y);
          }
          @Differentiable static double logOfHypot(double x, double y) {
            return Math.log(Math.hypot(x, y));
          }
          @Differentiable static double sqrtOfSquarePlusOne(double x) {
            return Math.sqrt(x * x + 1);
          }
          @Differentiable static double tanhOfCubeMinusY(double x, double y) {
            return Math.tanh(Math.pow(x, 3) - y);
          }
          @Differentiable static double atan2OfProducts(double x, double y) {
            return Math.atan2(x * y, x + 2 * y);
          }
          @Differentiable static double nestedTrig(double x) {
            return Math.sin(Math.cos(Math.tan(x)));
          }
          @Differentiable static double powOfPow(double x, double y) {
            return Math.pow(Math.pow(x, y), x);
          }
          @Differentiable static double maxOfNonlinear(double x, double y) {
            return Math.max(x * x, Math.exp(y)) * x;
          }
          @Differentiable static double sameCallTwice(double x) {
            return Math.sin(x) * Math.sin(x) + Math.cos(x) * Math.cos(x) + Math.sin(x);
          }
          @Differentiable static double piAndE(double x) {
            return Math.PI * x * x + Math.E * x;
          }
          @Differentiable static double softplus(double x) { return Math.log1p(Math.exp(x)); }
          @Differentiable static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }
          @Differentiable static double gaussian(double x, double mu, double sigma) {
            double z = (x - mu) / sigma;
            return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
          }
          @Differentiable static double mixedStrictAndMath(double x) {
            return StrictMath.sin(x) * Math.cos(x) + StrictMath.exp(Math.sin(x));
          }
          @Differentiable static float floatChain(float x, float y) {
            float s = (float) Math.sin(x) * y;
            return (float) Math.exp(s) + Math.abs(s) * Math.max(x, y);
          }
        }
        """));
  }

  static Stream<Fn> smooth() {
    return functions().stream().filter(f -> f.points() == null);
  }

  static Stream<Fn> atPoints() {
    return functions().stream().filter(f -> f.points() != null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smooth")
  void doubleVariantsAtRandomPoints(Fn f) {
    long seed = f.name().hashCode();
    checkDoubles(c, CLS, f.name() + "Math", f.arity(), f.lo(), f.hi(), 8, seed);
    checkDoubles(c, CLS, f.name() + "Strict", f.arity(), f.lo(), f.hi(), 8, seed + 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smooth")
  void floatVariantsAtRandomPoints(Fn f) {
    long seed = f.name().hashCode();
    checkFloats(c, CLS, f.name() + "MathF", f.arity(), f.lo(), f.hi(), 8, seed);
    checkFloats(c, CLS, f.name() + "StrictF", f.arity(), f.lo(), f.hi(), 8, seed + 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("atPoints")
  void nonSmoothFunctionsAwayFromKinksAndTies(Fn f) {
    for (double[] p : f.points()) {
      checkDoublesAt(c, CLS, f.name() + "Math", p);
      checkDoublesAt(c, CLS, f.name() + "Strict", p);
      Object[] floats = new Object[p.length];
      for (int i = 0; i < p.length; i++) {
        floats[i] = (float) p[i];
      }
      Check.at(c, CLS, f.name() + "MathF", Check.first(p.length), floats);
      Check.at(c, CLS, f.name() + "StrictF", Check.first(p.length), floats);
    }
  }

  @Test
  void atan2AndHypotInEveryQuadrant() {
    double[][] points = {{1.5, 0.7}, {-1.5, 0.7}, {1.5, -0.7}, {-1.5, -0.7}, {0.3, -2.2}};
    for (double[] p : points) {
      for (String s : new String[] {"Math", "Strict"}) {
        checkDoublesAt(c, CLS, "atan2" + s, p[1], p[0]);
        checkDoublesAt(c, CLS, "hypot" + s, p);
      }
    }
    // atan2 away from its branch cut (negative x axis): y well away from 0 when x < 0
    checkDoublesAt(c, CLS, "atan2Math", -0.5, -2.0);
    checkDoublesAt(c, CLS, "atan2Math", 0.5, -2.0);
  }

  @Test
  void exactValues() {
    Check.exact(c, CLS, "sinMath", expect(0, 1), 0.0);
    Check.exact(c, CLS, "cosMath", expect(1, 0), 0.0);
    Check.exact(c, CLS, "cosStrict", expect(Math.cos(1), -Math.sin(1)), 1.0);
    Check.exact(c, CLS, "tanMath", expect(0, 1), 0.0);
    Check.exact(c, CLS, "asinMath", expect(Math.asin(0.6), 1 / 0.8), 0.6);
    Check.exact(c, CLS, "acosMath", expect(Math.acos(0.6), -1 / 0.8), 0.6);
    Check.exact(c, CLS, "atanMath", expect(Math.PI / 4, 0.5), 1.0);
    Check.exact(c, CLS, "sinhMath", expect(0, 1), 0.0);
    Check.exact(c, CLS, "coshMath", expect(1, 0), 0.0);
    Check.exact(c, CLS, "tanhMath", expect(0, 1), 0.0);
    Check.exact(c, CLS, "expMath", expect(1, 1), 0.0);
    Check.exact(c, CLS, "expm1Math", expect(0, 1), 0.0);
    Check.exact(c, CLS, "logMath", expect(Math.log(2), 0.5), 2.0);
    Check.exact(c, CLS, "log10Math", expect(1, 1 / (10 * Math.log(10))), 10.0);
    Check.exact(c, CLS, "log1pMath", expect(Math.log(4), 0.25), 3.0);
    Check.exact(c, CLS, "sqrtMath", expect(2, 0.25), 4.0);
    Check.exact(c, CLS, "cbrtMath", expect(2, 1.0 / 12), 8.0);
    Check.exact(c, CLS, "cbrtNegativeMath", expect(-2, 1.0 / 12), -8.0);
    Check.exact(c, CLS, "powConstantIntMath", expect(8, 12), 2.0);
    Check.exact(c, CLS, "powConstantIntMath", expect(-8, 12), -2.0);
    Check.exact(c, CLS, "powSquareMath", expect(9, -6), -3.0);
    Check.exact(c, CLS, "powOneMath", expect(-3, 1), -3.0);
    Check.exact(c, CLS, "powConstantHalfMath", expect(3, 1.0 / 6), 9.0);
    // d/dx x^y = y x^(y-1), d/dy x^y = x^y ln x
    Check.exact(c, CLS, "powMath", expect(8, 12, 8 * Math.log(2)), 2.0, 3.0);
    Check.exact(c, CLS, "powConstantBaseMath", expect(6.25, 6.25 * Math.log(2.5)), 2.0);
    // atan2(y, x) at (1, 1): d/dy = x / r^2, d/dx = -y / r^2
    Check.exact(c, CLS, "atan2Math", expect(Math.PI / 4, 0.5, -0.5), 1.0, 1.0);
    Check.exact(c, CLS, "hypotMath", expect(5, 0.6, 0.8), 3.0, 4.0);
    Check.exact(c, CLS, "absMath", expect(2, -1), -2.0);
    Check.exact(c, CLS, "absMath", expect(2, 1), 2.0);
    Check.exact(c, CLS, "maxMath", expect(3, 0, 1), 1.0, 3.0);
    Check.exact(c, CLS, "minMath", expect(1, 1, 0), 1.0, 3.0);
    Check.exact(c, CLS, "floorMath", expect(1.5 * 1, 1), 1.5);
    Check.exact(c, CLS, "ceilMath", expect(1.5 * 2, 2), 1.5);
    Check.exact(c, CLS, "rintMath", expect(-1.4 * -1, -1), -1.4);
    Check.exact(c, CLS, "signumMath", expect(1.4, -1), -1.4);
    Check.exact(c, CLS, "toRadiansMath", expect(Math.PI, Math.PI / 180), 180.0);
    Check.exact(c, CLS, "toDegreesMath", expect(180, 180 / Math.PI), Math.PI);
    Check.exact(c, CLS, "fmaMath", expect(10, 3, 2, 1), 2.0, 3.0, 4.0);
    Check.exactFloat(c, CLS, "sqrtMathF", expect(2, 0.25), 4.0f);
    Check.exactFloat(c, CLS, "powConstantIntStrictF", expect(8, 12), 2.0f);
    Check.exactFloat(c, CLS, "fmaMathF", expect(10, 3, 2, 1), 2.0f, 3.0f, 4.0f);
    Check.exactFloat(c, CLS, "maxStrictF", expect(2, 1, 0), 2.0f, 1.0f);
  }

  @Test
  void integerArgumentsCarryNoDerivative() {
    // pow(x, n) with an int or long exponent: d/dx = n x^(n-1) and no component for n
    Check.exact(c, CLS, "powIntVariable", expect(8, 12), 2.0, 3);
    Check.exact(c, CLS, "powIntVariable", expect(0.25, -0.25), 2.0, -2);
    Check.exact(c, CLS, "powLongVariable", expect(16, 32), 2.0, 4L);
    Check.random(c, CLS, "powIntVariable", wrt(0), 0.2, 3, 10, 1, 0.0, 5);
    Check.random(c, CLS, "powIntVariable", wrt(0), -3, 3, 10, 2, 0.0, 3);
    Check.exact(c, CLS, "maxInt", expect(6, 3), 2.0, 3);
    Check.exact(c, CLS, "maxInt", expect(4, 2), 2.0, -5);
    Check.exact(c, CLS, "absInt", expect(10, 5), 2.0, -5);
  }

  @Test
  void compositions() {
    checkDoubles(c, CHAINS, "expOfSinTimesY", 2, -2, 2, 15, 1);
    checkDoubles(c, CHAINS, "logOfHypot", 2, 0.2, 3, 15, 2);
    checkDoubles(c, CHAINS, "sqrtOfSquarePlusOne", 1, -3, 3, 15, 3);
    checkDoubles(c, CHAINS, "tanhOfCubeMinusY", 2, -1.2, 1.2, 15, 4);
    checkDoubles(c, CHAINS, "atan2OfProducts", 2, 0.2, 3, 15, 5);
    checkDoubles(c, CHAINS, "nestedTrig", 1, -1.2, 1.2, 15, 6);
    checkDoubles(c, CHAINS, "powOfPow", 2, 0.2, 2, 15, 7);
    checkDoubles(c, CHAINS, "sameCallTwice", 1, -3, 3, 15, 8);
    checkDoubles(c, CHAINS, "piAndE", 1, -3, 3, 15, 9);
    checkDoubles(c, CHAINS, "softplus", 1, -4, 4, 15, 10);
    checkDoubles(c, CHAINS, "sigmoid", 1, -4, 4, 15, 11);
    checkDoubles(c, CHAINS, "gaussian", 3, 0.5, 2, 15, 12);
    checkDoubles(c, CHAINS, "mixedStrictAndMath", 1, -3, 3, 15, 13);
    checkFloats(c, CHAINS, "floatChain", 2, 0.2, 2, 15, 14);
    // max(x^2, e^y) * x: either branch, away from the tie x^2 == e^y
    checkDoublesAt(c, CHAINS, "maxOfNonlinear", 2.0, 0.1);
    checkDoublesAt(c, CHAINS, "maxOfNonlinear", 0.5, 1.0);
    checkDoublesAt(c, CHAINS, "maxOfNonlinear", -1.5, -2.0);
    // sin^2 + cos^2 + sin = 1 + sin: derivative cos
    Check.exact(c, CHAINS, "sameCallTwice", expect(1 + Math.sin(0.5), Math.cos(0.5)), 0.5);
    // sigmoid'(0) = 1/4, softplus'(0) = 1/2
    Check.exact(c, CHAINS, "sigmoid", expect(0.5, 0.25), 0.0);
    Check.exact(c, CHAINS, "softplus", expect(Math.log(2), 0.5), 0.0);
    Check.exact(c, CHAINS, "piAndE", expect(Math.PI + Math.E, 2 * Math.PI + Math.E), 1.0);
  }

  /**
   * pow's base partial is taken from the value in its local ({@code b x^b / x}) where that is
   * exact to rounding, and from a second pow where the value underflowed, overflowed or is 0.
   */
  @Test
  void powsBasePartialFromItsValueKeepsUnderflowOverflowAndZero() {
    // g = {value, d/dx, d/dy}
    double[] g = c.gradient(CLS, "powMath", 1e-200, 2.0); // x^2 underflows to 0
    org.junit.jupiter.api.Assertions.assertEquals(2e-200, g[1], 1e-214);
    g = c.gradient(CLS, "powMath", 1e300, 1.5); // x^1.5 overflows
    org.junit.jupiter.api.Assertions.assertEquals(1.5e150, g[1], 1e136);
    g = c.gradient(CLS, "powMath", 0.0, 2.5);
    org.junit.jupiter.api.Assertions.assertEquals(0.0, g[1]);
    g = c.gradient(CLS, "powMath", 1.7, -0.3);
    org.junit.jupiter.api.Assertions.assertEquals(-0.3 * Math.pow(1.7, -1.3), g[1], 1e-15);
    g = c.gradient(CLS, "powMath", 0.0, 0.0); // x^0 = 1 at x = 0: constant
    org.junit.jupiter.api.Assertions.assertEquals(0.0, g[1]);
    g = c.gradient(CLS, "powMath", -2.0, 3.0);
    org.junit.jupiter.api.Assertions.assertEquals(12.0, g[1], 1e-14);
  }
}
