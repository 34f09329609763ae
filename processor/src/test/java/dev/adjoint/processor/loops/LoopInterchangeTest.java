package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dot-product loops that read an array across its rows are interchanged (the golden
 * {@code Interchange} shows the code): their gradients match finite differences, with the
 * analyses (and so the interchange) on and off, and the value is bit for bit the function's.
 * Look-alikes whose meaning an interchange would change, or that it would not speed up, are
 * left alone and stay correct.
 */
class LoopInterchangeTest {
  private static final String GOLDEN = "golden.Interchange";
  private static final String DOTS = "p.Dots";
  private static final String MARK = "Loops interchanged";
  private static Compiled c;
  private static Compiled unoptimised;

  @BeforeAll
  static void compile() throws IOException {
    JavaFileObject golden = JavaFileObjects.forSourceString(GOLDEN, resource("Interchange.java"));
    JavaFileObject dots = Compiled.source(DOTS,
        "package p;",
        "import dev.adjoint.Differentiable;",
        "final class Dots {",
        // Interchanged: j from a parameter, k counting down, z subtracted, a longer epilogue.
        "  @Differentiable static double window(double[] w, double[] x, double[] y, int from,",
        "      int to) {",
        "    double s = 0;",
        "    for (int j = from; j < to; j++) {",
        "      double z = y[j] * y[j];",
        "      for (int k = x.length - 1; k >= 0; k -= 1) {",
        "        z -= Math.sin(x[k]) * w[k * 6 + j];",
        "      }",
        "      z = z * z;",
        "      s += z * y[j];",
        "    }",
        "    return s;",
        "  }",
        // Not interchanged: the reduction reads z.
        "  @Differentiable static double readsZ(double[] w, double[] x) {",
        "    double s = 0;",
        "    for (int j = 0; j < 4; j++) {",
        "      double z = 1;",
        "      for (int k = 0; k < x.length; k++) {",
        "        z += 0.5 * z * x[k] * w[k * 4 + j];",
        "      }",
        "      s += z;",
        "    }",
        "    return s;",
        "  }",
        // Not interchanged: the epilogue writes an array the reduction reads.
        "  @Differentiable static double epilogueWritesInput(double[] w, double[] x) {",
        "    double[] a = new double[x.length];",
        "    for (int k = 0; k < x.length; k++) {",
        "      a[k] = x[k];",
        "    }",
        "    double s = 0;",
        "    for (int j = 0; j < 4; j++) {",
        "      double z = 0;",
        "      for (int k = 0; k < x.length; k++) {",
        "        z += a[k] * w[k * 4 + j];",
        "      }",
        "      a[j % x.length] = Math.tanh(z);",
        "      s += z * z;",
        "    }",
        "    return s;",
        "  }",
        // Not interchanged: the initialiser reads what the epilogue writes (a running sum).
        "  @Differentiable static double runningSum(double[] w, double[] x) {",
        "    double s = 0;",
        "    for (int j = 0; j < 4; j++) {",
        "      double z = s;",
        "      for (int k = 0; k < x.length; k++) {",
        "        z += x[k] * w[k * 4 + j];",
        "      }",
        "      s += Math.sin(z);",
        "    }",
        "    return s;",
        "  }",
        // Not interchanged: already contiguous in k (output-major weights).
        "  @Differentiable static double contiguous(double[] w, double[] x) {",
        "    double s = 0;",
        "    for (int j = 0; j < 4; j++) {",
        "      double z = 0;",
        "      for (int k = 0; k < x.length; k++) {",
        "        z += x[k] * w[j * x.length + k];",
        "      }",
        "      s += Math.tanh(z);",
        "    }",
        "    return s;",
        "  }",
        // Not interchanged: the inner bound depends on j (a triangle).
        "  @Differentiable static double triangle(double[] w, double[] x) {",
        "    double s = 0;",
        "    for (int j = 0; j < 4; j++) {",
        "      double z = 0;",
        "      for (int k = 0; k < j; k++) {",
        "        z += x[k] * w[k * 4 + j];",
        "      }",
        "      s += Math.tanh(z);",
        "    }",
        "    return s;",
        "  }",
        "}");
    c = Compiled.of(golden, dots);
    unoptimised = Compiled.of(List.of("-Aadjoint.analyses=off"), golden, dots);
  }

