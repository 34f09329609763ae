package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Minimised reproducers of the failures {@link DifferentialFuzzTest} found, each checked
 * against finite differences (and its value against the original) with and without the
 * optimising analyses.
 */
class FuzzRegressionTest {
  private static final String P = "fuzzfound.Cases";
  private static Compiled on;
  private static Compiled off;

  @BeforeAll
  static void compile() {
    JavaFileObject cases = Compiled.source(P,
        "package fuzzfound;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;",
        "final class Cases {",
        // With the analyses off every overwrite is saved, also that of the index of a loop
        // that is not counted, whose restore in the reverse loop then named a variable out of
        // scope (javac: cannot find symbol).
        "  @Differentiable static double savedIndexOfUncountedLoop(double x) {",
        "    double s = x;",
        "    for (int i = 0; i < 3 && x < 5; i++) { s = s * x; }",
        "    return s;",
        "  }",
        "}");
    on = Compiled.of(cases);
    off = Compiled.of(List.of("-Aadjoint.analyses=off"), cases);
  }

  /** Checks {@code method} at {@code args} in both compilations. */
  private static void check(String method, Object... args) {
    ArrayGradientCheck.check(on, P, method, args);
    ArrayGradientCheck.check(off, P, method, args);
  }

  @Test
  void savedIndexOfUncountedLoopIsInScopeWithAnalysesOff() {
    check("savedIndexOfUncountedLoop", 1.3);
    check("savedIndexOfUncountedLoop", 6.0);
  }
}
