package dev.adjoint.processor.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls of small helpers inlined into their callers ({@code CallInlining}): the functions of
 * {@code golden/Inlining.java}, whose generated source {@code GoldenSourceTest} pins, and of
 * {@code Helpers} below (helpers in another class, assigned parameters, rows of matrices,
 * returns inside loops, mutual recursion, calls in loop headers, stopped arrays). Every gradient
 * is checked against finite differences with the analyses on and off, and with inlining off
 * (every helper called through its generated gradient, as before).
 */
class InliningTest {
  private static final String CLS = "golden.Inlining";
  private static final String HELPERS = "calls.Helpers";
  private static final String OUT_HELPERS = "golden.InPlaceCalls";
  private static final List<List<String>> OPTIONS = List.of(List.of(),
      List.of("-Aadjoint.analyses=off"), List.of("-Aadjoint.inline=off"),
      List.of("-Aadjoint.analyses=off", "-Aadjoint.inline=off"));
  private static List<Compiled> compilations;
  /** golden/InPlaceCalls.java with the analyses on and off. */
  private static List<Compiled> outCompilations;

  private static final JavaFileObject HELPER_SOURCE = Compiled.source(HELPERS,
      "package calls;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "import dev.adjoint.StopGradient;",
      "class Helpers {",
      "  /** Assigns its parameter: inlined with a local for it. */",
      "  @Differentiable static double damp(double x, int n) {",
      "    for (int k = 0; k < n; k++) {",
      "      x = x * 0.5 + Math.sin(x);",
      "    }",
      "    return x;",
      "  }",
      "  /** A return inside a loop. */",
      "  @Differentiable static double firstAbove(double[] v, double a) {",
      "    for (int i = 0; i < v.length; i++) {",
      "      if (v[i] * a > 0.5) {",
      "        return v[i] * a * a;",
      "      }",
      "    }",
      "    return a;",
      "  }",
      "  @Differentiable static double dot(double[] w, double[] x) {",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) {",
      "      s += w[i] * x[i];",
      "    }",
      "    return s;",
      "  }",
      "  /** Rows of a matrix as array arguments, helpers calling helpers, a helper of Other. */",
      "  @Differentiable static double rows(double[][] w, double[] x, double b) {",
      "    double s = 0;",
      "    for (int l = 0; l < w.length; l++) {",
      "      s += Other.square(dot(w[l], x) + b) + damp(s, 2) * 0.1;",
      "    }",
      "    return s + firstAbove(x, b);",
      "  }",
      "  /** Mutual recursion: even and odd call each other. */",
      "  @Differentiable static double even(double x, int n) {",
      "    if (n == 0) { return x; }",
      "    return Math.sin(odd(x, n - 1));",
      "  }",
      "  @Differentiable static double odd(double x, int n) {",
      "    if (n == 0) { return x * x; }",
      "    return even(x, n - 1) * 1.5;",
      "  }",
      "  /** A call in a loop condition stays a call; the one in the body is inlined. */",
      "  @Differentiable static double header(double x) {",
      "    double y = x;",
      "    int k = 0;",
      "    while (Other.square(y) < 4 && k < 20) {",
      "      y = Other.square(y) + 0.1;",
      "      k++;",
      "    }",
      "    return y;",
      "  }",
      "  /** An array whose derivative the helper stops (its parameter is @NoDerivative). */",
      "  @Differentiable static double scaledSum(@NoDerivative double[] v, double a) {",
      "    double s = 0;",
      "    for (int i = 0; i < v.length; i++) { s += v[i] * a; }",
      "    return s;",
      "  }",
      "  @Differentiable static double stopped(double[] v, double a) {",
      "    return scaledSum(StopGradient.stopGradient(v), a) + v[0] * v[1];",
      "  }",
      "  /** A float helper called from double code. */",
      "  @Differentiable static double mixed(double x, float[] w) {",
      "    double s = 0;",
      "    for (int i = 0; i < w.length; i++) {",
      "      s += Other.cube(w[i]) * x;",
      "    }",
      "    return s;",
      "  }",
      "}");

  private static final JavaFileObject OTHER_SOURCE = Compiled.source("calls.Other",
      "package calls;",
      "import dev.adjoint.Differentiable;",
      "class Other {",
      "  @Differentiable static double square(double x) { return x * x; }",
      "  @Differentiable static float cube(float x) { float y = x * x; return y * x; }",
      "}");

