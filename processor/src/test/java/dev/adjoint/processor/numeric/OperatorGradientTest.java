package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static dev.adjoint.processor.testing.Compiled.source;
import static dev.adjoint.processor.testing.GradientAssert.checkDoubles;
import static dev.adjoint.processor.testing.GradientAssert.checkDoublesAt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Arithmetic operators, locals, reassignment and compound assignment on doubles. */
class OperatorGradientTest {
  private static final String OPS = "p.Ops";
  private static Compiled c;

  private static final String SOURCE = """
        package p;
        import dev.adjoint.*;
        class Ops {
          @Differentiable static double add(double x, double y) { return x + y; }
          @Differentiable static double sub(double x, double y) { return x - y; }
          @Differentiable static double mul(double x, double y) { return x * y; }
          @Differentiable static double div(double x, double y) { return x / y; }
          @Differentiable static double square(double x) { return x * x; }
          @Differentiable static double cube(double x) { return x * x * x; }
          @Differentiable static double repeatedFactors(double x, double y) {
            return 3 * x * y * x * (x - y) * 0.5 * (x - y) * x;
          }
          @Differentiable static double repeatedNonlinear(double x, double y) {
            return (y - x * x) * 100 * (y - x * x) + (1 - x) * (1 - x);
          }
          @Differentiable static double negate(double x, double y) { return -x * -y - -x; }
          @Differentiable static double doubleNegation(double x) { return -(-(x * x)); }
          @Differentiable static double unaryPlus(double x) { return +x * +x; }
          @Differentiable static double rem(double x, double y) { return x % y; }
          @Differentiable static double remOfProducts(double x, double y) {
            return (x * y) % (y + 1) * x;
          }
          @Differentiable static double quotientChain(double x, double y, double z) {
            return x / y / z;
          }
          @Differentiable static double precedence(double x, double y, double z) {
            return x - y * z + (x - y) * z - x / (y + z) - (x - (y - z));
          }
          @Differentiable static double constants(double x) { return 3.0 * x + 2.0 / x - 1.5; }
          @Differentiable static double unusedParam(double x, double y) { return x * 2; }
          @Differentiable static double constantResult(double x) { return 4.0; }
          @Differentiable static double sameVariableTwice(double x) { return x / x + x - x; }
          @Differentiable static double locals(double x, double y) {
            double a = x * y;
            double b = a + x;
            double c = b * a;
            return c - y;
          }
          @Differentiable static double declaredThenAssigned(double x) {
            double a;
            a = x * x;
            return a;
          }
          @Differentiable static double reassignment(double x, double y) {
            double a = x;
            a = a * y;
            a = a + x * a;
            a = a / y;
            return a;
          }
          @Differentiable static double parameterReassignment(double x, double y) {
            x = x * y;
            y = x + y;
            x = x * x;
            return x + y;
          }
          @Differentiable static double overwrittenAfterNonlinearUse(double x, double y) {
            double a = x * y;
            double b = a * a;
            a = y;
            b = b * a;
            a = x;
            return b * a;
          }
          @Differentiable static double plusAssign(double x, double y) {
            double a = x;
            a += y * x;
            a += a;
            return a * y;
          }
          @Differentiable static double minusAssign(double x, double y) {
            double a = x * x;
            a -= y;
            a -= a * y;
            return a;
          }
          @Differentiable static double timesAssign(double x, double y) {
            double a = x;
            a *= y;
            a *= a;
            a *= x + 1;
            return a;
          }
          @Differentiable static double divideAssign(double x, double y) {
            double a = x + 2;
            a /= y;
            a /= a + 1;
            a /= x;
            return a;
          }
          @Differentiable static double remAssign(double x, double y) {
            double a = x * 3;
            a %= y;
            return a * y;
          }
          @Differentiable static double compoundOnParameter(double x, double y) {
            x *= y;
            x += y;
            y /= x;
            return x * y;
          }
          @Differentiable static double independentChains(double x, double y) {
            double a = x * x;
            double b = y * y;
            a = a * 2;
            b = b * 3;
            return a + b;
          }
        }
        """;

  @BeforeAll
  static void compile() {
    c = Compiled.of(source(OPS, SOURCE));
  }

