package dev.adjoint.processor.calls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Helpers taking a {@code String} or an enum (to switch over) are inlined like any other: the
 * selector argument, a constant (a literal, an enum constant) or a variable at the call, stands
 * for the parameter. Once such helpers were never found for inlining (their key had no type for
 * the selector) and stayed calls, running their forward pass twice per element. Every spelling
 * is checked against finite differences, analyses on and off, and inlining off.
 */
class SelectorHelpersInlinedTest {
  private static final List<List<String>> OPTIONS = List.of(List.of(),
      List.of("-Aadjoint.analyses=off"), List.of("-Aadjoint.inline=off"));
  private static List<Compiled> compilations;

  static final JavaFileObject SOURCE = Compiled.source("calls.Selectors",
      "package calls;",
      "import dev.adjoint.Differentiable;",
      "import java.math.RoundingMode;",
      "final class Selectors {",
      "  enum Act { RELU, TANH, SOFTPLUS }",
      "  @Differentiable static double act(Act a, double z) {",
      "    switch (a) {",
      "      case RELU: return z > 0 ? z : 0.01 * z;",
      "      case TANH: return Math.tanh(z);",
      "      default: return Math.log1p(Math.exp(z));",
      "    }",
      "  }",
      "  @Differentiable static double named(String kind, double z) {",
      "    return switch (kind) {",
      "      case \"cube\" -> z * z * z;",
      "      case \"sin\" -> Math.sin(z) * z;",
      "      default -> z;",
      "    };",
      "  }",
      "  @Differentiable static double rounded(double z, RoundingMode m) {",
      "    return m == RoundingMode.UP ? Math.exp(z) : -z * z;",
      "  }",
      "  /** Enum constants and literals at the call, in a loop. */",
      "  @Differentiable static double constants(double[] w, double[] x) {",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) {",
      "      s += act(Act.TANH, w[i] * x[i]) + named(\"sin\", w[i]) * act(Act.RELU, x[i] - w[i])",
      "          + rounded(w[i], RoundingMode.DOWN);",
      "    }",
      "    return s + act(Act.SOFTPLUS, w[0]) + named(\"cube\", x[0]) + named(\"other\", w[1]);",
      "  }",
      "  /** The caller's own selector parameters handed on. */",
      "  @Differentiable static double handedOn(double[] w, Act a, String kind) {",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) {",
      "      s += act(a, w[i]) * named(kind, w[i] + 0.5);",
      "    }",
      "    return s;",
      "  }",
      "}");

  @BeforeAll
  static void compile() {
    compilations = OPTIONS.stream().map(o -> Compiled.of(o, SOURCE)).toList();
  }

  @Test
  void helpersWithStringAndEnumParametersAreInlined() {
    String generated = compilations.get(0).generatedSource("calls.SelectorsGrad");
    for (String signature : List.of("public static double constants(double[] w, double[] x, ",
        "public static double handedOn(double[] w, Selectors.Act a, String kind, ")) {
      String body = CallsThatStayCallsTest.method(generated, signature);
      assertFalse(body.contains("SelectorsGrad.act("), body);
      assertFalse(body.contains("SelectorsGrad.named("), body);
      assertFalse(body.contains("Selectors.act("), body);
      assertTrue(body.contains("(inlined)"), body);
    }
    Random random = new Random(31);
    for (Compiled c : compilations) {
      for (int k = 0; k < 3; k++) {
        double[] w = vector(random, 4);
        double[] x = vector(random, 4);
        ArrayGradientCheck.check(c, "calls.Selectors", "constants", w, x);
        for (String kind : List.of("cube", "sin", "none")) {
          for (Object a : c.load("calls.Selectors$Act").getEnumConstants()) {
            ArrayGradientCheck.check(c, "calls.Selectors", "handedOn", w, a, kind);
          }
        }
      }
    }
  }

  static double[] vector(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      // away from the kink of the leaky ReLU at 0
      double u = random.nextDouble() * 1.6 - 0.8;
      v[i] = Math.abs(u) < 0.05 ? u + 0.2 : u;
    }
    return v;
  }
}
