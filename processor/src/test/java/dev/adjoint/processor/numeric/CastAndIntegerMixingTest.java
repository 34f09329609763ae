package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static dev.adjoint.processor.numeric.Check.wrt;
import static dev.adjoint.processor.testing.Compiled.source;
import static dev.adjoint.processor.testing.GradientAssert.checkDoubles;
import static dev.adjoint.processor.testing.GradientAssert.checkDoublesAt;
import static dev.adjoint.processor.testing.GradientAssert.checkFloats;

import dev.adjoint.processor.testing.Compiled;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Integral constants and variables mixed into floating code, integer division, casts that cut
 * the derivative, and float/double conversions.
 */
class CastAndIntegerMixingTest {
  private static final String CLS = "p.Mix";
  private static Compiled c;

  @BeforeAll
  static void compile() {
    c = Compiled.of(source(CLS, """
        package p;
        import dev.adjoint.*;
        class Mix {
          static final int THREE = 3;
          static final long BIG = 10_000_000_000L;
          static final double HALF = 0.5;
          static final float QUARTER = 0.25f;

          @Differentiable static double intConstants(double x) { return x * 2 + 3 - x / 4; }
          @Differentiable static double longConstants(double x) { return x * 3L - 1L + BIG; }
          @Differentiable static double ownConstants(double x) {
            return THREE * x * x + HALF * x + QUARTER;
          }
          @Differentiable static double constantIntegerDivision(double x) {
            return 7 / 2 * x + x * (1 / 2);
          }
          @Differentiable static double intParameter(double x, int n) { return x * n + n / 2; }
          @Differentiable static double longParameter(double x, long m) {
            return x * m + m % 3 - x / m;
          }
          @Differentiable static double integerDivisionStaysInteger(double x, int n) {
            int h = n / 2;
            return x * h;
          }
          @Differentiable static double divisionByIntVariable(double x, int n) {
            return x / n + n / 4 * x;
          }
          @Differentiable static double intLocalCompound(double x, int n) {
            int k = n * 2;
            k += 3;
            k -= 1;
            k *= 3;
            k /= 4;
            k %= 5;
            return x * k;
          }
          @Differentiable static double increments(double x) {
            int k = 3;
            k++;
            ++k;
            k--;
            double d = x;
            d++;
            d--;
            d++;
            return d * k;
          }
          @Differentiable static double shortAndByte(double x) {
            short s = 300;
            byte b = 7;
            return x * s + b * x * x;
          }
          @Differentiable static double intCastCutsDerivative(double x) { return (int) x * x; }
          @Differentiable static double intCastOfProduct(double x, double y) {
            return (int) (x * 3) + y * (long) y;
          }
          @Differentiable static double intFromCastInDivision(double x) {
            int k = (int) (x * 10);
            return k / 3 * x;
          }
          @Differentiable static double castToIntAndBack(double x, double y) {
            double t = (int) x;
            return t * y;
          }
          @Differentiable static double roundIsConstant(double x) { return x * Math.round(x); }
          @Differentiable static double intMathFunctions(double x, int n) {
            return x * Math.floorDiv(n, 2) + Math.abs(n) * x;
          }
          @Differentiable static double ternaryMixingIntAndDouble(double x, int n) {
            double a = n > 2 ? x : 1;
            return a * x;
          }
          @Differentiable static double compoundAddOfIntegerDivision(double x, int n) {
            x += n / 4;
            x *= n;
            return x * x;
          }
          @Differentiable static double floatCastInDouble(double x, double y) {
            return (float) x * y;
          }
          @Differentiable static float floatParametersDoubleInternals(float x, float y) {
            double d = x;
            double e = d * y + Math.sin(d);
            return (float) (e * e);
          }
          @Differentiable static double mixedFloatAndDouble(float a, double b) {
            return a * b + a / b + a * a;
          }
          @Differentiable static float floatLocalNarrowedFromDouble(float x, double y) {
            float a = x;
            a *= y;
            a += y * y;
            return a * x;
          }
          @Differentiable static double floatLiteralsInDouble(double x) {
            return 0.1f * x + x * x * 0.5f;
          }
          @Differentiable static float allFloat(float x, float y) {
            float a = x * y + 2;
            a = a / (y + 3);
            return a * a - x;
          }
          static final double ROOT2 = Math.sqrt(2);
          private static final double PRIVATE_CONSTANT = 2.5;
          static final long LARGE = 1L << 40;
          static final char CH = 'b';
          static class Other {
            static final double SCALE = 3;
            static final double NON_CONSTANT = Math.log(3);
          }
          @Differentiable static double staticFinalConstants(double x, double y) {
            final double local = 3;
            final int k = 2;
            return ROOT2 * x + PRIVATE_CONSTANT * y * y + QUARTER * x * y + THREE * x
                + LARGE / 1e12 * y + CH * x + local * k * y + Math.E * x + Other.SCALE * y
                + Other.NON_CONSTANT * x + Integer.MAX_VALUE / 1e9 * x + Double.MIN_VALUE * y;
          }
          @Differentiable static double integralCompoundFromDouble(double x, double y) {
            int k = 1;
            k += x * 2;
            long m = 3;
            m *= y + 5;
            return k * x + m * y;
          }
          @Differentiable static double charArithmetic(double x, double y) {
            char c = 'a';
            c += 2;
            return x * c + (c - 'a') * y;
          }
          @Differentiable static double unaryOnIntegers(double x, double y) {
            int k = 3;
            int j = -k;
            byte b = 2;
            int nb = -b;
            return j * x + nb * y + ~k * x;
          }
          @Differentiable static double intOverflowStaysInt(double x, double y) {
            int i = 100000;
            long l = (long) i * i;
            long overflowed = i * i;
            return l * 1e-10 * x + overflowed * 1e-10 * y;
          }
          @Differentiable static double shifts(double x, double y) {
            int k = 3;
            long m = 1L << 35;
            int s = k << 2;
            s >>= 1;
            return x * s + m * 1e-10 * y + (k >>> 1) * x;
          }
          @Differentiable static double widenedParameterReassigned(float x) {
            double d = x;
            d = d * d;
            return d + x;
          }
        }
        """));
  }

