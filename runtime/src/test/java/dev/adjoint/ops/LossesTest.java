package dev.adjoint.ops;

import static dev.adjoint.ops.Fixtures.assertGradient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LossesTest {
  private static double naiveCrossEntropy(float[] logits, int[] labels, int batch, int classes) {
    double total = 0;
    for (int r = 0; r < batch; r++) {
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[r * classes + c]);
      }
      total -= Math.log(Math.exp(logits[r * classes + labels[r]]) / sum);
    }
    return total / batch;
  }

  @Test
  void softmaxCrossEntropyMatchesNaiveFormula() {
    Random rnd = new Random(21);
    for (int[] s : new int[][] {{1, 1}, {1, 10}, {3, 2}, {64, 10}, {7, 13}}) {
      float[] logits = Fixtures.random(rnd, s[0] * s[1]);
      int[] labels = Fixtures.labels(rnd, s[0], s[1]);
      double ref = naiveCrossEntropy(logits, labels, s[0], s[1]);
      assertEquals(ref, Losses.softmaxCrossEntropy(logits, labels, s[0], s[1]),
          1e-6 * Math.max(1, ref));
    }
  }

  @Test
  void softmaxCrossEntropyIsStableForLargeLogits() {
    float[] logits = {1000f, 999f, 998f, -1000f, -999f, -1001f};
    int[] labels = {0, 2};
    float[] shifted = {2f, 1f, 0f, 0f, 1f, -1f};
    float loss = Losses.softmaxCrossEntropy(logits, labels, 2, 3);
    assertTrue(Float.isFinite(loss));
    assertEquals(naiveCrossEntropy(shifted, labels, 2, 3), loss, 1e-6);
    float[] d = new float[6];
    Losses.softmaxCrossEntropyBackward(logits, labels, 2, 3, 1f, d);
    float[] dShifted = new float[6];
    Losses.softmaxCrossEntropyBackward(shifted, labels, 2, 3, 1f, dShifted);
    assertArrayEquals(dShifted, d, 1e-7f);
  }

  @Test
  void softmaxCrossEntropyPullback() {
    Random rnd = new Random(22);
    for (int[] s : new int[][] {{1, 1}, {1, 4}, {3, 5}, {8, 10}}) {
      int batch = s[0];
      int classes = s[1];
      float[] logits = Fixtures.random(rnd, batch * classes);
      int[] labels = Fixtures.labels(rnd, batch, classes);
      float seed = 1.7f;
      float[] d = new float[logits.length];
      Losses.softmaxCrossEntropyBackward(logits, labels, batch, classes, seed, d);
      assertGradient("softmaxCrossEntropy " + batch + "x" + classes,
          v -> seed * (double) Losses.softmaxCrossEntropy(v, labels, batch, classes), logits, d);
      for (int r = 0; r < batch; r++) {
        double rowSum = 0;
        for (int c = 0; c < classes; c++) {
          rowSum += d[r * classes + c];
        }
        assertEquals(0, rowSum, 1e-6, "softmax - onehot sums to 0");
      }
      assertAddsInto(d, filled -> Losses.softmaxCrossEntropyBackward(
          logits, labels, batch, classes, seed, filled), rnd);
    }
  }

  @Test
  void classificationArgumentsAreChecked() {
    float[] logits = new float[6];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy(logits, new int[] {0, 3}, 2, 3));
    assertTrue(e.getMessage().contains("labels[1] = 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy(logits, new int[] {0, -1}, 2, 3));
    assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy(logits, new int[] {0, 1}, 3, 2));
    assertThrows(IllegalArgumentException.class,
        () -> Losses.accuracy(logits, new int[] {0}, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> Losses.softmaxCrossEntropyBackward(
        logits, new int[] {0, 1}, 2, 3, 1f, new float[5]));
  }

  @Test
  void meanSquaredError() {
    Random rnd = new Random(23);
    for (int n : new int[] {1, 5, 40}) {
      float[] p = Fixtures.random(rnd, n);
      float[] t = Fixtures.random(rnd, n);
      double ref = 0;
      for (int i = 0; i < n; i++) {
        ref += ((double) p[i] - t[i]) * ((double) p[i] - t[i]) / n;
      }
      assertEquals(ref, Losses.meanSquaredError(p, t, n), 1e-6 * Math.max(1, ref));
      float seed = -0.6f;
      float[] d = new float[n];
      Losses.meanSquaredErrorBackward(p, t, n, seed, d);
      assertGradient("mse n=" + n, v -> seed * (double) Losses.meanSquaredError(v, t, n), p, d);
      assertAddsInto(d, filled -> Losses.meanSquaredErrorBackward(p, t, n, seed, filled), rnd);
    }
    assertThrows(IllegalArgumentException.class,
        () -> Losses.meanSquaredError(new float[3], new float[2], 3));
  }

  @Test
  void binaryCrossEntropy() {
    Random rnd = new Random(24);
    for (int n : new int[] {1, 6, 30}) {
      float[] p = new float[n];
      float[] t = new float[n];
      for (int i = 0; i < n; i++) {
        p[i] = 0.05f + 0.9f * rnd.nextFloat();
        t[i] = i % 3 == 0 ? rnd.nextFloat() : i % 2;
      }
      double ref = 0;
      for (int i = 0; i < n; i++) {
        ref -= (t[i] * Math.log(p[i]) + (1 - t[i]) * Math.log(1 - p[i])) / n;
      }
      assertEquals(ref, Losses.binaryCrossEntropy(p, t, n), 1e-6 * Math.max(1, ref));
      float seed = 2.5f;
      float[] d = new float[n];
      Losses.binaryCrossEntropyBackward(p, t, n, seed, d);
      assertGradient("bce n=" + n, v -> seed * (double) Losses.binaryCrossEntropy(v, t, n), p, d);
      assertAddsInto(d, filled -> Losses.binaryCrossEntropyBackward(p, t, n, seed, filled), rnd);
    }
  }

  @Test
  void binaryCrossEntropyClampsProbabilities() {
    float[] p = {0f, 1f, 1f, 0f};
    float[] t = {0f, 1f, 0f, 1f};
    float loss = Losses.binaryCrossEntropy(p, t, 4);
    assertEquals(-Math.log(Losses.EPSILON) / 2, loss, 1e-3);
    float[] d = {3f, 3f, 3f, 3f};
    Losses.binaryCrossEntropyBackward(p, t, 4, 1f, d);
    assertArrayEquals(new float[] {3f, 3f, 3f, 3f}, d, "no gradient where p is clamped");
  }

  @Test
  void accuracyCountsArgmaxHits() {
    float[] logits = {
      0.1f, 0.9f, 0.0f, // argmax 1
      2.0f, 2.0f, 1.0f, // tie: first, 0
      -1f, -2f, -0.5f, // argmax 2
      5f, 1f, 1f // argmax 0
    };
    assertEquals(0.75f, Losses.accuracy(logits, new int[] {1, 0, 2, 1}, 4, 3));
    assertEquals(0.25f, Losses.accuracy(logits, new int[] {1, 1, 0, 2}, 4, 3));
  }

  private interface BufferPullback {
    void apply(float[] buffer);
  }

  /** The pullback leaves {@code old + fresh[i]} in a prefilled buffer and accepts null. */
  private static void assertAddsInto(float[] fresh, BufferPullback pullback, Random rnd) {
    float[] filled = Fixtures.random(rnd, fresh.length);
    float[] before = filled.clone();
    pullback.apply(filled);
    for (int i = 0; i < fresh.length; i++) {
      assertEquals(before[i] + fresh[i], filled[i], 0f, "adds into [" + i + "]");
    }
    pullback.apply(null);
  }
}
