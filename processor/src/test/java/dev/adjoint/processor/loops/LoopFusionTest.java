package dev.adjoint.processor.loops;

import static dev.adjoint.processor.loops.LoopIdiomsTest.accumulatingForm;
import static dev.adjoint.processor.loops.LoopIdiomsTest.gradient;
import static dev.adjoint.processor.loops.LoopIdiomsTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loops fused with their reverse, nested loops included, and adjoint increments summed across
 * an inner loop: the gradients match finite differences for trip counts from zero up, with and
 * without the optimising analyses, and the generated code takes one pass where it should.
 */
class LoopFusionTest {
  private static final String CLS = "p.Fused";
  private static final int[] LENGTHS = {0, 1, 2, 3, 5, 8};
  private static Compiled c;
  private static Compiled unoptimised;

  @BeforeAll
  static void compile() {
    JavaFileObject src = Compiled.source(CLS,
        "package p;",
        "import dev.adjoint.Differentiable;",
        "final class Fused {",
        // Both loops fuse; dX[i] is summed across the inner loop.
        "  @Differentiable static double pairsBelow(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      for (int j = 0; j < i; j++) { double d = x[i] - x[j]; s += d * d * d * d; }",
        "    }",
        "    return s;",
        "  }",
        // j reaches i: the summed dX[i] and dX[j] meet in the same element.
        "  @Differentiable static double pairsWithDiagonal(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      for (int j = i; j < x.length; j++) { s += Math.sin(x[i] * x[j]); }",
        "    }",
        "    return s;",
        "  }",
        // The inner loop is not last in the outer body: the outer loop fuses alone.
        "  @Differentiable static double innerNotLast(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      for (int j = 0; j < i; j++) { s += x[i] * x[j] * x[j]; }",
        "      s += Math.cos(x[i]);",
        "    }",
        "    return s;",
        "  }",
        // Three levels, the innermost reading both outer indices.
        "  @Differentiable static double triple(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      double xi = x[i];",
        "      for (int j = 0; j <= i; j++) {",
        "        for (int k = j; k < x.length; k++) { s += xi * x[j] * Math.exp(0.1 * x[k]); }",
        "      }",
        "    }",
        "    return s;",
        "  }",
        // The element summed across the loop would be out of bounds when the loop runs none.
        "  @Differentiable static double emptyInner(double[] x, int m) {",
        "    double s = 0;",
        "    for (int j = 0; j < m; j++) { s += x[m - 1] * x[j]; }",
        "    return s;",
        "  }",
        // Statements after the nested loop, their reverse reading nothing the loop assigns.
        "  @Differentiable static double afterTheLoop(double[] x, double w) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      for (int j = i + 1; j < x.length; j++) { s -= x[j] / (1 + x[i] * x[i]); }",
        "    }",
        "    double t = w * w;",
        "    return s * 2 + t;",
        "  }",
        // A while loop whose counter is read after it.
        "  @Differentiable static double whileThenIndex(double[] x) {",
        "    double s = 0;",
        "    int i = 0;",
        "    while (i < x.length) { s += x[i] * x[i] * x[i]; i++; }",
        "    return s + i;",
        "  }",
        // Inner while loops with a counter declared outside both loops.
        "  @Differentiable static double innerWhile(double[] x) {",
        "    double s = 0;",
        "    int j = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      j = 0;",
        "      while (j < i) { s += x[i] * Math.sin(x[j]); j++; }",
        "    }",
        "    return s;",
        "  }",
        // A counter carried from one outer iteration into the next inner loop.
        "  @Differentiable static double carriedCounter(double[] x) {",
        "    double s = 0;",
        "    int j = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      while (j < i) { s += x[i] * x[j]; j++; }",
        "    }",
        "    return s;",
        "  }",
        // Rows read once per outer iteration, elements summed per row.
        "  @Differentiable static double rows(double[][] w, double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < w.length; i++) {",
        "      for (int j = 0; j < x.length; j++) {",
        "        s += Math.tanh(w[i][j] * x[j] + x[i % x.length]);",
        "      }",
        "    }",
        "    return s;",
        "  }",
        // The loop writes the array it reads at the outer index: nothing is read early.
        "  @Differentiable static double writesWhatItReads(double[] x) {",
        "    double[] y = new double[x.length];",
        "    for (int k = 0; k < x.length; k++) { y[k] = x[k]; }",
        "    double s = 0;",
        "    for (int i = 0; i < y.length; i++) {",
        "      for (int j = 0; j < i; j++) { s += y[i] * y[j]; y[j] = 0.5 * y[j] + 0.1 * y[i]; }",
        "    }",
        "    return s;",
        "  }",
        // x[i] is read three times an iteration, x[i + 1] once: only x[i] is read into a local.
        "  @Differentiable static double rosenbrock(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i + 1 < x.length; i++) {",
        "      double a = x[i + 1] - x[i] * x[i];",
        "      double b = 1 - x[i];",
        "      s += 100 * a * a + b * b;",
        "    }",
        "    return s;",
        "  }",
        // x[i + 1] is read (and its adjoint updated) only when it exists: reading it at the top,
        // or storing its summed adjoint after the condition, would go out of bounds.
        "  @Differentiable static double conditionalReads(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      double next = i + 1 < x.length ? x[i + 1] * x[i + 1] : 0;",
        "      s += next * x[i] + x[i];",
        "    }",
        "    return s;",
        "  }",
        // dX[i] is updated only when x[i] > 0, but x[i] is read whenever the iteration runs, so
        // dX[i] exists: it is summed in a local and stored once, without a branch around it.
        "  @Differentiable static double relu(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) { s += x[i] > 0 ? x[i] * x[i] : 0; }",
        "    return s;",
        "  }",
        "}");
    c = Compiled.of(src);
    unoptimised = Compiled.of(List.of("-Aadjoint.analyses=off"), src);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pairsBelow", "pairsWithDiagonal", "innerNotLast", "triple",
      "whileThenIndex", "innerWhile", "carriedCounter", "rosenbrock", "conditionalReads", "relu"})
  void gradientsMatchFiniteDifferences(String method) {
    for (int n : LENGTHS) {
      check(method, (Object) random(n, n));
    }
  }

  @Test
  void afterTheLoopMatchesFiniteDifferences() {
    for (int n : LENGTHS) {
      check("afterTheLoop", random(n, 10 + n), 0.7);
    }
  }

  @Test
  void rowsAndWritesMatchFiniteDifferences() {
    for (int n : LENGTHS) {
      double[][] w = new double[n][];
      for (int i = 0; i < n; i++) {
        w[i] = random(3, 40 + i);
      }
      check("rows", w, random(3, 50 + n));
      check("writesWhatItReads", (Object) random(n, 60 + n));
    }
  }

  @Test
  void anInnerLoopThatRunsNoneStoresNothing() {
    for (int m = 0; m <= 4; m++) {
      check("emptyInner", random(4, 20 + m), m);
    }
  }

  @Test
  void analysesOnAndOffAgree() {
    double[] x = random(7, 30);
    for (String m : new String[] {"pairsBelow", "pairsWithDiagonal", "triple", "innerWhile"}) {
      Object on = c.invoke(CLS + "Grad", m, (Object) x.clone());
      Object off = unoptimised.invoke(CLS + "Grad", m, (Object) x.clone());
      assertArrayEquals(gradient(on), gradient(off), 1e-9, m);
    }
  }

  @Test
  void pairsTakeOnePassAndSumTheRowElement() {
    String body = accumulatingForm(c.generatedSource(CLS + "Grad"), "pairsBelow");
    // One loop nest: the forward and reverse iterations share it, computing d once.
    assertEquals(2L, count(body, "for ("), body);
    assertEquals(1L, count(body, "double d = "), body);
    assertTrue(body.contains("double xAtI = x[i];"), body);
    assertTrue(body.contains("dXAtIOverJ += "), body);
    assertTrue(body.contains("dX[i] += dXAtIOverJ;"), body);
  }

  @Test
  void whileLoopTakesOnePass() {
    String body = accumulatingForm(c.generatedSource(CLS + "Grad"), "whileThenIndex");
    assertEquals(1L, count(body, "while ("), body);
    assertEquals(0L, count(body, "for ("), body);
  }

  @Test
  void anIterationReadsEachElementOnceAndNegatesNothing() {
    String body = accumulatingForm(c.generatedSource(CLS + "Grad"), "rosenbrock");
    List<String> code = body.lines().map(String::strip).filter(l -> !l.startsWith("//")).toList();
    // x[i] is read once, into a local, before its first use; x[i + 1] is read once anyway.
    assertEquals(List.of("double xAtI = x[i];"),
        code.stream().filter(l -> l.matches(".*(?<![A-Za-z])x\\[i\\].*")).toList(), body);
    assertEquals(1L, code.stream().filter(l -> l.contains("x[i + 1]")).count(), body);
    // The sign of -2 * b is carried by the constant, as in a hand-written gradient.
    assertTrue(code.contains("double dXAtI = -2.0 * b;"), body);
    assertEquals(0L, code.stream().filter(l -> l.matches(".*[=(] *-[a-zA-Z(].*")).count(), body);
    assertEquals(0L, count(body, "double dB"), body);
  }

  @Test
  void elementsReadOnlyUnderAConditionAreReadWhereTheyWere() {
    String body = accumulatingForm(c.generatedSource(CLS + "Grad"), "conditionalReads");
    assertTrue(body.contains("double xAtI = x[i];"), body);
    assertTrue(body.contains("? x[i + 1] * x[i + 1] : "), body);
    assertEquals(0L, count(body, "double xAtIPlus1"), body);
    // dX[i + 1] may not exist when the condition is false: it is updated under the condition.
    assertEquals(1L, count(body, "dX[i + 1] += 2.0 * dNext * x[i + 1];"), body);
    for (int n : LENGTHS) {
      double[] x = random(n, 70 + n);
      Object on = c.invoke(CLS + "Grad", "conditionalReads", (Object) x.clone());
      Object off = unoptimised.invoke(CLS + "Grad", "conditionalReads", (Object) x.clone());
      assertArrayEquals(gradient(off), gradient(on), 1e-12);
    }
  }

  @Test
  void anElementUpdatedUnderAConditionOnItsPrimalIsSummedInALocal() {
    String body = accumulatingForm(c.generatedSource(CLS + "Grad"), "relu");
    assertTrue(body.contains("dX[i] += dXAtI;"), body);
    assertEquals(1L, count(body, "dX["), body);
  }

  private static void check(String method, Object... args) {
    ArrayGradientCheck.check(c, CLS, method, args);
    ArrayGradientCheck.check(unoptimised, CLS, method, args);
  }

  /** The number of lines of code (not comments) in {@code s} that start with {@code part}. */
  private static long count(String s, String part) {
    return s.lines().filter(line -> line.strip().startsWith(part)).count();
  }
}