  @Test
  void integralConstants() {
    Check.exact(c, CLS, "intConstants", expect(2 * 2 + 3 - 0.5, 2 - 0.25), 2.0);
    Check.exact(c, CLS, "longConstants", expect(6 - 1 + 1e10, 3), 2.0);
    Check.exact(c, CLS, "ownConstants", expect(12 + 1 + 0.25, 12 + 0.5), 2.0);
    // 7 / 2 is 3 and 1 / 2 is 0 in integer arithmetic
    Check.exact(c, CLS, "constantIntegerDivision", expect(6, 3), 2.0);
    checkDoubles(c, CLS, "intConstants", 1, -3, 3, 10, 1);
    checkDoubles(c, CLS, "ownConstants", 1, -3, 3, 10, 2);
    checkDoubles(c, CLS, "shortAndByte", 1, -3, 3, 10, 3);
    Check.exact(c, CLS, "shortAndByte", expect(600 + 28, 300 + 28), 2.0);
  }

  @Test
  void constantsOfEveryKind() {
    double dx = Math.sqrt(2) + 0.25 * 2 + 3 + 98 + Math.E + Math.log(3) + 2.147483647;
    double dy = 2 * 2.5 * 2 + 0.25 + (1L << 40) / 1e12 + 6 + 3 + Double.MIN_VALUE;
    double[] g = c.gradient(CLS, "staticFinalConstants", 1.0, 2.0);
    Check.exact(c, CLS, "staticFinalConstants", expect(g[0], dx, dy), 1.0, 2.0);
    checkDoubles(c, CLS, "staticFinalConstants", 2, -3, 3, 10, 7);
  }

