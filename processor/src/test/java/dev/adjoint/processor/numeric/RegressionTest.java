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
}
