package dev.adjoint.processor.loops;

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
 * A layer loop's {@code h = x} over a batch without derivative: while {@code h} is the batch, its
 * adjoint is no buffer (null, which the ops' pullbacks skip) when {@code h} is only handed to
 * ops, and its updates are skipped ({@code if (h != x)}) when the layer is written out in loops.
 * The networks are checked at every depth, from none hidden (where {@code h} is still the batch
 * when the reverse sweep starts) to two, against finite differences, analyses on and off.
 */
class InactiveBatchTest {
  private static List<Compiled> compilations;

  static final JavaFileObject SOURCE = Compiled.source("loops.Batches",
      "package loops;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "import dev.adjoint.ops.Activations;",
      "import dev.adjoint.ops.Dense;",
      "import dev.adjoint.ops.Losses;",
      "final class Batches {",
      "  @Differentiable",
      "  static float ops(float[][] w, float[][] b, @NoDerivative float[] x, int[] labels,",
      "      int batch, int[] widths) {",
      "    float[] h = x;",
      "    for (int l = 0; l < w.length - 1; l++) {",
      "      h = Activations.tanh(Dense.dense(h, w[l], b[l], batch, widths[l], widths[l + 1]));",
      "    }",
      "    int last = w.length - 1;",
      "    float[] logits = Dense.dense(h, w[last], b[last], batch, widths[last],",
      "        widths[last + 1]);",
      "    return Losses.softmaxCrossEntropy(logits, labels, batch, widths[last + 1]);",
      "  }",
      "  /** The layers written out, the batch read element by element (and its length). */",
      "  @Differentiable",
      "  static double loops(double[][] w, @NoDerivative double[] x, @NoDerivative double[] y) {",
      "    double[] h = x;",
      "    for (int l = 0; l < w.length; l++) {",
      "      int n = w[l].length / h.length;",
      "      double[] z = new double[n];",
      "      for (int j = 0; j < n; j++) {",
      "        double s = 0;",
      "        for (int i = 0; i < h.length; i++) {",
      "          s += w[l][j * h.length + i] * h[i];",
      "        }",
      "        z[j] = Math.tanh(s);",
      "      }",
      "      h = z;",
      "    }",
      "    double e = 0;",
      "    for (int j = 0; j < y.length; j++) {",
      "      e += (h[j] - y[j]) * (h[j] - y[j]) + h[j] * x[0];",
      "    }",
      "    return e;",
      "  }",
      "}");

  @BeforeAll
  static void compile() {
    compilations = List.of(Compiled.of(SOURCE),
        Compiled.of(List.of("-Aadjoint.analyses=off"), SOURCE));
  }

  @Test
  void theBatchHasNoAdjointBufferAndNoUpdates() {
    String generated = compilations.get(0).generatedSource("loops.BatchesGrad");
    assertTrue(generated.contains("dH = h == x ? null : scratch.floats(h.length);"), generated);
    assertFalse(generated.contains("dH = scratch.floats(h.length);"), generated);
    assertTrue(generated.contains("if (h != x) {"), generated);
  }

  @Test
  void gradientsAtEveryDepth() {
    Random random = new Random(43);
    int batch = 3;
    for (int hidden = 0; hidden <= 2; hidden++) {
      int[] widths = new int[hidden + 2];
      widths[0] = 4;
      for (int l = 1; l <= hidden; l++) {
        widths[l] = 3 + l;
      }
      widths[hidden + 1] = 3;
      float[][] w = new float[hidden + 1][];
      float[][] b = new float[hidden + 1][];
      for (int l = 0; l <= hidden; l++) {
        w[l] = floats(random, widths[l] * widths[l + 1]);
        b[l] = floats(random, widths[l + 1]);
      }
      float[] x = floats(random, batch * widths[0]);
      int[] labels = {0, 2, 1};
      double[][] dw = new double[hidden + 1][];
      int in = 4;
      for (int l = 0; l <= hidden; l++) {
        int out = l == hidden ? 2 : 3;
        dw[l] = doubles(random, in * out);
        in = out;
      }
      for (Compiled c : compilations) {
        ArrayGradientCheck.check(c, "loops.Batches", "ops", w, b, x, labels, batch, widths);
        ArrayGradientCheck.check(c, "loops.Batches", "loops", dw, doubles(random, 4),
            doubles(random, 2));
      }
    }
    // no layer at all: h is still the batch when the reverse sweep starts
    for (Compiled c : compilations) {
      ArrayGradientCheck.check(c, "loops.Batches", "loops", new double[0][],
          doubles(random, 4), doubles(random, 4));
    }
  }

  private static float[] floats(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextDouble() - 0.5);
    }
    return v;
  }

  private static double[] doubles(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextDouble() - 0.5;
    }
    return v;
  }
}