  @Test
  void integralLocalsWithIntegralSemantics() {
    // k = (int) (1 + 2.6) = 3, m = (long) (3 * 5.7) = 17
    Check.exact(c, CLS, "integralCompoundFromDouble", expect(3 * 1.3 + 17 * 0.7, 3, 17), 1.3, 0.7);
    // c = 'c' = 99
    Check.exact(c, CLS, "charArithmetic", expect(99 * 1.5 + 2 * 0.5, 99, 2), 1.5, 0.5);
    // -3 x - 2 y + ~3 x = -7 x - 2 y
    Check.exact(c, CLS, "unaryOnIntegers", expect(-7 - 4, -7, -2), 1.0, 2.0);
    // (long) i * i = 1e10; i * i overflows int to 1410065408
    Check.exact(c, CLS, "intOverflowStaysInt", expect(1 + 0.1410065408, 1, 0.1410065408),
        1.0, 1.0);
    // s = (3 << 2) >> 1 = 6, 2^35 * 1e-10, 3 >>> 1 = 1
    Check.exact(c, CLS, "shifts", expect(7 + 3.4359738368, 7, 3.4359738368), 1.0, 1.0);
    for (double[] p : new double[][] {{1.3, 0.7}, {-1.1, 2.3}, {0.2, -2.9}}) {
      checkDoublesAt(c, CLS, "integralCompoundFromDouble", p);
      checkDoublesAt(c, CLS, "charArithmetic", p);
      checkDoublesAt(c, CLS, "unaryOnIntegers", p);
      checkDoublesAt(c, CLS, "shifts", p);
    }
  }

  @Test
  void integralParametersHaveNoComponent() {
    Check.exact(c, CLS, "intParameter", expect(2 * 5 + 2, 5), 2.0, 5);
    Check.exact(c, CLS, "longParameter", expect(2 * 4 + 1 - 0.5, 4 - 0.25), 2.0, 4L);
    Check.random(c, CLS, "intParameter", wrt(0), -3, 3, 10, 1, 0.0, -7);
    Check.random(c, CLS, "longParameter", wrt(0), -3, 3, 10, 2, 0.0, 9L);
    Check.random(c, CLS, "divisionByIntVariable", wrt(0), -3, 3, 10, 3, 0.0, 6);
  }

  @Test
  void integerDivisionStaysInteger() {
    // n / 2 with n = 5 is 2, not 2.5
    Check.exact(c, CLS, "integerDivisionStaysInteger", expect(6, 2), 3.0, 5);
    Check.exact(c, CLS, "integerDivisionStaysInteger", expect(-6, -2), 3.0, -5);
    // x / n + (n / 4) * x with n = 6: 1/6 + 1
    Check.exact(c, CLS, "divisionByIntVariable", expect(2.0 / 6 + 2, 1.0 / 6 + 1), 2.0, 6);
    // k = ((2n + 3 - 1) * 3 / 4) % 5 with n = 4: (10 * 3) / 4 = 7, 7 % 5 = 2
    Check.exact(c, CLS, "intLocalCompound", expect(3, 2), 1.5, 4);
    // x += 9 / 4 (= 2); x *= 9; result x^2: d/dx = 2 * 9 * (x + 2) * 9
    Check.exact(c, CLS, "compoundAddOfIntegerDivision", expect(81 * 9, 2 * 81 * 3), 1.0, 9);
    Check.random(c, CLS, "compoundAddOfIntegerDivision", wrt(0), -3, 3, 10, 4, 0.0, 7);
    // k = 3 + 1 + 1 - 1 = 4, d = x + 1: result 4 (x + 1)
    Check.exact(c, CLS, "increments", expect(12, 4), 2.0);
  }

