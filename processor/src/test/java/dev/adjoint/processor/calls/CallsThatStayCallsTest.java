package dev.adjoint.processor.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.RecordGradientCheck;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls that stay calls whatever the call site (recursive helpers, helpers too large to inline)
 * chain through the callee's accumulating form, which adds the seed-weighted gradient into the
 * caller's own buffers, instead of its record form, which allocates a gradient as large as the
 * callee's array and record arguments (a whole model) per call: a recursive record method, a
 * recursive static function over arrays, a recursive array-valued function, and a large helper
 * taking a record with a scalar component called in a loop. Checked against finite differences
 * with the analyses on and off and with inlining off; the seeded form itself against the
 * record form.
 */
class CallsThatStayCallsTest {
  private static final List<List<String>> OPTIONS = List.of(List.of(),
      List.of("-Aadjoint.analyses=off"), List.of("-Aadjoint.inline=off"));
  private static List<Compiled> compilations;

  static final JavaFileObject CHAIN = Compiled.source("calls.Chain",
      "package calls;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "record Chain(double[][] w, double[] b, double decay) {",
      "  /** Recursive, the call scaled and added to: not a tail call. */",
      "  @Differentiable",
      "  double level(double[] h, int l) {",
      "    double s = b[l];",
      "    for (int i = 0; i < h.length; i++) {",
      "      s += w[l][i] * h[i];",
      "    }",
      "    if (l + 1 == w.length) {",
      "      return Math.tanh(s) * decay;",
      "    }",
      "    double[] next = new double[h.length];",
      "    for (int i = 0; i < h.length; i++) {",
      "      next[i] = Math.tanh(s * h[i] + b[l]);",
      "    }",
      "    return s * s * 0.1 + decay * this.level(next, l + 1);",
      "  }",
      "",
      "  @Differentiable",
      "  double loss(@NoDerivative double[] x) {",
      "    return level(x, 0) * 2 - b[0];",
      "  }",
      "",
      "  /** The same call once per example: each call adds into the same buffers. */",
      "  @Differentiable",
      "  static double batch(Chain c, @NoDerivative double[][] xs) {",
      "    double t = 0;",
      "    for (int k = 0; k < xs.length; k++) {",
      "      double y = c.level(xs[k], 0);",
      "      t += y * y;",
      "    }",
      "    return t;",
      "  }",
      "}");

  private static String bigBody() {
    StringBuilder b = new StringBuilder();
    b.append("  @Differentiable static double big(P p, double x) {\n");
    b.append("    double s = p.c() * x;\n");
    for (int k = 0; k < 44; k++) {
      b.append("    s = s * 0.9 + p.w()[").append(k % 3).append("] * ")
          .append(k % 2 == 0 ? "Math.sin(x + s)" : "x").append(";\n");
    }
    b.append("    return s;\n  }\n");
    return b.toString();
  }

  static final JavaFileObject RECURSIVE = Compiled.source("calls.Recursive",
      "package calls;",
      "import dev.adjoint.Differentiable;",
      "final class Recursive {",
      "  record P(double[] w, double c) {}",
      "  /** Recursive over plain arrays, not a tail call. */",
      "  @Differentiable static double power(double[] w, double[] x, int n) {",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) {",
      "      s += w[i] * x[i];",
      "    }",
      "    if (n == 0) {",
      "      return s;",
      "    }",
      "    return Math.sin(power(w, x, n - 1)) * s + w[0];",
      "  }",
      "  /** Recursive and array-valued. */",
      "  @Differentiable static double[] smooth(double[] v, double a, int n) {",
      "    double[] out = new double[v.length];",
      "    for (int i = 0; i < v.length; i++) {",
      "      out[i] = Math.tanh(a * v[i]) + v[i] * 0.5;",
      "    }",
      "    if (n == 0) {",
      "      return out;",
      "    }",
      "    return smooth(out, a * 0.9, n - 1);",
      "  }",
      "  @Differentiable static double smoothLoss(double[] v, double a) {",
      "    double[] s = smooth(v, a, 3);",
      "    double t = 0;",
      "    for (int i = 0; i < s.length; i++) {",
      "      t += s[i] * s[i] * (i + 1);",
      "    }",
      "    return t;",
      "  }",
      bigBody(),
      "  /** A helper too large to inline, called per element with a varying seed. */",
      "  @Differentiable static double callsBig(P p, double[] xs) {",
      "    double t = 0;",
      "    for (int i = 0; i < xs.length; i++) {",
      "      t += big(p, xs[i]) * xs[i];",
      "    }",
      "    return t;",
      "  }",
      "}");

  @BeforeAll
  static void compile() {
    compilations = OPTIONS.stream().map(o -> Compiled.of(o, CHAIN, RECURSIVE)).toList();
  }

  /** The method of {@code generated} whose signature starts so, its white space collapsed. */
  static String method(String generated, String signature) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        java.util.regex.Pattern.quote(signature).replace(" ", "\\E\\s+\\Q"))
        .matcher(generated);
    if (!m.find()) {
      throw new AssertionError("no method " + signature + " in\n" + generated);
    }
    String body = generated.substring(m.start());
    return body.substring(0, body.indexOf("\n    }\n")).replaceAll("\\s+", " ");
  }

  @Test
  void recursiveRecordMethodsAddIntoTheCallersBuffers() throws Exception {
    String generated = compilations.get(0).generatedSource("calls.ChainGrad");
    // the seeded accumulating form, and the record and plain forms on top of it
    String flat = generated.replaceAll("\\s+", " ");
    assertTrue(flat.contains("public static double level(Chain self, double[] h, int l, "
        + "double seed, LevelAccumulator gradient)"), generated);
    assertTrue(flat.contains("return level(self, h, l, 1.0, gradient);"), generated);
    String level = method(generated, "public static double level(Chain self, double[] h, "
        + "int l, double seed,");
    assertTrue(level.contains("ChainGrad.level(self, next, l + 1, "), level);
    assertTrue(level.contains("new LevelAccumulator(") || level.contains(
        "new ChainGrad.LevelAccumulator("), level);
    assertFalse(level.contains("ChainGrad.Level "), level); // no record per call
    String loss = method(generated, "public static double loss(Chain self, double[] x, "
        + "LossAccumulator");
    assertFalse(loss.contains("ChainGrad.Level "), loss);

    Random random = new Random(17);
    for (Compiled c : compilations) {
      Object chain = chain(c, random, 3, 4);
      double[] x = vector(random, 4);
      RecordGradientCheck.check(c, "calls.Chain", "loss", chain, List.of("x"), x);
      RecordGradientCheck.check(c, "calls.Chain", "level", chain, List.of(), x, 1);
      double[][] xs = {vector(random, 4), vector(random, 4), vector(random, 4)};
      RecordGradientCheck.check(c, "calls.Chain", "batch", null, List.of("xs"), chain, xs);
    }
  }

  @Test
  void theSeededFormAddsSeedTimesTheGradient() throws Exception {
    Compiled c = compilations.get(0);
    Random random = new Random(19);
    Object chain = chain(c, random, 3, 4);
    double[] h = vector(random, 4);
    Class<?> grad = c.load("calls.ChainGrad");
    Object record = c.invoke("calls.ChainGrad", "level", chain, h, 0);
    Class<?> acc = c.load("calls.ChainGrad$LevelAccumulator");
    Object gradient = acc.getMethod("zerosLike", c.load("calls.Chain"), double[].class)
        .invoke(null, chain, h);
    Method seeded = grad.getMethod("level", c.load("calls.Chain"), double[].class, int.class,
        double.class, acc);
    double value = (double) seeded.invoke(null, chain, h, 0, 2.5, gradient);
    seeded.invoke(null, chain, h, 0, -1.0, gradient);
    assertEquals(((Number) RecordGradientCheck.component(record, "value")).doubleValue(), value,
        0.0);
    double[] expected = (double[]) RecordGradientCheck.component(record, "h");
    double[] actual = (double[]) acc.getField("h").get(gradient);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(1.5 * expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])));
    }
    Object self = acc.getField("self").get(gradient);
    Object selfExpected = RecordGradientCheck.component(record, "self");
    double[][] w = (double[][]) RecordGradientCheck.component(self, "w");
    double[][] wExpected = (double[][]) RecordGradientCheck.component(selfExpected, "w");
    for (int l = 0; l < w.length; l++) {
      for (int i = 0; i < w[l].length; i++) {
        assertEquals(1.5 * wExpected[l][i], w[l][i], 1e-12 * Math.max(1,
            Math.abs(wExpected[l][i])));
      }
    }
    assertEquals(1.5 * (double) RecordGradientCheck.component(selfExpected, "decay"),
        (double) RecordGradientCheck.component(self, "decay"), 1e-12);
  }

  @Test
  void recursiveFunctionsOverArraysAndScalarAndArrayResults() {
    String generated = compilations.get(0).generatedSource("calls.RecursiveGrad");
    String power = method(generated, "public static double power(double[] w, double[] x, "
        + "int n, double seed,");
    assertTrue(power.contains("RecursiveGrad.power(w, x, n - 1, "), power);
    assertFalse(power.contains("RecursiveGrad.Power "), power);
    String smoothLoss = method(generated, "public static double smoothLoss(double[] v, "
        + "double a, SmoothLossAccumulator");
    assertFalse(smoothLoss.contains("RecursiveGrad.Smooth "), smoothLoss);
    Random random = new Random(23);
    for (Compiled c : compilations) {
      for (int n = 0; n <= 3; n++) {
        ArrayGradientCheck.check(c, "calls.Recursive", "power", vector(random, 3),
            vector(random, 3), n);
        ArrayGradientCheck.check(c, "calls.Recursive", "smooth", vector(random, 4), 0.8, n);
      }
      ArrayGradientCheck.check(c, "calls.Recursive", "smoothLoss", vector(random, 5), 1.3);
    }
  }

  @Test
  void aHelperTooLargeToInlineTakingARecordWithAScalarComponent() throws Exception {
    String generated = compilations.get(0).generatedSource("calls.RecursiveGrad");
    String callsBig = method(generated, "public static double callsBig(Recursive.P p, "
        + "double[] xs, CallsBigAccumulator");
    assertTrue(callsBig.contains("RecursiveGrad.big("), callsBig);
    assertTrue(callsBig.contains("BigAccumulator("), callsBig);
    assertFalse(callsBig.contains("RecursiveGrad.Big "), callsBig);
    Random random = new Random(29);
    for (Compiled c : compilations) {
      Constructor<?> ctor = c.load("calls.Recursive$P").getDeclaredConstructors()[0];
      ctor.setAccessible(true);
      Object p = ctor.newInstance(vector(random, 3), 0.7);
      RecordGradientCheck.check(c, "calls.Recursive", "callsBig", null, List.of(), p,
          new double[] {0.3, -0.5, 0.9});
      RecordGradientCheck.check(c, "calls.Recursive", "big", null, List.of(), p, 0.4);
    }
  }

  static Object chain(Compiled c, Random random, int levels, int n) throws Exception {
    double[][] w = new double[levels][];
    for (int l = 0; l < levels; l++) {
      w[l] = vector(random, n);
    }
    Constructor<?> ctor = c.load("calls.Chain").getDeclaredConstructors()[0];
    ctor.setAccessible(true);
    return ctor.newInstance(w, vector(random, levels), 0.8);
  }

  static double[] vector(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextDouble() * 1.6 - 0.8;
    }
    return v;
  }
}
