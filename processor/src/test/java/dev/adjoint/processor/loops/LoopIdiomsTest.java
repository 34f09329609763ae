package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Counted loops recognised by meaning: every spelling in the golden {@code LoopIdioms} records
 * nothing (no tape, no trip count), and its gradient matches finite differences for trip counts
 * from zero up, with and without the optimising analyses (also {@code x[i++]} twice per
 * iteration, {@code while (true)} loops whose exit test comes first or last, and do/while loops).
 * Look-alikes that are not counted (index or bound changed in the body, break, step not a
 * constant, an exit test that reads a value or that a {@code continue} skips, ...) still record
 * their trip count and still get correct gradients.
 */
class LoopIdiomsTest {
  private static final String IDIOMS = "golden.LoopIdioms";
  private static final String OTHERS = "p.LookAlikes";
  private static final int[] LENGTHS = {0, 1, 2, 3, 4, 7};
  private static Compiled c;
  /** The same programs compiled with -Aadjoint.analyses=off: gradients must not change. */
  private static Compiled unoptimised;

  @BeforeAll
  static void compile() throws IOException {
    JavaFileObject idioms = JavaFileObjects.forSourceString(IDIOMS, resource("LoopIdioms.java"));
    JavaFileObject others = Compiled.source(OTHERS,
        "package p;",
        "import dev.adjoint.Differentiable;",
        "final class LookAlikes {",
        // Not counted: the index changes in the body.
        "  @Differentiable static double indexChangedInBody(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      s = 0.5 * s + x[i] * x[i];",
        "      if (x[i] > 0) i++;",
        "    }",
        "    return s;",
        "  }",
        // Not counted: the bound changes in the body.
        "  @Differentiable static double boundChangedInBody(double[] x) {",
        "    double s = 0;",
        "    int n = x.length;",
        "    for (int i = 0; i < n; i++) {",
        "      s = 0.5 * s + x[i] * x[i];",
        "      if (s > 0.5) n--;",
        "    }",
        "    return s;",
        "  }",
        // Not counted: a break ends it early.
        "  @Differentiable static double breakOut(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      s = 0.5 * s + x[i] * x[i];",
        "      if (s > 0.6) break;",
        "    }",
        "    return s;",
        "  }",
        // Not counted: the step is not a constant.
        "  @Differentiable static double stepNotConstant(double[] x, int k) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i += k) {",
        "      s = 0.5 * s + x[i] * x[i];",
        "    }",
        "    return s;",
        "  }",
        // Not counted: the step grows.
        "  @Differentiable static double stepGrows(double[] x) {",
        "    double s = 0;",
        "    int step = 1;",
        "    for (int i = 0; i < x.length; i += step) {",
        "      s = 0.5 * s + x[i] * x[i];",
        "      step++;",
        "    }",
        "    return s;",
        "  }",
        // Counted exactly: != with a step of 2 (a loop that ended hit the bound exactly).
        "  @Differentiable static double notEqualStepTwo(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i != 2 * (x.length / 2); i += 2) {",
        "      s = 0.5 * s + x[i] * x[i + 1];",
        "    }",
        "    return s;",
        "  }",
        // Counted exactly: != whose start is not provably before the bound.
        "  @Differentiable static double notEqualUnknownStart(double[] x, int from) {",
        "    double s = 0;",
        "    for (int i = from; i != x.length; i++) {",
        "      s = 0.5 * s + x[i] * x[i];",
        "    }",
        "    return s;",
        "  }",
        // Counted: a step by two in the middle, read after it in a branch and a call.
        "  @Differentiable static double stepMidBody(double[] x, double c) {",
        "    double s = 0;",
        "    int i = 0;",
        "    while (i < x.length - 1) {",
        "      s += x[i] * c;",
        "      i += 2;",
        "      if (x[i - 1] > 0) s += Math.sin(x[i - 2]) * cube(x[i - 1]); else s -= x[i - 1] * s;",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double cube(double v) { return v * v * v; }",
        // Counted: the step that comes first moves to the end of the body (IncrementsLast),
        // the statements after it reading i + 1 for i.
        "  @Differentiable static double updateFirst(double[] x) {",
        "    double s = 0;",
        "    int i = 0;",
        "    while (i < x.length) {",
        "      i++;",
        "      s = 0.5 * s + x[i - 1] * x[i - 1];",
        "    }",
        "    return s;",
        "  }",
        // Not counted: a continue skips the update at the end of the while body.
        "  @Differentiable static double continueSkipsUpdate(double[] x) {",
        "    double s = 0;",
        "    int i = 0;",
        "    while (i < x.length) {",
        "      if (x[i] < 0) { i += 2; continue; }",
        "      s = 0.5 * s + x[i] * x[i];",
        "      i++;",
        "    }",
        "    return s;",
        "  }",
        // Counted: a counter declared outside an outer loop and reset in it.
        "  @Differentiable static double counterResetPerRow(double[] x) {",
        "    double s = 0;",
        "    int k = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      double t = x[i];",
        "      k = 0;",
        "      while (k < 3) { t = Math.sin(t) * x[k % x.length]; k++; }",
        "      s += t * t * k;",
        "    }",
        "    return s + k;",
        "  }",
        // Counted: a counter declared in the outer loop's body, read after its loop.
        "  @Differentiable static double counterDeclaredPerRow(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      double t = x[i];",
        "      int k = 1;",
        "      while (k < x.length) { t = 0.5 * t + x[k] * x[i]; k += 2; }",
        "      s += t * t * k;",
        "    }",
        "    return s;",
        "  }",
        // Not counted: the exit test reads the sum (its negation !(a || b) is the condition).
        "  @Differentiable static double exitOnValue(double[] x) {",
        "    double s = 0;",
        "    int i = 0;",
        "    while (true) {",
        "      if (i >= x.length || s > 0.8) break;",
        "      s = 0.5 * s + x[i] * x[i] + 0.3;",
        "      i++;",
        "    }",
        "    return s;",
        "  }",
        // Not counted: a continue skips the exit test at the end of the body.
        "  @Differentiable static double exitTestLastAfterContinue(double[] x) {",
        "    double s = 0;",
        "    int i = 0;",
        "    while (true) {",
        "      double v = i < x.length ? x[i] : 0.25;",
        "      i++;",
        "      if (v < 0) continue;",
        "      s = 0.5 * s + v * v;",
        "      if (i >= x.length) break;",
        "    }",
        "    return s;",
        "  }",
        // Counted: a triangle whose reverse counts down (the body overwrites s).
        "  @Differentiable static double triangleDown(double[] x, int n) {",
        "    double s = 0;",
        "    for (int i = n - 1; i >= 0; i--) {",
        "      for (int j = i + 1; j < n; j++) { s = 0.5 * s + x[i] * x[j]; }",
        "    }",
        "    return s;",
        "  }",
        "}");
    c = Compiled.of(idioms, others);
    unoptimised = Compiled.of(List.of("-Aadjoint.analyses=off"), idioms, others);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lessOrEqual", "rosenbrock", "indexPlusOne", "boundMinusTwo",
      "boundOnTheLeft", "notEqual", "stepThree", "countingDown", "countingDownByTwo",
      "spellings", "lowerTriangle", "upperTriangle", "indexDeclaredBefore", "whileCounter",
      "updateInBody", "pairPotential", "whileSum", "postIncrementPairs", "exitTestFirst",
      "exitTestFirstFor", "exitTestLast", "exitTestLastSum", "doWhileDown"})
  void idiomGradientsMatchFiniteDifferences(String method) {
    for (int n : LENGTHS) {
      check(IDIOMS, method, (Object) random(n, n));
    }
  }

  @Test
  void indexReadBeforeTheLoopIsRestored() {
    for (int n : LENGTHS) {
      if (n > 0) {
        check(IDIOMS, "indexReadBeforeLoop", (Object) random(n, n));
      }
    }
  }

  @Test
  void parameterBoundIncludingTheMostNegativeInt() {
    for (int n : new int[] {0, 1, 3, 5, -4, Integer.MIN_VALUE}) {
      check(IDIOMS, "lessThanParameter", random(5, n), n);
    }
  }

  @Test
  void noIdiomRecordsAnything() {
    String src = c.generatedSource(IDIOMS + "Grad");
    assertFalse(src.contains("Tape"), src);
    assertFalse(src.contains("iterations++"), src);
  }

  @Test
  void lookAlikesRecordTheirTripCountAndStayCorrect() {
    for (String m : new String[] {"indexChangedInBody", "boundChangedInBody", "breakOut",
        "stepGrows", "continueSkipsUpdate", "exitOnValue", "exitTestLastAfterContinue"}) {
      assertCounted(m, false);
      for (int n : LENGTHS) {
        check(OTHERS, m, (Object) random(n, 10 + n));
      }
    }
    assertCounted("stepNotConstant", false);
    for (int n : LENGTHS) {
      check(OTHERS, "stepNotConstant", random(n, 20 + n), 2);
    }
  }

  @Test
  void aStepBeforeTheRestOfTheBodyIsCounted() {
    assertCounted("updateFirst", true);
    assertCounted("stepMidBody", true);
    for (int n : LENGTHS) {
      check(OTHERS, "updateFirst", (Object) random(n, 60 + n));
      check(OTHERS, "stepMidBody", random(n, 80 + n), 0.7);
    }
  }

  @Test
  void notEqualLoopsAreCountedByWhereTheyStop() {
    assertCounted("notEqualStepTwo", true);
    assertCounted("notEqualUnknownStart", true);
    String body = accumulatingForm(c.generatedSource(OTHERS + "Grad"), "notEqualUnknownStart");
    // The reverse loop stops with != one step before the start (it may wrap around int).
    assertTrue(body.contains("i != from - 1; i--"), body);
    for (int n : LENGTHS) {
      check(OTHERS, "notEqualStepTwo", (Object) random(n, 10 + n));
      for (int from = 0; from <= n; from++) {
        check(OTHERS, "notEqualUnknownStart", random(n, 30 + n), from);
      }
    }
  }

  @Test
  void countersOutsideAndTrianglesDownAreCounted() {
    assertCounted("counterResetPerRow", true);
    assertCounted("triangleDown", true);
    assertCounted("counterDeclaredPerRow", true);
    for (int n : LENGTHS) {
      if (n > 0) {
        check(OTHERS, "counterResetPerRow", (Object) random(n, 40 + n));
      }
      check(OTHERS, "triangleDown", random(n, 50 + n), n);
      check(OTHERS, "counterDeclaredPerRow", (Object) random(n, 70 + n));
    }
  }

  @Test
  void analysesOnAndOffAgree() {
    double[] x = random(6, 60);
    for (String m : new String[] {"rosenbrock", "countingDownByTwo", "whileCounter",
        "indexDeclaredBefore", "lowerTriangle", "stepThree", "upperTriangle", "pairPotential",
        "whileSum", "postIncrementPairs", "exitTestFirst", "exitTestLast", "exitTestLastSum",
        "doWhileDown"}) {
      Object on = c.invoke(IDIOMS + "Grad", m, (Object) x.clone());
      Object off = unoptimised.invoke(IDIOMS + "Grad", m, (Object) x.clone());
      assertArrayEquals(gradient(on), gradient(off), 1e-12, m);
    }
  }

  /** Checks against finite differences, with and without the optimising analyses. */
  private static void check(String cls, String method, Object... args) {
    ArrayGradientCheck.check(c, cls, method, args);
    ArrayGradientCheck.check(unoptimised, cls, method, args);
  }

  /** Asserts whether {@code method}'s gradient counts its loops (counts no trips). */
  private static void assertCounted(String method, boolean counted) {
    String body = accumulatingForm(c.generatedSource(OTHERS + "Grad"), method);
    assertEquals(counted, !body.contains("iterations++"), body);
  }

  /** The text of the accumulating form of {@code method} in generated source {@code src}. */
  static String accumulatingForm(String src, String method) {
    int at = -1;
    do {
      at = src.indexOf("static double " + method + "(", at + 1);
    } while (!src.substring(at, src.indexOf('{', at)).contains("Accumulator gradient)"));
    int end = src.indexOf("\n    /**", at);
    return src.substring(at, end < 0 ? src.length() : end);
  }

  /** The {@code x} component of a generated gradient record. */
  static double[] gradient(Object record) {
    try {
      return (double[]) record.getClass().getMethod("x").invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code n} uniform values in [-1, 1) from {@code seed}. */
  static double[] random(int n, long seed) {
    Random r = new Random(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() * 2 - 1;
    }
    return x;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = LoopIdiomsTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
