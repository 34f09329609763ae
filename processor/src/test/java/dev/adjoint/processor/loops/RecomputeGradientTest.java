package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the reverse sweep recomputes instead of recording, and overwrites that save nothing
 * because no reverse read is exposed to them: dot-product layers (the accumulator saved once
 * per unit, not per step), loop locals recomputed in loops that are not counted, and the
 * nearby cases that must still save (a read before the overwrite, a step that reads its own
 * target, an early exit). Each is checked against finite differences with and without the
 * optimising analyses.
 */
class RecomputeGradientTest {
  private static final String P = "p.Recomputed";
  private static Compiled c;
  private static Compiled unoptimised;

  @BeforeAll
  static void compile() {
    javax.tools.JavaFileObject programs = Compiled.source(P,
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;",
        "final class Recomputed {",
        "  @Differentiable static float denseRelu(float[] w1, float[] b1, @NoDerivative float[] x,",
        "      int batch, int in, int hidden) {",
        "    float[] h = new float[batch * hidden];",
        "    for (int n = 0; n < batch; n++) {",
        "      for (int j = 0; j < hidden; j++) {",
        "        float z = b1[j];",
        "        for (int k = 0; k < in; k++) z += x[n * in + k] * w1[k * hidden + j];",
        "        h[n * hidden + j] = z > 0 ? z : 0;",
        "      }",
        "    }",
        "    float loss = 0;",
        "    for (int i = 0; i < h.length; i++) loss += h[i] * h[i];",
        "    return loss;",
        "  }",
        "  @Differentiable static double rowsSigmoid(double[][] w, double[] x) {",
        "    double loss = 0;",
        "    for (int j = 0; j < w.length; j++) {",
        "      double s = 0;",
        "      for (int k = 0; k < x.length; k++) s += w[j][k] * x[k];",
        "      loss += (j + 1) / (1 + Math.exp(-s));",
        "    }",
        "    return loss;",
        "  }",
        "  @Differentiable static float rowsTanh(float[][] w, float[] x) {",
        "    float loss = 0;",
        "    for (float[] row : w) {",
        "      double s = 0;",
        "      for (int k = 0; k < x.length; k++) s += row[k] * x[k];",
        "      loss += (float) Math.tanh(s) * (float) Math.tanh(s);",
        "    }",
        "    return loss;",
        "  }",
        // The accumulator is read at the top of the next iteration and after the loop.
        "  @Differentiable static double readBefore(double[] w, double[] b, double[] x) {",
        "    double s = 0;",
        "    double z = 0.5;",
        "    for (int j = 0; j < b.length; j++) {",
        "      s += z * z;",
        "      z = b[j];",
        "      for (int k = 0; k < x.length; k++) z += w[j * x.length + k] * x[k];",
        "    }",
        "    return s + Math.sin(z);",
        "  }",
        // A step that reads its own target, and one that does not, on two branches.
        "  @Differentiable static double branchSteps(double[] w, double[] x) {",
        "    double s = 0;",
        "    for (int j = 0; j < 3; j++) {",
        "      double z = j;",
        "      for (int k = 0; k < x.length; k++) {",
        "        if (x[k] > 0) z += w[k] * x[k]; else z = z * w[k];",
        "      }",
        "      s += z * z;",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double earlyExit(double[] w, double[] x, double limit) {",
        "    double s = 0;",
        "    for (int j = 0; j < 3; j++) {",
        "      double z = 0;",
        "      for (int k = 0; k < x.length; k++) {",
        "        z += w[k] * x[k] * (j + 1);",
        "        if (z > limit) break;",
        "      }",
        "      s += Math.tanh(z);",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double whileLocal(double[] x, double c) {",
        "    double s = 0;",
        "    int i = 0;",
        "    while (i < x.length && x[i] < 10) {",
        "      double a = c * x[i];",
        "      s += a * a;",
        "      i++;",
        "    }",
        "    return s;",
        "  }",
        // c changes after a is read: a is recomputed after c's restore.
        "  @Differentiable static double changedAfter(double[] x, double c) {",
        "    double s = 0;",
        "    int i = 0;",
        "    while (i < x.length) {",
        "      double a = c * x[i];",
        "      s += Math.sin(a);",
        "      c = c * 1.5 + x[i];",
        "      i += 2;",
        "    }",
        "    return s + c;",
        "  }",
        // c changes before a is read again: a is recorded.
        "  @Differentiable static double changedBeforeUse(double[] x, double c) {",
        "    double s = 0;",
        "    int i = 0;",
        "    do {",
        "      double a = c * x[i];",
        "      c += 0.25 * a;",
        "      s += a * a;",
        "      i++;",
        "    } while (i < x.length);",
        "    return s + c;",
        "  }",
        "  @Differentiable static double afterStatements(double[] x) {",
        "    double s = 0;",
        "    double t = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      s += x[i];",
        "      double a = s * x[i];",
        "      double b = x[i] * 2;",
        "      double e = Math.exp(x[i] / 4);",
        "      t += a * a + b * e;",
        "    }",
        "    return t;",
        "  }",
        "  @Differentiable static double untilNegative(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length && x[i] >= 0; i++) {",
        "      double a = x[i] * x[i];",
        "      s += Math.sin(a);",
        "    }",
        "    return s;",
        "  }",
        "}");
    c = Compiled.of(programs);
    unoptimised = Compiled.of(List.of("-Aadjoint.analyses=off"), programs);
  }

  private static void check(String method, Object... args) {
    ArrayGradientCheck.check(c, P, method, args);
    ArrayGradientCheck.check(unoptimised, P, method, args);
  }

  private static double[] random(int n, double lo, double hi, long seed) {
    return new Random(seed).doubles(n, lo, hi).toArray();
  }

  private static float[] randomFloats(int n, long seed) {
    Random r = new Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return out;
  }

  /** The generated source of {@code method}'s accumulating form, up to the next method. */
  private static String gradientSource(String method) {
    String src = c.generatedSource(P + "Grad");
    Matcher m = Pattern.compile("public static \\w+ " + method + "\\([^)]*Accumulator gradient\\)")
        .matcher(src);
    assertTrue(m.find(), method);
    int end = src.indexOf("\n    }\n", m.end());
    return src.substring(m.start(), end);
  }

  private static int count(String haystack, String needle) {
    return haystack.split(Pattern.quote(needle), -1).length - 1;
  }

  @Test
  void denseReluSavesTheAccumulatorOncePerUnit() {
    for (long s = 0; s < 2; s++) {
      check("denseRelu", randomFloats(4 * 3, s), randomFloats(3, s + 10),
          randomFloats(2 * 4, s + 20), 2, 4, 3);
    }
    String g = gradientSource("denseRelu");
    assertEquals(1, count(g, "tape.pushDouble(z)"), g);
    assertEquals(1, count(g, "tape.popDouble()"), g);
  }

  @Test
  void rowDotProductsWithSigmoidAndTanh() {
    double[][] w = {random(4, -1, 1, 1), random(4, -1, 1, 2), random(4, -1, 1, 3)};
    check("rowsSigmoid", w, random(4, -1, 1, 4));
    float[][] wf = {randomFloats(3, 5), randomFloats(3, 6)};
    check("rowsTanh", wf, randomFloats(3, 7));
    // Each row's reverse runs right after it (the loop fuses): its sigmoid or tanh stays in a
    // local, nothing goes on the tape.
    assertEquals(0, count(gradientSource("rowsSigmoid"), "tape.push"), gradientSource("rowsSigmoid"));
    assertEquals(0, count(gradientSource("rowsTanh"), "tape.push"), gradientSource("rowsTanh"));
    assertEquals(1, count(gradientSource("rowsSigmoid"), "= Math.exp("), gradientSource("rowsSigmoid"));
    assertEquals(1, count(gradientSource("rowsTanh"), "= Math.tanh("), gradientSource("rowsTanh"));
  }

  @Test
  void overwritesThatAReverseReadStillNeedsSave() {
    check("readBefore", random(6, -1, 1, 8), random(2, -1, 1, 9), random(3, -1, 1, 10));
    check("branchSteps", random(4, 0.5, 1.5, 11), new double[] {0.3, -0.2, 0.7, -0.9});
    check("earlyExit", random(4, 0.1, 1, 12), random(4, 0.1, 1, 13), 0.4);
    check("earlyExit", random(4, 0.1, 1, 12), random(4, 0.1, 1, 13), 100.0);
  }

  @Test
  void localsOfLoopsThatAreNotCountedAreRecomputed() {
    check("whileLocal", new double[] {0.3, -1.2, 2.5, 11, 0.4}, 0.7);
    check("untilNegative", new double[] {0.3, 1.2, 0.5, -1, 0.4});
    check("changedAfter", random(5, -1, 1, 14), 0.3);
    String whileLocal = gradientSource("whileLocal");
    assertFalse(whileLocal.contains("pushDouble"), whileLocal);
    assertTrue(whileLocal.contains("recomputed, not recorded"), whileLocal);
    String changedAfter = gradientSource("changedAfter");
    assertTrue(changedAfter.contains("recomputed, not recorded"), changedAfter);
  }

  @Test
  void localsReadAfterTheirInputsChangeAreRecorded() {
    check("changedBeforeUse", random(4, -1, 1, 15), 0.3);
    check("afterStatements", random(5, -1, 1, 16));
    String g = gradientSource("afterStatements");
    // a reads the running sum, changed before it: recorded (and the sum, which a's adjoint
    // reads); b and e read only x[i]: recomputed.
    assertTrue(g.contains("double b = x[i] * 2"), g);
    assertTrue(g.contains("double e = Math.exp"), g);
    assertEquals(2, count(g, "tape.pushDouble"), g);
    assertTrue(g.contains("tape.pushDouble(a)"), g);
  }
}
