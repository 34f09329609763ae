package dev.adjoint.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector kernel against the {@link Gemm} contract itself: every element must be exactly
 * {@code old + fma(a(k-1), b(k-1), ... fma(a0, b0, 0))}, whatever the shape, the strides or the
 * tiling. Skipped when the ops run the scalar kernels.
 */
class VectorGemmTest {
  /** m, n, k: single rows and columns, rows off the tile height, widths off the vector, long k. */
  private static final int[][] SHAPES = {
    {1, 1, 1}, {1, 128, 784}, {1, 37, 5}, {3, 70, 1}, {784, 128, 1}, {4, 16, 3}, {7, 33, 9},
    {8, 32, 256}, {9, 31, 257}, {784, 1, 128}, {13, 2, 10}, {64, 128, 784}, {10, 64, 128}, {17, 10, 600}, {130, 49, 513}
  };

  @Test
  void everyElementIsTheContractsChainOfFusedMultiplyAdds() {
    assumeTrue(Kernels.VECTOR instanceof VectorGemm, "vector kernels not loaded");
    Random rnd = new Random(11);
    for (int[] s : SHAPES) {
      int m = s[0];
      int n = s[1];
      int kn = s[2];
      // A and B each read both ways: along their rows (x in the forward pass) and down their
      // columns (x^T in dW, W^T in dX).
      for (int form = 0; form < 4; form++) {
        boolean aT = (form & 1) != 0;
        boolean bT = (form & 2) != 0;
        int aOff = 3;
        int ars = aT ? 1 : kn + 2;
        int acs = aT ? m + 1 : 1;
        float[] a = Fixtures.random(rnd, aOff + (m - 1) * ars + (kn - 1) * acs + 1);
        int bOff = 5;
        int brs = bT ? 1 : n + 3;
        int bcs = bT ? kn + 3 : 1;
        float[] b = Fixtures.random(rnd, bOff + (kn - 1) * brs + (n - 1) * bcs + 1);
        int cOff = 2;
        int ldc = n + 1;
        float[] c = Fixtures.random(rnd, cOff + (m - 1) * ldc + n + 4);
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            float sum = 0f;
            for (int k = 0; k < kn; k++) {
              sum = Math.fma(a[aOff + i * ars + k * acs], b[bOff + k * brs + j * bcs], sum);
            }
            int at = cOff + i * ldc + j;
            expected[at] = expected[at] + sum;
          }
        }
        Kernels.VECTOR.multiplyAdd(a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, m, n, kn);
        assertArrayEquals(expected, c,
            m + "x" + n + "x" + kn + (aT ? " A^T" : "") + (bT ? " B^T" : ""));
      }
    }
  }
}
