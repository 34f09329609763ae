package dev.adjoint.processor.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.RecordGradientCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls between {@code @Differentiable} methods of a model record ({@code golden/RecordLayers}):
 * {@code h = this.layer(h, l)} in a layer loop, {@code layer(h, l)} into a local, an array call
 * passed to another, a scalar method per unit, a static method calling its record parameter's
 * method. Inlined, they cost what the same code in one method costs (no gradient record of the
 * whole model per call); every gradient is checked against finite differences with the analyses
 * on and off and with inlining off (the calls chained through the callee's generated gradient).
 */
class RecordMethodCallsTest {
  private static final String CLS = "golden.RecordLayers";
  private static final List<List<String>> OPTIONS = List.of(List.of(),
      List.of("-Aadjoint.analyses=off"), List.of("-Aadjoint.inline=off"),
      List.of("-Aadjoint.analyses=off", "-Aadjoint.inline=off"));
  private static List<Compiled> compilations;

  @BeforeAll
  static void compile() throws IOException {
    JavaFileObject source;
    try (InputStream in = RecordMethodCallsTest.class.getResourceAsStream(
        "/golden/RecordLayers.java")) {
      source = JavaFileObjects.forSourceString(CLS,
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    compilations = OPTIONS.stream().map(o -> Compiled.of(o, source)).toList();
  }

  /** The generated accumulating form of {@code method} (the one with the loops). */
  private static String body(Compiled c, String method) {
    String generated = c.generatedSource(CLS + "Grad");
    // (the last: a layer loop's plain accumulating form calls its seeded one, which has the body)
    int at = generated.lastIndexOf("public static double " + method + "(RecordLayers self,");
    assertTrue(at > 0, generated);
    return generated.substring(at, generated.indexOf("\n    }\n", at));
  }

  @Test
  void layerCallsInTheLoopAreInlinedIntoTheCallersBuffers() {
    for (String method : List.of("loss", "lossDeclared", "lossNested", "lossUnits")) {
      String inlined = body(compilations.get(0), method);
      // neither the method nor its gradient is called: no gradient record per call
      assertFalse(inlined.contains("RecordLayersGrad."), inlined);
      assertFalse(inlined.contains("self.layer(") || inlined.contains("self.unit("), inlined);
      assertTrue(inlined.contains("(inlined)"), inlined);
      String called = body(compilations.get(2), method);
      assertTrue(called.contains("RecordLayersGrad."), called);
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() throws Exception {
    Random r = new Random(17);
    int[] widths = {3, 4, 2};
    for (int trial = 0; trial < 2; trial++) {
      double[][] w = new double[widths.length - 1][];
      double[][] b = new double[widths.length - 1][];
      for (int l = 0; l < w.length; l++) {
        w[l] = RecordsTest.random(r, widths[l] * widths[l + 1]);
        b[l] = RecordsTest.random(r, widths[l + 1]);
      }
      double[] x = RecordsTest.random(r, widths[0]);
      double[] y = RecordsTest.random(r, widths[widths.length - 1]);
      double[] y1 = RecordsTest.random(r, widths[1]);
      for (Compiled c : compilations) {
        Object act = RecordsTest.newRecord(c, CLS + "$Act", 0.1 + 0.3 * trial);
        Object net = RecordsTest.newRecord(c, CLS, w, b, widths, act);
        for (String method : List.of("loss", "lossDeclared", "lossNested")) {
          RecordGradientCheck.check(c, CLS, method, net, List.of("x", "y"), x, y);
        }
        RecordGradientCheck.check(c, CLS, "lossUnits", net, List.of("x", "y"), x, y1);
        RecordGradientCheck.check(c, CLS, "penalty", null, List.of("x"), net, x, 0.7);
      }
    }
  }

  @Test
  void inlinedAndCalledGiveTheSameGradient() throws Exception {
    Random r = new Random(23);
    int[] widths = {2, 3, 3, 2};
    double[][] w = new double[widths.length - 1][];
    double[][] b = new double[widths.length - 1][];
    for (int l = 0; l < w.length; l++) {
      w[l] = RecordsTest.random(r, widths[l] * widths[l + 1]);
      b[l] = RecordsTest.random(r, widths[l + 1]);
    }
    double[] x = RecordsTest.random(r, 2);
    double[] y = RecordsTest.random(r, 2);
    double[][][] dW = new double[OPTIONS.size()][][];
    for (int k = 0; k < OPTIONS.size(); k++) {
      Compiled c = compilations.get(k);
      Object net = RecordsTest.newRecord(c, CLS, w, b, widths,
          RecordsTest.newRecord(c, CLS + "$Act", 0.2));
      Object grad = c.invoke(CLS + "Grad", "loss", net, x, y);
      dW[k] = (double[][]) RecordGradientCheck.component(
          RecordGradientCheck.component(grad, "self"), "w");
    }
    for (int k = 1; k < OPTIONS.size(); k++) {
      for (int l = 0; l < w.length; l++) {
        for (int i = 0; i < w[l].length; i++) {
          assertEquals(dW[0][l][i], dW[k][l][i], 1e-12 * Math.max(1, Math.abs(dW[0][l][i])));
        }
      }
    }
  }
}
