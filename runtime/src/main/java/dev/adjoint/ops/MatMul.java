package dev.adjoint.ops;

import java.util.Arrays;

/**
 * The matrix kernel behind {@link Dense}, written so that HotSpot's C2 vectorises it.
 *
 * <p>C2 does not vectorise {@code c[i * n + j] += a * b[k * n + j]} over one flat array, because
 * it cannot rule out that the load and the store alias at different offsets. It does vectorise
 * the same loop over separate row arrays indexed from 0 ({@code c[j] += a * b[j]}). So the
 * operands are copied into row arrays first (a cost linear in their size, against the cubic
 * product), and the innermost loop walks rows from 0. Four {@code k} are consumed per pass
 * ({@code c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j]}) to save three loads and
 * stores of {@code c} out of four; with more terms C2 stops vectorising the loop. Rows of the
 * output are processed {@value #ROW_BLOCK} at a time so that the four rows of {@code b} stay in
 * the L1 cache while they are used.
 *
 * <p>Every element of {@code c} receives its terms in the same order (k ascending, grouped by
 * four from 0) however the rows are blocked or split between threads, so results are
 * bit-identical for every split.
 */
final class MatMul {
  /** Output rows processed together. */
  static final int ROW_BLOCK = 16;

  private MatMul() {}

  /**
   * {@code c[i] += sum over k of A(i, k) * b[k]} for {@code i} in {@code [0, m)}, where
   * {@code A(i, k) = a[aOffset + i * rowStride + k * colStride]} and {@code k} ranges over the
   * rows of {@code b}. Every {@code c[i]} and {@code b[k]} has the same length.
   */
  static void multiplyAdd(
      float[] a, int aOffset, int rowStride, int colStride, float[][] b, float[][] c, int m) {
    multiplyAdd(a, aOffset, rowStride, colStride, b, b.length, c, m);
  }

  /**
   * {@link #multiplyAdd(float[], int, int, int, float[][], float[][], int)} over the first
   * {@code kn} rows of {@code b} only, so that a reused buffer may be longer than needed.
   */
  static void multiplyAdd(
      float[] a, int aOffset, int rowStride, int colStride, float[][] b, int kn, float[][] c,
      int m) {
    int s = colStride;
    for (int i0 = 0; i0 < m; i0 += ROW_BLOCK) {
      int i1 = Math.min(m, i0 + ROW_BLOCK);
      int k = 0;
      for (; k + 3 < kn; k += 4) {
        float[] b0 = b[k];
        float[] b1 = b[k + 1];
        float[] b2 = b[k + 2];
        float[] b3 = b[k + 3];
        for (int i = i0; i < i1; i++) {
          int p = aOffset + i * rowStride + k * s;
          axpy4(c[i], a[p], b0, a[p + s], b1, a[p + 2 * s], b2, a[p + 3 * s], b3);
        }
      }
      for (; k < kn; k++) {
        float[] b0 = b[k];
        for (int i = i0; i < i1; i++) {
          axpy1(c[i], a[aOffset + i * rowStride + k * s], b0);
        }
      }
    }
  }

  private static void axpy4(
      float[] c, float a0, float[] b0, float a1, float[] b1, float a2, float[] b2, float a3,
      float[] b3) {
    for (int j = 0; j < c.length; j++) {
      c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
    }
  }

  private static void axpy1(float[] c, float a0, float[] b0) {
    for (int j = 0; j < c.length; j++) {
      c[j] += a0 * b0[j];
    }
  }

  /**
   * Copies rows {@code [from, to)} of the matrix {@code m} with {@code cols} columns into the
   * first rows of {@code into}, whose rows have {@code cols} elements.
   */
  static void copyRows(float[] m, int cols, int from, int to, float[][] into) {
    for (int i = from; i < to; i++) {
      System.arraycopy(m, i * cols, into[i - from], 0, cols);
    }
  }

  /** Rows {@code [from, to)} of the matrix {@code m} with {@code cols} columns, as arrays. */
  static float[][] rows(float[] m, int cols, int from, int to) {
    float[][] r = new float[to - from][];
    for (int i = from; i < to; i++) {
      r[i - from] = Arrays.copyOfRange(m, i * cols, (i + 1) * cols);
    }
    return r;
  }

  /**
   * The transpose of rows {@code [r0, r1)} of the matrix {@code m} with {@code cols} columns, as
   * {@code cols} row arrays: element {@code [j][i - r0]} of the result is {@code m[i * cols + j]}.
   */
  static float[][] transposedRows(float[] m, int cols, int r0, int r1) {
    float[][] t = new float[cols][r1 - r0];
    for (int i = r0; i < r1; i++) {
      int o = i * cols;
      int c = i - r0;
      for (int j = 0; j < cols; j++) {
        t[j][c] = m[o + j];
      }
    }
    return t;
  }

  /**
   * Adds {@code rows[r]} into the flat buffer at {@code buffer[(from + r) * cols + c0 + j]}, so
   * that each element becomes exactly {@code old + row value}. {@code rows} are overwritten.
   */
  static void addInto(float[][] rows, float[] buffer, int cols, int from, int c0) {
    addInto(rows, rows.length, buffer, cols, from, c0);
  }

  /** {@link #addInto(float[][], float[], int, int, int)} for the first {@code n} rows only. */
  static void addInto(float[][] rows, int n, float[] buffer, int cols, int from, int c0) {
    if (n == 0) {
      return;
    }
    float[] old = new float[rows[0].length];
    for (int r = 0; r < n; r++) {
      float[] row = rows[r];
      int o = (from + r) * cols + c0;
      System.arraycopy(buffer, o, old, 0, old.length);
      for (int j = 0; j < row.length; j++) {
        row[j] = old[j] + row[j];
      }
      System.arraycopy(row, 0, buffer, o, row.length);
    }
  }
}