  @BeforeAll
  static void compile() throws IOException {
    JavaFileObject source;
    try (InputStream in = InliningTest.class.getResourceAsStream("/golden/Inlining.java")) {
      source = JavaFileObjects.forSourceString(CLS,
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    compilations = OPTIONS.stream()
        .map(o -> Compiled.of(o, source, HELPER_SOURCE, OTHER_SOURCE)).toList();
    JavaFileObject inPlace;
    try (InputStream in = InliningTest.class.getResourceAsStream("/golden/InPlaceCalls.java")) {
      inPlace = JavaFileObjects.forSourceString(OUT_HELPERS,
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    // (with inlining off, void helpers called in loops and branches are an error)
    outCompilations = OPTIONS.subList(0, 2).stream().map(o -> Compiled.of(o, inPlace)).toList();
  }

  private static void check(String cls, String method, Object... args) {
    for (Compiled c : compilations) {
      ArrayGradientCheck.check(c, cls, method, args);
    }
  }

  @Test
  void leastSquaresFitRunsTheModelOncePerElement() {
    String generated = compilations.get(0).generatedSource(CLS + "Grad");
    String fit = generated.substring(generated.indexOf("public static double fit("));
    fit = fit.substring(0, fit.indexOf("\n    }\n"));
    // neither the helper nor its gradient is called: its body is in the loop, once
    assertFalse(fit.contains("Inlining.model("), fit);
    assertFalse(fit.contains("InliningGrad.model("), fit);
    assertEquals(1, fit.split("double model = ", -1).length - 1, fit);
    assertTrue(fit.contains("// line 14: in model (inlined): return a * Math.exp(-b * t) + c;"),
        fit);
    // with inlining off, the gradient calls the helper's gradient in the loop, as before
    String called = compilations.get(2).generatedSource(CLS + "Grad");
    assertTrue(called.contains("InliningGrad.model(a, b, c, t[i])"), called);

    Random random = new Random(1);
    double[] t = vector(random, 12);
    double[] y = vector(random, 12);
    check(CLS, "fit", 1.3, 0.7, -0.2, t, y);
    check(CLS, "fit", -0.4, 1.9, 0.5, t, y);
  }

  @Test
  void nestedCallsInBranchesAndSeveralPerIteration() {
    Random random = new Random(2);
    float[] w = new float[9];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextDouble() * 4 - 2);
    }
    check(CLS, "nested", w, 1.3f);
    check(CLS, "nested", w, -0.6f);
    // the large-argument branch of softplus
    check(CLS, "nested", new float[] {25f, -1f, 30f}, 1.1f);
  }

  @Test
  void arrayResultsFillTheCallersVariable() {
    String generated = compilations.get(0).generatedSource(CLS + "Grad");
    assertTrue(generated.contains("y[scaleI] = a * x[scaleI];"), generated);
    check(CLS, "norm", vector(new Random(3), 7), 0.8);
  }

  @Test
  void recursionAndCallsInConditionalBranchesStayCalls() {
    String generated = compilations.get(0).generatedSource(CLS + "Grad");
    assertTrue(generated.contains("InliningGrad.power(x, n - 1)"), generated);
    assertTrue(generated.contains("InliningGrad.model(x, 1.0, 0.0, x)"), generated);
    for (int n = 0; n <= 4; n++) {
      check(CLS, "power", 1.3, n);
    }
    check(CLS, "guarded", 0.7);
    check(CLS, "guarded", -0.7);
  }

  @Test
  void helpersOfOtherClassesParametersAssignedRowsAndReturnsInLoops() {
    String generated = compilations.get(0).generatedSource(HELPERS + "Grad");
    String rows = generated.substring(generated.indexOf("public static double rows("));
    rows = rows.substring(0, rows.indexOf("\n    }\n"));
    assertFalse(rows.contains("Grad."), rows); // every helper inlined, none called
    Random random = new Random(4);
    double[][] w = {vector(random, 5), vector(random, 5), vector(random, 5)};
    check(HELPERS, "rows", w, vector(random, 5), 0.3);
    check(HELPERS, "rows", w, vector(random, 5), -0.9);
    check(HELPERS, "damp", 0.4, 3);
    check(HELPERS, "firstAbove", vector(random, 6), 1.7);
  }

  @Test
  void mutualRecursionTerminates() {
    for (int n = 0; n <= 5; n++) {
      check(HELPERS, "even", 0.8, n);
      check(HELPERS, "odd", 0.8, n);
    }
  }

  @Test
  void callsInLoopHeadersStayCalls() {
    String generated = compilations.get(0).generatedSource(HELPERS + "Grad");
    assertTrue(generated.contains("Other.square(y) < 4.0"), generated);
    check(HELPERS, "header", 0.3);
    check(HELPERS, "header", 1.1);
  }

  @Test
  void anArrayTheHelperStopsIsNotDifferentiatedThroughIt() {
    double[] v = {0.3, -1.2, 0.8};
    // (finite differences would see through the stop: the values are checked instead)
    for (Compiled c : compilations) {
      Object record = c.invoke(HELPERS + "Grad", "stopped", v, 1.5);
      double[] g = (double[]) component(record, 1);
      // only v[0] * v[1] depends on v: the stopped scaledSum adds nothing to dV
      assertEquals(v[1], g[0], 1e-12);
      assertEquals(v[0], g[1], 1e-12);
      assertEquals(0.0, g[2], 0.0);
    }
  }

  @Test
  void voidHelpersInLoopsAndBranchesWriteTheirOutParameterInPlace() {
    String generated = outCompilations.get(0).generatedSource(OUT_HELPERS + "Grad");
    // (the body is the seeded accumulating form's, the last of the three: steps is not inlined
    // anywhere, it gives an array variable another array)
    String steps = generated.substring(generated.lastIndexOf("public static double steps("));
    steps = steps.substring(0, steps.indexOf("\n    }\n"));
    assertFalse(steps.contains("HelpersGrad.dense("), steps);
    // (the inlined tanh bound once to a local, which the reverse sweep reads)
    assertTrue(steps.contains("tanhValue = Math.tanh(denseZ);"), steps);
    assertTrue(steps.contains("g[denseJ] = tanhValue;"), steps);
    Random random = new Random(5);
    double[] x = vector(random, 3);
    double[] w = vector(random, 9);
    for (Compiled c : outCompilations) {
      for (int n = 0; n <= 3; n++) {
        ArrayGradientCheck.check(c, OUT_HELPERS, "steps", x, w, 0.4, n);
        ArrayGradientCheck.check(c, OUT_HELPERS, "steps", x, w, -0.3, n);
        ArrayGradientCheck.check(c, OUT_HELPERS, "steps", x, w, -6.0, n);
      }
    }
  }

  @Test
  void floatHelpersInDoubleCode() {
    check(HELPERS, "mixed", 0.6, new float[] {0.5f, -1.1f, 0.9f});
  }

  private static Object component(Object record, int k) {
    try {
      var accessor = record.getClass().getRecordComponents()[k].getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static double[] vector(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextDouble() * 2 - 1;
    }
    return v;
  }
}