  @Test
  void integralCastsCutTheDerivative() {
    // (int) x * x at 2.5: 2 * 2.5, derivative (int) x = 2
    Check.exact(c, CLS, "intCastCutsDerivative", expect(5, 2), 2.5);
    Check.exact(c, CLS, "intCastCutsDerivative", expect(-2 * -2.5, -2), -2.5);
    // (int) (3x) + y * (long) y at (1.1, 2.5): 3 + 5; d/dx = 0, d/dy = (long) y = 2
    Check.exact(c, CLS, "intCastOfProduct", expect(8, 0, 2), 1.1, 2.5);
    // k = 23, k / 3 = 7: 7x
    Check.exact(c, CLS, "intFromCastInDivision", expect(7 * 2.35, 7), 2.35);
    Check.exact(c, CLS, "castToIntAndBack", expect(6, 0, 2), 2.7, 3.0);
    Check.exact(c, CLS, "roundIsConstant", expect(2.3 * 2, 2), 2.3);
    Check.exact(c, CLS, "intMathFunctions", expect(2 * -4 + 7 * 2, -4 + 7), 2.0, -7);
    for (double x : new double[] {0.33, 1.45, -1.63, 2.71, -2.25}) {
      checkDoublesAt(c, CLS, "intCastCutsDerivative", x);
      checkDoublesAt(c, CLS, "intFromCastInDivision", x);
      checkDoublesAt(c, CLS, "roundIsConstant", x);
      checkDoublesAt(c, CLS, "castToIntAndBack", x, x + 1);
      checkDoublesAt(c, CLS, "intCastOfProduct", x, -x);
    }
  }

  @Test
  void ternaryMixingIntAndDouble() {
    Check.exact(c, CLS, "ternaryMixingIntAndDouble", expect(9, 6), 3.0, 5);
    Check.exact(c, CLS, "ternaryMixingIntAndDouble", expect(3, 1), 3.0, 1);
  }

  @Test
  void floatAndDoubleConversions() {
    // The derivative flows through (float) x unchanged: d/dx (float) x * y = y
    Check.exact(c, CLS, "floatCastInDouble", expect(1.5 * 3, 3, 1.5), 1.5, 3.0);
    double[] g = c.gradient(CLS, "floatCastInDouble", 0.1, 3.0);
    Check.exact(c, CLS, "floatCastInDouble", expect(g[0], 3, (float) 0.1), 0.1, 3.0);
    // a b + a / b + a^2 at (2, 4): d/da = b + 1/b + 2a, d/db = a - a/b^2
    Check.exact(c, CLS, "mixedFloatAndDouble", expect(8 + 0.5 + 4, 4 + 0.25 + 4, 2 - 0.125),
        2.0f, 4.0);
    Check.random(c, CLS, "mixedFloatAndDouble", wrt(0, 1), 0.5, 3, 10, 1, 0f, 0.0);
    // a = x y + y^2, result a x: d/dx = 2 x y + y^2, d/dy = x (x + 2 y)
    Check.exactFloat(c, CLS, "floatLocalNarrowedFromDouble", expect(2 * (6 + 9), 12 + 9, 2 * 8),
        2.0f, 3.0);
    Check.exactFloat(c, CLS, "floatLocalNarrowedFromDouble", expect(1.5, 1.75, 3.75), 1.5f, 0.5);
    checkFloats(c, CLS, "floatParametersDoubleInternals", 2, -2, 2, 15, 3);
    checkFloats(c, CLS, "allFloat", 2, 0, 3, 15, 4);
    checkFloats(c, CLS, "widenedParameterReassigned", 1, -3, 3, 15, 5);
    Check.exact(c, CLS, "widenedParameterReassigned", expect(4 + 2, 4 + 1), 2.0f);
    Check.exact(c, CLS, "floatLiteralsInDouble", expect((double) 0.1f * 2 + 2, (double) 0.1f + 2), 2.0);
    checkDoubles(c, CLS, "floatLiteralsInDouble", 1, -3, 3, 10, 6);
  }
}
