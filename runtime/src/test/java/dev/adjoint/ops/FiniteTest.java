package dev.adjoint.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Finite} finds the first NaN or infinity wherever it lies (vector body or tail). */
class FiniteTest {
  private static final float[] NOT_FINITE = {
    Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001)
  };

  @Test
  void finiteArraysHaveNone() {
    Random rnd = new Random(5);
    for (int n = 0; n <= 70; n++) {
      float[] a = random(rnd, n);
      if (n > 0) {
        a[n - 1] = -Float.MAX_VALUE; // the largest finite values and subnormals are finite
        a[0] = Float.MIN_VALUE;
      }
      assertEquals(-1, Finite.firstNonFinite(a), "length " + n);
    }
  }

  @Test
  void findsTheFirstNonFiniteAtEveryPosition() {
    Random rnd = new Random(7);
    for (int n : new int[] {1, 15, 16, 17, 31, 32, 33, 64, 100, 1000}) {
      for (int at = 0; at < n; at++) {
        for (float bad : NOT_FINITE) {
          float[] a = random(rnd, n);
          a[at] = bad;
          if (at + 1 < n) {
            a[n - 1] = Float.POSITIVE_INFINITY; // a later one does not hide the first
          }
          assertEquals(at, Finite.firstNonFinite(a), "length " + n + ", " + bad + " at " + at);
        }
      }
    }
  }

  private static float[] random(Random rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rnd.nextGaussian() * 1e30);
    }
    return a;
  }

  @Test
  void findsTheFirstNonFiniteInArraysSplitOverThreads() {
    int saved = Parallelism.threads();
    Parallelism.setThreads(3);
    try {
      int n = Parallelism.MIN_PARALLEL_ELEMENTS * 3 + 5;
      assertTrue(Parallelism.splits(n));
      Random rnd = new Random(9);
      float[] a = random(rnd, n);
      assertEquals(-1, Finite.firstNonFinite(a));
      // In each third and at the ends; a later one never hides an earlier one.
      for (int at : new int[] {0, n / 3 - 1, n / 3 + 1, 2 * n / 3, n - 1}) {
        float[] b = a.clone();
        b[at] = Float.NaN;
        b[n - 1] = Float.NEGATIVE_INFINITY;
        assertEquals(at, Finite.firstNonFinite(b), "NaN at " + at);
      }
    } finally {
      Parallelism.setThreads(saved);
    }
  }
}
