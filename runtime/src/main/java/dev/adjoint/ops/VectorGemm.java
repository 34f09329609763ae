package dev.adjoint.ops;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm} on {@code jdk.incubator.vector}: register-blocked micro-kernels that keep a tile
 * of the output in vector registers for the whole sum, four rows by two vectors (one row by four
 * vectors when a single row is left), broadcasting one element of {@code A} per row and step of
 * {@code k}. Columns that do not fill a vector are finished with {@link Math#fma}, which rounds
 * exactly as a vector lane does, so every element gets the same value whichever kernel
 * computes it.
 *
 * <p>The only class that refers to the incubator module: {@link Kernels} loads it by name, and
 * only when the module is in the boot layer.
 */
final class VectorGemm implements Gemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Steps of k per panel of B: 128 x 32 floats, 16 KB, half of a 32 KB L1 data cache. */
  private static final int KC = 128;

  /** Lanes of the preferred float vector: below 8 the scalar kernels are as good. */
  static int lanes() {
    return L;
  }

  @Override
  public void multiplyAdd(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int m, int n, int kn) {
    if (m < 4) {
      rows(a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, 0, m, n, kn);
      return;
    }
    // A panel of B (KC rows of k by two vectors) stays in L1 while every 4-row tile of the
    // output passes over it. The tiles' partial sums wait in t between panels: a float stored
    // and reloaded is the same float, so the sum is the one unbroken chain of the contract.
    int nc = 2 * L;
    float[] t = new float[m * nc];
    float[] bp = new float[KC * nc];
    for (int j0 = 0; j0 < n; j0 += nc) {
      int w = Math.min(nc, n - j0);
      Arrays.fill(t, 0f);
      for (int k0 = 0; k0 < kn; k0 += KC) {
        int kc = Math.min(KC, kn - k0);
        int ak = aOff + k0 * acs;
        // The panel copied contiguous: rows of W 128 floats apart would all fall in 8 of the
        // L1 cache's 64 sets and evict each other.
        int src = bOff + k0 * ldb + j0;
        for (int k = 0; k < kc; k++) {
          System.arraycopy(b, src + k * ldb, bp, k * nc, w);
        }
        int i = 0;
        for (; i + 4 <= m; i += 4) {
          int ai = ak + i * ars;
          int ti = i * nc;
          int j = 0;
          if (w == nc) {
            rows4x2(a, ai, ars, acs, bp, 0, nc, t, ti, nc, kc);
            j = nc;
          } else if (w >= L) {
            rows4x1(a, ai, ars, acs, bp, 0, nc, t, ti, nc, kc);
            j = L;
          }
          for (; j < w; j++) {
            for (int r = 0; r < 4; r++) {
              scalar(a, ai + r * ars, acs, bp, j, nc, t, ti + r * nc + j, kc);
            }
          }
        }
        for (; i < m; i++) {
          int ai = ak + i * ars;
          int ti = i * nc;
          int j = 0;
          for (; j + L <= w; j += L) {
            row1x1(a, ai, acs, bp, j, nc, t, ti + j, kc);
          }
          for (; j < w; j++) {
            scalar(a, ai, acs, bp, j, nc, t, ti + j, kc);
          }
        }
      }
      for (int i = 0; i < m; i++) {
        int ci = cOff + i * ldc + j0;
        for (int j = 0; j < w; j++) {
          c[ci + j] = c[ci + j] + t[i * nc + j];
        }
      }
    }
  }

  /** Rows {@code [i0, i1)} one at a time, with four vectors per row: for one to three rows. */
  private static void rows(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int i0, int i1, int n, int kn) {
    for (int i = i0; i < i1; i++) {
      int ai = aOff + i * ars;
      int ci = cOff + i * ldc;
      float[] t = new float[n];
      int j = 0;
      for (; j + 4 * L <= n; j += 4 * L) {
        row1x4(a, ai, acs, b, bOff + j, ldb, t, j, kn);
      }
      for (; j + L <= n; j += L) {
        row1x1(a, ai, acs, b, bOff + j, ldb, t, j, kn);
      }
      for (; j < n; j++) {
        scalar(a, ai, acs, b, bOff + j, ldb, t, j, kn);
      }
      for (j = 0; j < n; j++) {
        c[ci + j] = c[ci + j] + t[j];
      }
    }
  }

  /**
   * Four rows by two vectors, continuing the sums held in {@code t}: eight independent
   * accumulators hide the FMA latency.
   */
  private static void rows4x2(float[] a, int ai, int ars, int acs, float[] b, int bj, int ldb,
      float[] t, int ti, int ldt, int kn) {
    FloatVector c00 = load(t, ti);
    FloatVector c01 = load(t, ti + L);
    FloatVector c10 = load(t, ti + ldt);
    FloatVector c11 = load(t, ti + ldt + L);
    FloatVector c20 = load(t, ti + 2 * ldt);
    FloatVector c21 = load(t, ti + 2 * ldt + L);
    FloatVector c30 = load(t, ti + 3 * ldt);
    FloatVector c31 = load(t, ti + 3 * ldt + L);
    for (int k = 0; k < kn; k++) {
      int p = bj + k * ldb;
      FloatVector b0 = load(b, p);
      FloatVector b1 = load(b, p + L);
      int q = ai + k * acs;
      FloatVector a0 = FloatVector.broadcast(S, a[q]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, a[q + ars]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(S, a[q + 2 * ars]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, a[q + 3 * ars]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
    }
    c00.intoArray(t, ti);
    c01.intoArray(t, ti + L);
    c10.intoArray(t, ti + ldt);
    c11.intoArray(t, ti + ldt + L);
    c20.intoArray(t, ti + 2 * ldt);
    c21.intoArray(t, ti + 2 * ldt + L);
    c30.intoArray(t, ti + 3 * ldt);
    c31.intoArray(t, ti + 3 * ldt + L);
  }

  private static void rows4x1(float[] a, int ai, int ars, int acs, float[] b, int bj, int ldb,
      float[] t, int ti, int ldt, int kn) {
    FloatVector c0 = load(t, ti);
    FloatVector c1 = load(t, ti + ldt);
    FloatVector c2 = load(t, ti + 2 * ldt);
    FloatVector c3 = load(t, ti + 3 * ldt);
    for (int k = 0; k < kn; k++) {
      FloatVector b0 = load(b, bj + k * ldb);
      int q = ai + k * acs;
      c0 = FloatVector.broadcast(S, a[q]).fma(b0, c0);
      c1 = FloatVector.broadcast(S, a[q + ars]).fma(b0, c1);
      c2 = FloatVector.broadcast(S, a[q + 2 * ars]).fma(b0, c2);
      c3 = FloatVector.broadcast(S, a[q + 3 * ars]).fma(b0, c3);
    }
    c0.intoArray(t, ti);
    c1.intoArray(t, ti + ldt);
    c2.intoArray(t, ti + 2 * ldt);
    c3.intoArray(t, ti + 3 * ldt);
  }

  /** One row by four vectors: a matrix-vector product still gets four independent sums. */
  private static void row1x4(float[] a, int ai, int acs, float[] b, int bj, int ldb, float[] t,
      int ti, int kn) {
    FloatVector c0 = load(t, ti);
    FloatVector c1 = load(t, ti + L);
    FloatVector c2 = load(t, ti + 2 * L);
    FloatVector c3 = load(t, ti + 3 * L);
    for (int k = 0; k < kn; k++) {
      int p = bj + k * ldb;
      FloatVector a0 = FloatVector.broadcast(S, a[ai + k * acs]);
      c0 = a0.fma(load(b, p), c0);
      c1 = a0.fma(load(b, p + L), c1);
      c2 = a0.fma(load(b, p + 2 * L), c2);
      c3 = a0.fma(load(b, p + 3 * L), c3);
    }
    c0.intoArray(t, ti);
    c1.intoArray(t, ti + L);
    c2.intoArray(t, ti + 2 * L);
    c3.intoArray(t, ti + 3 * L);
  }

  private static void row1x1(float[] a, int ai, int acs, float[] b, int bj, int ldb, float[] t,
      int ti, int kn) {
    FloatVector c0 = load(t, ti);
    for (int k = 0; k < kn; k++) {
      c0 = FloatVector.broadcast(S, a[ai + k * acs]).fma(load(b, bj + k * ldb), c0);
    }
    c0.intoArray(t, ti);
  }

  /** One element, continuing {@code t[ti]} in the order and rounding of one vector lane. */
  private static void scalar(float[] a, int ai, int acs, float[] b, int bj, int ldb, float[] t,
      int ti, int kn) {
    float sum = t[ti];
    for (int k = 0; k < kn; k++) {
      sum = Math.fma(a[ai + k * acs], b[bj + k * ldb], sum);
    }
    t[ti] = sum;
  }

  private static FloatVector load(float[] m, int at) {
    return FloatVector.fromArray(S, m, at);
  }
}
