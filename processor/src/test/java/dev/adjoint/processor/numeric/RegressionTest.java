package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static dev.adjoint.processor.testing.Compiled.source;

import dev.adjoint.processor.testing.Compiled;
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
}
