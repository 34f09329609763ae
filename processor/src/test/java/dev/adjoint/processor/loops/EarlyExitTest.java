package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Early exits whose jumps set flags (the golden {@code EarlyExits}): gradients against finite
 * differences on every path, with and without the analyses, and the size of the generated code
 * for a long run of such ifs.
 */
class EarlyExitTest {
  private static final String CLASS = "golden.EarlyExits";
  private static Compiled on;
  private static Compiled off;

  @BeforeAll
  static void compile() throws IOException {
    JavaFileObject source = Compiled.source(CLASS, golden("EarlyExits.java"));
    on = Compiled.of(source);
    off = Compiled.of(List.of("-Aadjoint.analyses=off"), source);
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = EarlyExitTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Stream<Arguments> points() {
    return Stream.of(
        // guards: no early return, the first return, the second return
        Arguments.of("guards", new Object[] {0.7, -1.0}),
        Arguments.of("guards", new Object[] {0.7, 0.8}),
        Arguments.of("guards", new Object[] {0.7, 0.3}),
        Arguments.of("guards", new Object[] {-0.4, 1.2}),
        Arguments.of("guards", new Object[] {-0.4, 1.7}),
        // skips: a break, continues, and paths through the whole body
        Arguments.of("skips", new Object[] {new double[] {0.3, -0.2, 0.8, 1.4, 0.5}, 0.9}),
        Arguments.of("skips", new Object[] {new double[] {-1.5, 0.2, -0.7, -2.0, 0.6}, 1.3}),
        Arguments.of("skips", new Object[] {new double[] {0.1, 0.2}, -0.6}),
        // firstLarge: returns r early, returns q early, or runs to the end
        Arguments.of("firstLarge", new Object[] {new double[] {0.2, 0.9, 0.4}, 1.5}),
        Arguments.of("firstLarge", new Object[] {new double[] {0.2, -1.9, 0.4}, 1.0}),
        Arguments.of("firstLarge", new Object[] {new double[] {0.2, 0.3}, 0.5}));
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("points")
  void gradientsMatchFiniteDifferences(String method, Object[] args) {
    ArrayGradientCheck.check(on, CLASS, method, args);
    ArrayGradientCheck.check(off, CLASS, method, args);
  }

  /** Each guard used to copy the rest of the method into both of its paths: 2^n copies. */
  @Test
  void codeGrowsLinearlyWithTheNumberOfGuards() {
    int small = generatedLines(5);
    int large = generatedLines(20);
    // Linear growth: four times the guards, about four times the code (2^n would be 30000x).
    assertTrue(large < 5 * small, "5 guards: " + small + " lines, 20 guards: " + large);
  }

  private static int generatedLines(int guards) {
    StringBuilder body = new StringBuilder();
    body.append("package g;\nimport dev.adjoint.Differentiable;\nfinal class G {\n")
        .append("  @Differentiable static double f(double x, double y) {\n")
        .append("    double s = x;\n");
    for (int i = 0; i < guards; i++) {
      body.append("    if (y > ").append(i).append(") { if (y > ").append(i)
          .append(".5) return s * x; s = Math.sin(s * x); }\n");
    }
    body.append("    return s;\n  }\n}\n");
    Compiled c = Compiled.of(Compiled.source("g.G", body.toString()));
    String generated = c.generatedSource("g.GGrad");
    ArrayGradientCheck.check(c, "g.G", "f", new Object[] {0.7, guards - 0.7});
    ArrayGradientCheck.check(c, "g.G", "f", new Object[] {0.7, guards / 2.0 + 0.2});
    return (int) generated.lines().count();
  }

  /** An array allocated in a branch that returns is fine: that branch is its own sweep. */
  @Test
  void arrayAllocatedInABranchThatReturns() {
    Compiled c = Compiled.of(Compiled.source("g.BranchArray",
        "package g;",
        "import dev.adjoint.Differentiable;",
        "final class BranchArray {",
        "  @Differentiable static double g(double x, double y) {",
        "    if (x > 0) {",
        "      double[] a = new double[2];",
        "      a[0] = x * y;",
        "      a[1] = a[0] * a[0];",
        "      return a[1] * x;",
        "    }",
        "    return x * y;",
        "  }",
        "}"));
    ArrayGradientCheck.check(c, "g.BranchArray", "g", new Object[] {0.7, 1.3});
    ArrayGradientCheck.check(c, "g.BranchArray", "g", new Object[] {-0.7, 1.3});
  }
}
