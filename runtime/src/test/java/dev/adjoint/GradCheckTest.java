package dev.adjoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class GradCheckTest {
  private static final ToDoubleFunction<double[]> ROSENBROCK =
      v -> 100 * Math.pow(v[1] - v[0] * v[0], 2) + Math.pow(1 - v[0], 2);

  private static double[] rosenbrockGradient(double[] v) {
    double x = v[0];
    double y = v[1];
    return new double[] {-400 * x * (y - x * x) - 2 * (1 - x), 200 * (y - x * x)};
  }

  @Test
  void numericalGradientMatchesTheExactOne() {
    double[] x = {-1.2, 1.0};
    assertArrayEquals(rosenbrockGradient(x), GradCheck.numericalGradient(ROSENBROCK, x), 1e-6);
  }

  @Test
  void numericalGradientLeavesThePointUnchanged() {
    double[] x = {0.3, -0.7};
    GradCheck.numericalGradient(ROSENBROCK, x);
    assertArrayEquals(new double[] {0.3, -0.7}, x);
  }

  @Test
  void correctGradientPasses() {
    double[] x = {0.5, 2.0};
    GradCheck.Report r = GradCheck.assertGradient(ROSENBROCK, x, rosenbrockGradient(x));
    assertTrue(r.maxError() < 1e-8, r.toString());
  }

  @Test
  void wrongGradientFailsAndNamesTheWorstInput() {
    double[] x = {0.5, 2.0};
    double[] g = rosenbrockGradient(x);
    g[1] *= 1.01;
    GradCheck.Report r = GradCheck.compare(ROSENBROCK, x, g);
    assertFalse(r.passes(GradCheck.DOUBLE_TOLERANCE));
    assertEquals(1, r.worstIndex());
    assertEquals(0.01 / 1.01, r.maxError(), 1e-6);
    AssertionError e = assertThrows(AssertionError.class,
        () -> GradCheck.assertGradient(ROSENBROCK, x, g));
    assertTrue(e.getMessage().contains("max error"), e.getMessage());
  }

  @Test
  void errorIsAbsoluteBelowOneAndRelativeAbove() {
    assertEquals(1e-3, GradCheck.error(0.0, 1e-3), 1e-15);
    assertEquals(0.5, GradCheck.error(100, 200), 1e-15);
    assertTrue(Double.isNaN(GradCheck.error(Double.NaN, 1)));
  }

  @Test
  void nanGradientNeverPasses() {
    GradCheck.Report r = GradCheck.compare(v -> v[0] * v[0], new double[] {1},
        new double[] {Double.NaN});
    assertFalse(r.passes(1));
  }

  @Test
  void floatFunctionsAreCheckedWithAFloatStep() {
    float[] x = {0.7f, -1.3f};
    GradCheck.FloatFunction f = v -> (float) Math.sin(v[0]) * v[1];
    double[] g = {Math.cos(0.7f) * -1.3f, Math.sin(0.7f)};
    assertTrue(GradCheck.assertGradient(f, x, g).passes(GradCheck.FLOAT_TOLERANCE));
    g[0] += 0.1;
    assertFalse(GradCheck.compare(f, x, g).passes(GradCheck.FLOAT_TOLERANCE));
  }

  @Test
  void mismatchedLengthsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.compare(ROSENBROCK, new double[] {1, 2}, new double[] {1}));
  }

  /** A float ReLU MLP (16 rows, 30-24-5) and its gradient by the ops' pullbacks. */
  private static final class Mlp {
    static final int BATCH = 16;
    static final int IN = 30;
    static final int HIDDEN = 24;
    static final int CLASSES = 5;
    final float[] x = new float[BATCH * IN];
    final int[] y = new int[BATCH];
    final float[] w1 = new float[IN * HIDDEN];
    final float[] b1 = new float[HIDDEN];
    final float[] w2 = new float[HIDDEN * CLASSES];
    final float[] b2 = new float[CLASSES];
    final float[] dW1 = new float[w1.length];
    final float[] dB1 = new float[b1.length];
    final float[] dW2 = new float[w2.length];
    final float[] dB2 = new float[b2.length];

    Mlp(long seed) {
      java.util.Random r = new java.util.Random(seed);
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextFloat();
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = r.nextInt(CLASSES);
      }
      for (float[] a : new float[][] {w1, b1, w2, b2}) {
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) (0.3 * r.nextGaussian());
        }
      }
      float[] z = Dense.dense(x, w1, b1, BATCH, IN, HIDDEN);
      float[] h = Activations.relu(z);
      float[] logits = Dense.dense(h, w2, b2, BATCH, HIDDEN, CLASSES);
      float[] dLogits = new float[logits.length];
      Losses.softmaxCrossEntropyBackward(logits, y, BATCH, CLASSES, 1f, dLogits);
      float[] dH = new float[h.length];
      float[] dZ = new float[z.length];
      Dense.denseBackward(h, w2, b2, BATCH, HIDDEN, CLASSES, dLogits, dH, dW2, dB2);
      Activations.reluBackward(z, dH, dZ);
      Dense.denseBackward(x, w1, b1, BATCH, IN, HIDDEN, dZ, null, dW1, dB1);
    }

    double loss() {
      float[] h = Activations.relu(Dense.dense(x, w1, b1, BATCH, IN, HIDDEN));
      return Losses.softmaxCrossEntropy(Dense.dense(h, w2, b2, BATCH, HIDDEN, CLASSES), y,
          BATCH, CLASSES);
    }

    GradCheck.Inputs inputs() {
      return GradCheck.wrt(w1, dW1).and(b1, dB1).and(w2, dW2).and(b2, dB2);
    }
  }

  @Test
  void aFloatReluMlpPassesWithTheDefaultStepAtManyPoints() {
    // The old flat float step, 1e-2, crossed ReLU kinks: it failed one of these 20 points.
    for (long seed = 0; seed < 20; seed++) {
      Mlp m = new Mlp(seed);
      GradCheck.Inputs inputs = m.inputs();
      assertEquals(GradCheck.DEFAULT_FLOAT_STEP, inputs.step());
      assertEquals(GradCheck.FLOAT_TOLERANCE, inputs.tolerance());
      GradCheck.Report r = inputs.assertGradient(m::loss);
      assertEquals(m.w1.length + m.b1.length + m.w2.length + m.b2.length, r.analytic().length);
    }
  }

  @Test
  void severalArraysAreCheckedInOrderAndRestored() {
    Mlp m = new Mlp(3);
    float[] w2 = m.w2.clone();
    m.dW2[7] += 0.05f;   // one wrong derivative, in the third array
    GradCheck.Report r = m.inputs().compare(m::loss);
    assertEquals(m.w1.length + m.b1.length + 7, r.worstIndex());
    assertFalse(r.passes(GradCheck.FLOAT_TOLERANCE));
    assertArrayEquals(w2, m.w2);
    assertEquals(m.w2[7], (float) r.point()[m.w1.length + m.b1.length + 7]);
    AssertionError e = assertThrows(AssertionError.class, () -> m.inputs().assertGradient(m::loss));
    assertTrue(e.getMessage().contains("gradient check failed"), e.getMessage());
  }

  @Test
  void doubleAndTwoDimensionalInputsWithAStepOfTheirOwn() {
    double[][] a = {{0.5, -1.0}, {2.0}};
    double[] c = {3.0};
    // f = sum a_ij^3 * c, df/da_ij = 3 a_ij^2 c, df/dc = sum a_ij^3
    java.util.function.DoubleSupplier f = () ->
        (Math.pow(a[0][0], 3) + Math.pow(a[0][1], 3) + Math.pow(a[1][0], 3)) * c[0];
    double[][] da = {{3 * 0.25 * 3, 3 * 1.0 * 3}, {3 * 4.0 * 3}};
    double[] dc = {0.125 - 1 + 8};
    GradCheck.Inputs inputs = GradCheck.wrt(a, da).and(c, dc);
    assertEquals(GradCheck.DEFAULT_DOUBLE_STEP, inputs.step());
    assertEquals(GradCheck.DOUBLE_TOLERANCE, inputs.tolerance());
    assertTrue(inputs.compare(f).maxError() < 1e-9);
    // A coarse step shows its truncation error, h^2 a c per element of a: 1e-2 * ... > 1e-6.
    GradCheck.Report coarse = GradCheck.wrt(a, da).and(c, dc).step(1e-1).compare(f);
    assertFalse(coarse.passes(GradCheck.DOUBLE_TOLERANCE), coarse.toString());
    assertEquals(0.01 * 3, coarse.numerical()[0] - da[0][0], 1e-9);   // h^2 * c exactly, h = 0.1
    assertThrows(IllegalArgumentException.class, () -> GradCheck.wrt(c, dc).step(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.wrt(c, dc).and(a, new double[][] {{1, 2}, {3, 4}}));
    assertEquals("input 1: row 1 has length 1 but its gradient has length 2", e.getMessage());
  }

  @Test
  void theFlatFormsTakeAStepToo() {
    double[] x = {1.0};
    double[] coarse = GradCheck.numericalGradient(v -> v[0] * v[0] * v[0], x, 0.1);
    assertEquals(3 + 0.01, coarse[0], 1e-12);   // 3x^2 + h^2 at x = 1
    float[] xf = {1f};
    GradCheck.Report r = GradCheck.compare(
        (GradCheck.FloatFunction) v -> v[0] * v[0] * v[0], xf, new double[] {3}, 0.25);
    assertEquals(3 + 0.0625, r.numerical()[0], 1e-6);
  }
}
