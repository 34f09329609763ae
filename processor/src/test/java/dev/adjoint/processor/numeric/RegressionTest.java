package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static dev.adjoint.processor.testing.Compiled.source;

import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Minimised reproducers of processor bugs found by the numeric suite. */
class RegressionTest {
  /**
   * The front end read expression types before javac had attributed the class: a class whose
   * first lowered statement is a return or an if (not a local declaration) failed with "string
   * concatenation and operations on objects are not supported".
   */
  @Test
  void classWhoseFirstStatementIsNotADeclaration() {
    Compiled c = Compiled.of(
        source("p.R1", """
            package p;
            import dev.adjoint.*;
            class R1 {
              @Differentiable static double f(double x, double y) { return x * y; }
            }
            """),
        source("p.R2", """
            package p;
            import dev.adjoint.*;
            class R2 {
              @Differentiable static double f(double x) {
                if (x > 0) {
                  return x * x;
                }
                return -x;
              }
            }
            """));
    Check.exact(c, "p.R1", "f", expect(12, 4, 3), 3.0, 4.0);
    Check.exact(c, "p.R2", "f", expect(9, 6), 3.0);
    Check.exact(c, "p.R2", "f", expect(3, -1), -3.0);
  }

  /**
   * Derivative rules combine a call's arguments, and for float arguments of a double function
   * those are widenings the printer left implicit: atan2's partials printed as float arithmetic
   * under a redundant (float) cast (an -Xlint:cast warning), and asin's 1 - x * x lost precision
   * in float.
   */
  @Test
  void floatArgumentsOfDoubleMathFunctionsAreWidenedInDerivatives() {
    Compiled c = Compiled.of(source("p.R3", """
        package p;
        import dev.adjoint.*;
        class R3 {
          @Differentiable static float atan2(float y, float x) { return (float) Math.atan2(y, x); }
          @Differentiable static float asin(float x) { return (float) Math.asin(x); }
        }
        """));
    double r2 = 1.5 * 1.5 + 0.5 * 0.5;
    Check.exactFloat(c, "p.R3", "atan2", expect(Math.atan2(0.5, 1.5), 1.5 / r2, -0.5 / r2),
        0.5f, 1.5f);
    float x = 0.9999f;
    double[] g = c.gradient("p.R3", "asin", x);
    org.junit.jupiter.api.Assertions.assertEquals(
        (float) (1 / Math.sqrt(1 - (double) x * x)), (float) g[1]);
  }

  /**
   * Return normalisation moved the rest of a block into the other branch only when a branch
   * ended in a return on every path, so a return nested in an else-if (or in an if inside a
   * branch) crashed the reverse transform ("unexpected statement in forward sweep: Return").
   */
  @Test
  void returnNestedInABranchThatDoesNotAlwaysReturn() {
    Compiled c = Compiled.of(source("p.R4", """
        package p;
        import dev.adjoint.*;
        class R4 {
          @Differentiable static double elseIf(double x, double y) {
            double a = x * y;
            if (a > 1) {
              a = a * a;
            } else if (x > 0) {
              return a + x;
            }
            return a * y;
          }
          @Differentiable static double nested(double x) {
            double a = x;
            if (x > 0) {
              if (x > 1) {
                return a * a;
              }
              a = a * 3;
            }
            return a + x;
          }
        }
        """));
    Check.exact(c, "p.R4", "elseIf", expect(108, 108, 108), 2.0, 3.0);
    Check.exact(c, "p.R4", "elseIf", expect(1, 2, 0.5), 0.5, 1.0);
    Check.exact(c, "p.R4", "elseIf", expect(-0.25, 0.25, -1), -1.0, 0.5);
    Check.exact(c, "p.R4", "nested", expect(4, 4), 2.0);
    Check.exact(c, "p.R4", "nested", expect(2, 4), 0.5);
    Check.exact(c, "p.R4", "nested", expect(-2, 2), -1.0);
  }

  /**
   * A local declared without initializer and assigned in branches was saved before an
   * assignment on a path where it had no value yet: the generated code did not compile
   * ("variable z might not have been initialized"), with the analyses on when another branch
   * reads it nonlinearly, and always with -Aadjoint.analyses=off.
   */
  @Test
  void savedLocalDeclaredWithoutInitializer() {
    String src = """
        package p;
        import dev.adjoint.*;
        class R5 {
          @Differentiable static double f(double x, double y) {
            double z;
            double w = 0;
            if (x < 0) {
              z = x * y;
              w = z * z;
            } else {
              z = x * x;
            }
            return z * x + w;
          }
        }
        """;
    for (List<String> options : List.of(List.<String>of(), List.of("-Aadjoint.analyses=off"))) {
      Compiled c = Compiled.of(options, source("p.R5", src));
      // x < 0: x^2 y + x^2 y^2; else x^3
      Check.exact(c, "p.R5", "f", expect(6, -12, 5), -1.0, 2.0);
      Check.exact(c, "p.R5", "f", expect(8, 12, 0), 2.0, 3.0);
    }
  }

  /**
   * pow's partials were NaN at base 0 where the function is smooth or one-sided smooth: in x,
   * exponent * x^(exponent - 1) is 0 * Infinity when the exponent is 0 (constant or variable);
   * in the exponent, x^y ln x is 0 * -Infinity.
   */
  @Test
  void powAtBaseZero() {
    Compiled c = Compiled.of(source("p.R6", """
        package p;
        import dev.adjoint.*;
        class R6 {
          @Differentiable static double intExponent(double x, int n) { return Math.pow(x, n); }
          @Differentiable static double zeroExponent(double x) { return Math.pow(x, 0); }
          @Differentiable static double both(double x, double y) { return Math.pow(x, y); }
        }
        """));
    Check.exact(c, "p.R6", "intExponent", expect(1, 0), 0.0, 0);
    Check.exact(c, "p.R6", "intExponent", expect(0, 1), 0.0, 1);
    Check.exact(c, "p.R6", "intExponent", expect(0, 0), 0.0, 3);
    Check.exact(c, "p.R6", "intExponent", expect(1, 0), 2.0, 0);
    Check.exact(c, "p.R6", "intExponent", expect(8, 12), 2.0, 3);
    Check.exact(c, "p.R6", "zeroExponent", expect(1, 0), 0.0);
    Check.exact(c, "p.R6", "both", expect(0, 0, 0), 0.0, 2.0);
    Check.exact(c, "p.R6", "both", expect(1, 0, 0), 0.0, 0.0);
    Check.exact(c, "p.R6", "both", expect(8, 12, 8 * Math.log(2)), 2.0, 3.0);
  }

  /**
   * Statement text is copied raw into // comments of the generated code, where javac still
   * translates unicode escapes: an escaped line feed in a block comment ended the comment (the
   * generated code did not compile), and the 100-character truncation could cut an escape in two
   * (an illegal escape).
   */
  @Test
  void unicodeEscapesInStatementText() {
    String longStatement = "double r = " + "x + ".repeat(20) + "\\u0078 * y;";
    Compiled c = Compiled.of(source("p.R7", """
        package p;
        import dev.adjoint.*;
        class R7 {
          @Differentiable static double lineFeed(double x, double y) {
            double a = x /* one \\u000a two */ * y;
            return a * x;
          }
          @Differentiable static double truncated(double x, double y) {
            %s
            return r;
          }
        }
        """.formatted(longStatement)));
    Check.exact(c, "p.R7", "lineFeed", expect(12, 12, 4), 2.0, 3.0);
    // 20 x + x y
    Check.exact(c, "p.R7", "truncated", expect(46, 23, 2), 2.0, 3.0);
  }
}
