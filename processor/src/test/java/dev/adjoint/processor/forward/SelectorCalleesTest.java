package dev.adjoint.processor.forward;

import static dev.adjoint.processor.testing.Compiled.source;

import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code forward = true} and {@code hessian = true} callers of callees that take a
 * {@code String} or an enum (to switch over): the callee's JVP and directional forms are found
 * by its signature, the selector parameters included (they were once missed, and the caller was
 * told the callee had no forward-mode form). Checked against finite differences, analyses on and
 * off; {@link PrecompiledForwardTest} covers such a callee from a library compiled earlier.
 */
class SelectorCalleesTest {
  private static JavaFileObject sel() {
    return source("p.Sel", """
        package p;
        import dev.adjoint.*;
        import java.math.RoundingMode;
        class Sel {
          @Differentiable(forward = true, hessian = true)
          static double pick(String s, double x) {
            switch (s) {
              case "up": return x * x * x;
              default: return -x * Math.sin(x);
            }
          }
          @Differentiable(forward = true, hessian = true)
          static double rounded(RoundingMode m, double x, double y) {
            return m == RoundingMode.UP ? Math.exp(x * y) : x - y * y;
          }
          @Differentiable(forward = true, hessian = true)
          static double caller(double x, double y) {
            return pick("up", x * y) + rounded(RoundingMode.UP, y, x) * pick("down", x)
                + rounded(RoundingMode.DOWN, x, y);
          }
          @Differentiable(forward = true, hessian = true)
          static double passesItsOwn(double x, String s) {
            return pick(s, x) * x;
          }
        }
        """);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void forwardAndHessianCallersOfCalleesWithSelectorParameters(boolean analyses) {
    Compiled c = analyses ? Compiled.of(sel())
        : Compiled.of(List.of("-A" + AdjointProcessor.ANALYSES_OPTION + "=off"), sel());
    Random random = new Random(16);
    ForwardCheck caller = new ForwardCheck(c, "p.Sel", "caller");
    ForwardCheck own = new ForwardCheck(c, "p.Sel", "passesItsOwn");
    for (double[] p : new double[][] {{0.7, -0.4}, {-1.1, 0.3}}) {
      caller.jvp(new Object[] {p[0], p[1]}, random);
      caller.hvp(new Object[] {p[0], p[1]}, random);
      for (String s : List.of("up", "down")) {
        own.jvp(new Object[] {p[0], s}, random);
        own.hvp(new Object[] {p[0], s}, random);
      }
    }
  }
}
