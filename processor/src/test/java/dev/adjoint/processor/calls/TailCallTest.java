package dev.adjoint.processor.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Returns of calls chained through the callee's accumulating form, and those that fall back to
 * its record form: the functions of {@code golden/TailCalls.java}, whose generated source
 * {@code GoldenSourceTest} pins. Gradients are checked against finite differences with and
 * without the optimising analyses, and the accumulating form must add onto what its buffers
 * already hold, since a tail call hands it the caller's own buffers.
 */
class TailCallTest {
  private static final String CLS = "golden.TailCalls";
  private static Compiled c;
  /** The same source compiled with -Aadjoint.analyses=off. */
  private static Compiled unoptimised;
  /** The same source compiled with -Aadjoint.inline=off: every helper is called, none inlined. */
  private static Compiled called;

  @BeforeAll
  static void compile() throws IOException {
    JavaFileObject source;
    try (InputStream in = TailCallTest.class.getResourceAsStream("/golden/TailCalls.java")) {
      source = JavaFileObjects.forSourceString(CLS,
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    c = Compiled.of(source);
    unoptimised = Compiled.of(List.of("-Aadjoint.analyses=off"), source);
    called = Compiled.of(List.of("-Aadjoint.inline=off"), source);
  }

  private static void check(String method, Object... args) {
    ArrayGradientCheck.check(c, CLS, method, args);
    ArrayGradientCheck.check(unoptimised, CLS, method, args);
    ArrayGradientCheck.check(called, CLS, method, args);
  }

  @Test
  void theChainedCallsAreTheOnesExpected() {
    String generated = c.generatedSource(CLS + "Grad");
    // (layers is recursive: its body is its seeded accumulating form, which hands its seed on)
    assertTrue(generated.contains("TailCallsGrad.layers(w, next, layer + 1, seed, "
        + "new LayersAccumulator(dW, dNext))"), generated);
    // the small non-recursive helper is inlined, its loop in the caller's gradient
    assertFalse(generated.contains("new WeightedAccumulator(dM[1], dX)"), generated);
    // (its loop fused with its reverse, the row m[1] read through a local)
    assertTrue(generated.contains("double[] mAt = m[1];"), generated);
    assertTrue(generated.contains("weightedS += mAtAtWeightedI * xAtWeightedI;"), generated);
    // called rather than inlined, it is chained through its accumulating form
    String noInlining = called.generatedSource(CLS + "Grad");
    assertTrue(noInlining.contains("new WeightedAccumulator(dM[1], dX)"), noInlining);
    // neither form runs the callee's own forward sweep before its gradient
    assertFalse(generated.contains("TailCalls.layers("), generated);
    assertFalse(noInlining.contains("TailCalls.layers("), noInlining);
    // the unoptimised compilation chains the same way
    assertTrue(unoptimised.generatedSource(CLS + "Grad").contains(
        "new LayersAccumulator(dW, dNext)"));
  }

  @Test
  void recursionMatchesFiniteDifferencesAtEachDepth() {
    Random random = new Random(3);
    for (int depth = 1; depth <= 4; depth++) {
      check("layers", matrix(random, depth, 5), vector(random, 5), 0);
    }
    // starting below the first level
    check("layers", matrix(random, 3, 4), vector(random, 4), 1);
  }

  @Test
  void chainedAndFallBackCallsMatchFiniteDifferences() {
    Random random = new Random(4);
    for (String method : List.of("weighted", "scaledInput", "scaledResult", "inactiveArray")) {
      check(method, vector(random, 6), 0.5 + random.nextDouble(), vector(random, 6));
    }
    check("row", matrix(random, 3, 6), -0.7, vector(random, 6));
    check("aliased", vector(random, 6), 1.3);
    check("twoRows", matrix(random, 2, 6), 0.9);
  }

  @Test
  void accumulatingFormsAddOntoWhatTheirBuffersHold() throws ReflectiveOperationException {
    Random random = new Random(5);
    double[][] w = matrix(random, 3, 5);
    double[] h = vector(random, 5);
    Object record = c.invoke(CLS + "Grad", "layers", w, h, 0);
    double[][] dW = matrix(random, 3, 5);
    double[] dH = vector(random, 5);
    double[][] dWBefore = {dW[0].clone(), dW[1].clone(), dW[2].clone()};
    double[] dHBefore = dH.clone();
    Object gradient = c.load(CLS + "Grad$LayersAccumulator")
        .getConstructor(double[][].class, double[].class).newInstance(dW, dH);
    Object value = c.invoke(CLS + "Grad", "layers", w, h, 0, gradient);
    assertEquals(component(record, 0), value);
    double[][] expectedW = (double[][]) component(record, 1);
    for (int l = 0; l < w.length; l++) {
      for (int i = 0; i < h.length; i++) {
        assertEquals(dWBefore[l][i] + expectedW[l][i], dW[l][i], 1e-12);
      }
    }
    double[] expectedH = (double[]) component(record, 2);
    for (int i = 0; i < h.length; i++) {
      assertEquals(dHBefore[i] + expectedH[i], dH[i], 1e-12);
    }

    // a scalar parameter's derivative is added to its field
    double[] x = vector(random, 4);
    double[] v = vector(random, 4);
    Object scaled = c.invoke(CLS + "Grad", "scaledInput", v, 0.8, x);
    Object acc = c.load(CLS + "Grad$ScaledInputAccumulator")
        .getConstructor(double[].class, double[].class).newInstance(new double[4], new double[4]);
    acc.getClass().getField("a").setDouble(acc, 2.0);
    c.invoke(CLS + "Grad", "scaledInput", v, 0.8, x, acc);
    assertEquals(2.0 + (double) component(scaled, 2), acc.getClass().getField("a").getDouble(acc),
        1e-12);
  }

  private static Object component(Object record, int k) throws ReflectiveOperationException {
    RecordComponent rc = record.getClass().getRecordComponents()[k];
    var accessor = rc.getAccessor();
    accessor.setAccessible(true);
    return accessor.invoke(record);
  }

  private static double[] vector(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextDouble() * 2 - 1;
    }
    return v;
  }

  private static double[][] matrix(Random random, int rows, int n) {
    double[][] m = new double[rows][];
    for (int r = 0; r < rows; r++) {
      m[r] = vector(random, n);
    }
    return m;
  }
}