  @Test
  void exactValues() {
    Check.exact(c, OPS, "add", expect(5, 1, 1), 2.0, 3.0);
    Check.exact(c, OPS, "sub", expect(-1, 1, -1), 2.0, 3.0);
    Check.exact(c, OPS, "mul", expect(12, 4, 3), 3.0, 4.0);
    Check.exact(c, OPS, "div", expect(0.5, 0.5, -0.25), 1.0, 2.0);
    Check.exact(c, OPS, "square", expect(9, 6), 3.0);
    Check.exact(c, OPS, "cube", expect(8, 12), 2.0);
    // 1.5 x^3 y (x - y)^2 at (2, 1): 12; d/dx = 4.5 x^2 y (x-y)^2 + 3 x^3 y (x-y) = 18 + 24,
    // d/dy = 1.5 x^3 (x-y)^2 - 3 x^3 y (x-y) = 12 - 24
    Check.exact(c, OPS, "repeatedFactors", expect(12, 42, -12), 2.0, 1.0);
    // 100 (y - x^2)^2 + (1 - x)^2 at (2, 3): 101; d/dx = -400 x (y - x^2) - 2 (1 - x) = 802,
    // d/dy = 200 (y - x^2) = -200
    Check.exact(c, OPS, "repeatedNonlinear", expect(101, 802, -200), 2.0, 3.0);
    // -x * -y - -x = x*y + x: d/dx = y + 1, d/dy = x
    Check.exact(c, OPS, "negate", expect(2 * 5 + 2, 6, 2), 2.0, 5.0);
    Check.exact(c, OPS, "doubleNegation", expect(16, 8), 4.0);
    Check.exact(c, OPS, "unaryPlus", expect(9, -6), -3.0);
    // 5.5 % 2 = 1.5 = 5.5 - 2 * 2: d/dx = 1, d/dy = -2
    Check.exact(c, OPS, "rem", expect(1.5, 1, -2), 5.5, 2.0);
    // -5.5 % 2 = -1.5 = -5.5 - 2 * (-2): d/dy = 2
    Check.exact(c, OPS, "rem", expect(-1.5, 1, 2), -5.5, 2.0);
    Check.exact(c, OPS, "constants", expect(3 * 2 + 1 - 1.5, 3 - 0.5), 2.0);
    Check.exact(c, OPS, "unusedParam", expect(6, 2, 0), 3.0, 7.0);
    Check.exact(c, OPS, "constantResult", expect(4, 0), 3.0);
    Check.exact(c, OPS, "sameVariableTwice", expect(1, 0), 3.0);
    // a = x*y = 6, b = a + x = 8, c = b*a = 48, result 45;
    // d/dx = (y + 1) * a + b * y = 24 + 24, d/dy = x * a + b * x - 1 = 12 + 16 - 1
    Check.exact(c, OPS, "locals", expect(45, 48, 27), 2.0, 3.0);
    // (x*y)^2 * y * x = x^3 y^3 at (2, 3): 216; d/dx = 3 x^2 y^3 = 324, d/dy = 3 x^3 y^2 = 216
    Check.exact(c, OPS, "overwrittenAfterNonlinearUse", expect(216, 324, 216), 2.0, 3.0);
    // a = x + x*y, doubled, times y: 2 y (x + x y) at (2, 3): 48; d/dx = 2y(1+y) = 24,
    // d/dy = 2x + 4xy = 28
    Check.exact(c, OPS, "plusAssign", expect(48, 24, 28), 2.0, 3.0);
    // (x*y)^2 * (x+1) at (2, 3): 108; d/dx = 2xy^2 (x+1) + (xy)^2 = 108 + 36, d/dy = 2x^2 y (x+1)
    Check.exact(c, OPS, "timesAssign", expect(108, 144, 72), 2.0, 3.0);
  }

  @Test
  void elementaryOperatorsAtRandomPoints() {
    for (String f : new String[] {"add", "sub", "mul", "negate", "locals",
        "parameterReassignment", "overwrittenAfterNonlinearUse", "plusAssign",
        "minusAssign", "timesAssign", "independentChains", "unusedParam", "repeatedFactors",
        "repeatedNonlinear"}) {
      checkDoubles(c, OPS, f, 2, -3, 3, 20, f.hashCode());
    }
    for (String f : new String[] {"square", "cube", "doubleNegation", "unaryPlus",
        "declaredThenAssigned", "constantResult", "sameVariableTwice"}) {
      checkDoubles(c, OPS, f, 1, -3, 3, 20, f.hashCode());
    }
  }

  @Test
  void divisionAwayFromZero() {
    checkDoubles(c, OPS, "div", 2, 0.5, 3, 20, 1);
    checkDoubles(c, OPS, "quotientChain", 3, 0.5, 3, 20, 2);
    checkDoubles(c, OPS, "constants", 1, 0.5, 3, 20, 3);
    checkDoubles(c, OPS, "divideAssign", 2, 0.5, 3, 20, 4);
    checkDoubles(c, OPS, "compoundOnParameter", 2, 0.5, 3, 20, 5);
    checkDoubles(c, OPS, "reassignment", 2, 0.5, 3, 20, 6);
    checkDoubles(c, OPS, "precedence", 3, 0.5, 3, 20, 7);
    checkDoublesAt(c, OPS, "div", -2.0, -0.7);
    checkDoublesAt(c, OPS, "quotientChain", 1.5, -0.8, -2.5);
  }

  @Test
  void gradientsWithAnalysesOffAreIdentical() {
    // With activity and to-be-recorded analysis off, every overwrite is saved and restored.
    Compiled unoptimised = Compiled.of(List.of("-Aadjoint.analyses=off"), source(OPS, SOURCE));
    java.util.Random random = new java.util.Random(5);
    for (String f : new String[] {"locals", "reassignment", "parameterReassignment",
        "overwrittenAfterNonlinearUse", "plusAssign", "minusAssign", "timesAssign",
        "divideAssign", "compoundOnParameter", "independentChains", "negate"}) {
      for (int k = 0; k < 10; k++) {
        double x = 0.5 + 2 * random.nextDouble();
        double y = 0.5 + 2 * random.nextDouble();
        assertArrayEquals(c.gradient(OPS, f, x, y), unoptimised.gradient(OPS, f, x, y), 1e-12,
            f);
      }
    }
  }

  @Test
  void remainderAwayFromJumps() {
    // Points where x / y is far from an integer, so x % y is smooth.
    double[][] points = {{5.5, 2}, {-5.5, 2}, {7.1, -3}, {0.4, 1.3}, {-2.6, -1.1}, {10.3, 0.7}};
    for (double[] p : points) {
      checkDoublesAt(c, OPS, "rem", p);
    }
    checkDoublesAt(c, OPS, "remOfProducts", 2.3, 1.7);
    checkDoublesAt(c, OPS, "remOfProducts", -1.6, 2.9);
    checkDoublesAt(c, OPS, "remAssign", 1.9, 1.6);
    checkDoublesAt(c, OPS, "remAssign", -2.3, 0.8);
  }
}