  @Test
  void stridedLayerIsInterchangedAndMatchesFiniteDifferences() {
    assertInterchanged(GOLDEN, "layer", "float", true);
    for (int batch : new int[] {0, 1, 3}) {
      Random r = new Random(batch);
      check(GOLDEN, "layer", floats(r, 12), floats(r, 4), floats(r, 3 * batch), batch);
    }
  }

  @Test
  void matrixRowsAreInterchangedAndMatchFiniteDifferences() {
    assertInterchanged(GOLDEN, "rows", "double", true);
    for (int in : new int[] {0, 1, 3}) {
      for (int outputs : new int[] {0, 1, 4}) {
        Random r = new Random(10 * in + outputs);
        double[][] w = new double[in][];
        for (int k = 0; k < in; k++) {
          w[k] = doubles(r, 4);
        }
        check(GOLDEN, "rows", w, doubles(r, in), outputs);
      }
    }
  }

  @Test
  void windowFromAParameterCountingDownIsInterchanged() {
    assertInterchanged(DOTS, "window", "double", true);
    for (int[] range : new int[][] {{0, 6}, {2, 5}, {3, 3}, {4, 1}}) {
      for (int in : new int[] {0, 2, 3}) {
        Random r = new Random(31L * range[0] + range[1] + in);
        check(DOTS, "window", doubles(r, 6 * in), doubles(r, in), doubles(r, 6), range[0],
            range[1]);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"readsZ", "epilogueWritesInput", "runningSum", "contiguous",
      "triangle"})
  void lookAlikesAreLeftAloneAndStayCorrect(String method) {
    assertInterchanged(DOTS, method, "double", false);
    for (int in : new int[] {3, 5}) {
      Random r = new Random(in);
      check(DOTS, method, doubles(r, 4 * in), doubles(r, in));
    }
  }

  @Test
  void valueIsBitForBitTheFunctions() {
    Random r = new Random(42);
    int batch = 7;
    for (int trial = 0; trial < 20; trial++) {
      float[] w = floats(r, 12);
      float[] b = floats(r, 4);
      float[] x = floats(r, 3 * batch);
      float value = (float) c.invoke(GOLDEN, "layer", w, b, x, batch);
      Object record = c.invoke(GOLDEN + "Grad", "layer", w, b, x, batch);
      assertEquals(Float.floatToRawIntBits(value),
          Float.floatToRawIntBits((float) component(record, 0)));
    }
  }

  @Test
  void analysesOnAndOffAgree() {
    Random r = new Random(5);
    float[] w = floats(r, 12);
    float[] b = floats(r, 4);
    float[] x = floats(r, 9);
    Object on = c.invoke(GOLDEN + "Grad", "layer", w, b, x, 3);
    Object off = unoptimised.invoke(GOLDEN + "Grad", "layer", w, b, x, 3);
    assertArrayEquals((float[]) component(off, 1), (float[]) component(on, 1), 1e-5f);
    assertArrayEquals((float[]) component(off, 2), (float[]) component(on, 2), 1e-5f);
  }

  /** Checks against finite differences, with and without the optimising analyses. */
  private static void check(String cls, String method, Object... args) {
    ArrayGradientCheck.check(c, cls, method, args);
    ArrayGradientCheck.check(unoptimised, cls, method, args);
  }

  private static void assertInterchanged(String cls, String method, String type,
      boolean expected) {
    String body = accumulatingForm(c.generatedSource(cls + "Grad"), type, method);
    assertEquals(expected, body.contains(MARK), body);
    // With the analyses off nothing is rearranged: the baseline the fuzzer compares with.
    String plain = accumulatingForm(unoptimised.generatedSource(cls + "Grad"), type, method);
    assertEquals(false, plain.contains(MARK), plain);
  }

  /** The text of the accumulating form of {@code method} in generated source {@code src}. */
  private static String accumulatingForm(String src, String type, String method) {
    int at = -1;
    do {
      at = src.indexOf("static " + type + " " + method + "(", at + 1);
    } while (!src.substring(at, src.indexOf('{', at)).contains("Accumulator gradient)"));
    int end = src.indexOf("\n    /**", at);
    return src.substring(at, end < 0 ? src.length() : end);
  }

  private static Object component(Object record, int i) {
    RecordComponent[] comps = record.getClass().getRecordComponents();
    try {
      return comps[i].getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static double[] doubles(Random r, int n) {
    double[] x = new double[n];
    Arrays.setAll(x, i -> r.nextDouble() * 2 - 1);
    return x;
  }

  private static float[] floats(Random r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextFloat() * 2 - 1;
    }
    return x;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = LoopInterchangeTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
