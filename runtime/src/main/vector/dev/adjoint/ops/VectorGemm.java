package dev.adjoint.ops;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm} on {@code jdk.incubator.vector}: a register-blocked micro-kernel over packed
 * operands, in the manner of GotoBLAS. For each panel of {@value #KC} steps of {@code k}, the rows
 * of {@code A} are copied into tiles of {@value #MR} rows laid out step by step, and each panel of
 * {@code B}, {@link #NR} columns wide, into a contiguous block (unless {@code A} has at most
 * {@value #DIRECT_ROWS} rows: then whole panels are read where they lie); both are padded with
 * zeros to whole tiles. The micro-kernel then keeps an {@value #MR} x {@link #NR} tile of sums in
 * vector registers and reads both operands at constant strides, which lets the JIT drop the bounds
 * checks from its inner loop. A few rows (a matrix-vector product), a few steps of k (an
 * outer product) or one or two columns skip the packing.
 *
 * <p>Padding rows and columns only ever meet padding, and the sums of real elements wait in a
 * buffer between panels (a float stored and reloaded is the same float), so every element gets
 * the one unbroken chain of fused multiply-adds the {@link Gemm} contract asks for. When k fits
 * in one panel (every {@code dX} and {@code dW} of the MNIST layers) each tile's sums are final
 * when the micro-kernel returns: they pass through a tile-sized buffer that stays in the L1
 * cache instead of a buffer as large as the output (dX and dW 1.2-1.7x faster). Columns that
 * do not fill a vector in the unpacked row path are finished with {@link Math#fma}, which rounds
 * exactly as a vector lane does.
 *
 * <p>With {@link VectorFinite} and {@link VectorActivations}, the only classes that refer to the
 * incubator module: {@link Kernels} loads this one only when the module is in the boot layer, and
 * the others are used only when this one is.
 */
final class VectorGemm implements Gemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /**
   * Rows of a micro-kernel tile: eight on CPUs with 16-float vectors (AVX-512 has 32 vector
   * registers: sixteen sums, two of B and a broadcast fit), six with 8-float vectors (AVX2 has
   * 16: twelve sums, two of B and a broadcast; with eight rows a Zen 3 ran the MNIST layers'
   * products 1.23-1.52x slower, {@code bench DenseKernels}). The tile's height does not change
   * any element's chain of sums, so results are the same bits either way.
   */
  static final int MR = L >= 16 ? 8 : 6;

  /** Columns of a micro-kernel tile: two vectors. */
  private static final int NR = 2 * L;

  /**
   * Rows of A up to which whole panels of B are read in place rather than packed: a panel
   * serves only {@code m / MR} tiles, too few to repay its copy (a thread's 32 rows of a
   * batch of 64 against the 784 x 128 weights: 1.7x faster in place, measured up to 128 rows).
   */
  private static final int DIRECT_ROWS = 128;

  /** Steps of k per panel: the packed panel of B, KC x NR floats, stays in the L1 cache. */
  private static final int KC = 256;

  /** Per-thread packing buffers, reused from call to call: A tiles, the B panel, the sums. */
  private static final ThreadLocal<float[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[3][0]);

  /** Lanes of the preferred float vector: below 8 the scalar kernels are as good. */
  static int lanes() {
    return L;
  }

  @Override
  public void multiplyAdd(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs,
      int bcs, float[] c, int cOff, int ldc, int m, int n, int kn) {
    if (n <= 2) {
      // A column or two (dX^T = W dY^T for a batch of one): zero-padded to a tile they would
      // waste most of its lanes, so scalar sums, eight rows at a time for independent chains.
      for (int j = 0; j < n; j++) {
        columns(a, aOff, ars, acs, b, bOff + j * bcs, brs, c, cOff + j, ldc, m, kn);
      }
      return;
    }
    // Few rows, or too few steps of k to repay the packing (the outer product of a batch of one):
    // row by row on the operands as they lie.
    if (m < MR / 2 || kn < 4) {
      for (int i = 0; i < m; i++) {
        if (bcs == 1) {
          row(a, aOff + i * ars, acs, b, bOff, brs, c, cOff + i * ldc, n, kn);
        } else {
          // Row i of C is a column of C^T = B^T A^T, whose rows (B's columns) lie along k:
          // dX = dY W^T for a batch of one sums along the rows of W. The products commute
          // exactly, so the sums are those of the contract.
          columns(b, bOff, bcs, brs, a, aOff + i * ars, acs, c, cOff + i * ldc, 1, n, kn);
        }
      }
      return;
    }
    int mp = (m + MR - 1) / MR * MR;
    int np = (n + NR - 1) / NR * NR;
    int kc0 = Math.min(KC, kn);
    float[][] scratch = SCRATCH.get();
    float[] ap = buffer(scratch, 0, mp * kc0);
    float[] bp = buffer(scratch, 1, kc0 * NR);
    boolean direct = m <= DIRECT_ROWS && bcs == 1;
    if (kn <= KC) {
      // One panel of k: each tile's sums are complete when the micro-kernel returns, so they go
      // through one tile-sized buffer that stays in the L1 cache and are added to C at once.
      float[] tt = buffer(scratch, 2, MR * NR);
      packA(a, aOff, ars, acs, m, mp, kn, ap);
      for (int j0 = 0; j0 < n; j0 += NR) {
        int w = Math.min(NR, n - j0);
        boolean inPlace = direct && w == NR;
        if (!inPlace) {
          packB(b, bOff + j0 * bcs, brs, bcs, kn, w, bp);
        }
        for (int i0 = 0; i0 < mp; i0 += MR) {
          Arrays.fill(tt, 0, MR * NR, 0f);
          if (inPlace) {
            tile(ap, i0 * kn, b, bOff + j0, brs, tt, 0, NR, kn);
          } else {
            tile(ap, i0 * kn, bp, 0, NR, tt, 0, NR, kn);
          }
          addTile(tt, c, cOff + i0 * ldc + j0, ldc, Math.min(MR, m - i0), w);
        }
      }
      return;
    }
    float[] t = buffer(scratch, 2, mp * np);
    Arrays.fill(t, 0, mp * np, 0f);
    for (int k0 = 0; k0 < kn; k0 += KC) {
      int kc = Math.min(KC, kn - k0);
      packA(a, aOff + k0 * acs, ars, acs, m, mp, kc, ap);
      for (int j0 = 0; j0 < n; j0 += NR) {
        if (direct && j0 + NR <= n) {
          for (int i0 = 0; i0 < mp; i0 += MR) {
            tile(ap, i0 * kc, b, bOff + k0 * brs + j0, brs, t, i0 * np + j0, np, kc);
          }
          continue;
        }
        packB(b, bOff + k0 * brs + j0 * bcs, brs, bcs, kc, Math.min(NR, n - j0), bp);
        for (int i0 = 0; i0 < mp; i0 += MR) {
          tile(ap, i0 * kc, bp, 0, NR, t, i0 * np + j0, np, kc);
        }
      }
    }
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      int ti = i * np;
      for (int j = 0; j < n; j++) {
        c[ci + j] = c[ci + j] + t[ti + j];
      }
    }
  }

  /** {@code C += } the first {@code rows x cols} sums of a tile buffer laid out {@code NR} wide. */
  private static void addTile(float[] tt, float[] c, int ci, int ldc, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int cr = ci + r * ldc;
      int tr = r * NR;
      if (cols == NR) {
        load(c, cr).add(load(tt, tr)).intoArray(c, cr);
        load(c, cr + L).add(load(tt, tr + L)).intoArray(c, cr + L);
        continue;
      }
      for (int j = 0; j < cols; j++) {
        c[cr + j] = c[cr + j] + tt[tr + j];
      }
    }
  }

  /**
   * Per-thread offsets {@code 0, bcs, 2 * bcs, ...} of a panel's columns, for the gathers; the
   * last element holds the {@code bcs} they were made for.
   */
  private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[NR + 1]);

  private static int[] gatherOffsets(int bcs) {
    int[] offsets = GATHER.get();
    if (offsets[NR] != bcs) {
      for (int j = 0; j < NR; j++) {
        offsets[j] = j * bcs;
      }
      offsets[NR] = bcs;
    }
    return offsets;
  }

  private static float[] buffer(float[][] scratch, int which, int size) {
    if (scratch[which].length < size) {
      scratch[which] = new float[size];
    }
    return scratch[which];
  }

  /**
   * Rows of {@code A}, {@code kc} steps of k from {@code aOff}, as tiles of {@value #MR} rows:
   * {@code ap[i0 * kc + k * MR + r] = A(i0 + r, k)}, zero for rows at or past {@code m}.
   */
  private static void packA(float[] a, int aOff, int ars, int acs, int m, int mp, int kc,
      float[] ap) {
    for (int i = 0; i < mp; i++) {
      int dst = (i - i % MR) * kc + i % MR;
      if (i >= m) {
        for (int k = 0; k < kc; k++) {
          ap[dst + k * MR] = 0f;
        }
        continue;
      }
      int src = aOff + i * ars;
      for (int k = 0; k < kc; k++) {
        ap[dst + k * MR] = a[src + k * acs];
      }
    }
  }

  /**
   * A {@code kc x w} panel of {@code B} as {@code bp[k * NR + j]}, zero for {@code j >= w}.
   * A transposed {@code B} ({@code bcs != 1}) is read down its contiguous columns.
   */
  private static void packB(float[] b, int bOff, int brs, int bcs, int kc, int w, float[] bp) {
    if (bcs == 1) {
      for (int k = 0; k < kc; k++) {
        System.arraycopy(b, bOff + k * brs, bp, k * NR, w);
        for (int j = w; j < NR; j++) {
          bp[k * NR + j] = 0f;
        }
      }
      return;
    }
    if (w == NR && brs == 1) {
      // Whole panel of a transpose: each row of the panel is a gather of NR elements one
      // column of B apart (the lines gathered are reused by the next 15 rows, from L1).
      int[] columns = gatherOffsets(bcs);
      for (int k = 0; k < kc; k++) {
        FloatVector.fromArray(S, b, bOff + k, columns, 0).intoArray(bp, k * NR);
        FloatVector.fromArray(S, b, bOff + k, columns, L).intoArray(bp, k * NR + L);
      }
      return;
    }
    for (int j = 0; j < NR; j++) {
      if (j >= w) {
        for (int k = 0; k < kc; k++) {
          bp[k * NR + j] = 0f;
        }
        continue;
      }
      int src = bOff + j * bcs;
      for (int k = 0; k < kc; k++) {
        bp[k * NR + j] = b[src + k * brs];
      }
    }
  }

  /**
   * The micro-kernel: continues the {@value #MR} x {@link #NR} sums at {@code t[ti]} over
   * {@code kc} steps of packed {@code A} (from {@code pa}) and of {@code B}, a packed panel or
   * {@code B} in place, read from {@code pb} at row stride {@code ldbp}. Sixteen
   * independent accumulators hide the latency of the fused multiply-adds.
   */
  private static void tile(float[] ap, int pa, float[] bp, int pb, int ldbp, float[] t, int ti,
      int ldt, int kc) {
    if (MR == 6) {
      tile6(ap, pa, bp, pb, ldbp, t, ti, ldt, kc);
    } else {
      tile8(ap, pa, bp, pb, ldbp, t, ti, ldt, kc);
    }
  }

  /** The micro-kernel for 16-float vectors: eight rows, sixteen accumulators. */
  private static void tile8(float[] ap, int pa, float[] bp, int pb, int ldbp, float[] t, int ti,
      int ldt, int kc) {
    FloatVector c00 = load(t, ti);
    FloatVector c01 = load(t, ti + L);
    FloatVector c10 = load(t, ti + ldt);
    FloatVector c11 = load(t, ti + ldt + L);
    FloatVector c20 = load(t, ti + 2 * ldt);
    FloatVector c21 = load(t, ti + 2 * ldt + L);
    FloatVector c30 = load(t, ti + 3 * ldt);
    FloatVector c31 = load(t, ti + 3 * ldt + L);
    FloatVector c40 = load(t, ti + 4 * ldt);
    FloatVector c41 = load(t, ti + 4 * ldt + L);
    FloatVector c50 = load(t, ti + 5 * ldt);
    FloatVector c51 = load(t, ti + 5 * ldt + L);
    FloatVector c60 = load(t, ti + 6 * ldt);
    FloatVector c61 = load(t, ti + 6 * ldt + L);
    FloatVector c70 = load(t, ti + 7 * ldt);
    FloatVector c71 = load(t, ti + 7 * ldt + L);
    for (int k = 0; k < kc; k++) {
      FloatVector b0 = load(bp, pb + k * ldbp);
      FloatVector b1 = load(bp, pb + k * ldbp + L);
      int q = pa + k * 8;
      FloatVector x = FloatVector.broadcast(S, ap[q]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[q + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[q + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[q + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[q + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[q + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, ap[q + 6]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, ap[q + 7]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(t, ti);
    c01.intoArray(t, ti + L);
    c10.intoArray(t, ti + ldt);
    c11.intoArray(t, ti + ldt + L);
    c20.intoArray(t, ti + 2 * ldt);
    c21.intoArray(t, ti + 2 * ldt + L);
    c30.intoArray(t, ti + 3 * ldt);
    c31.intoArray(t, ti + 3 * ldt + L);
    c40.intoArray(t, ti + 4 * ldt);
    c41.intoArray(t, ti + 4 * ldt + L);
    c50.intoArray(t, ti + 5 * ldt);
    c51.intoArray(t, ti + 5 * ldt + L);
    c60.intoArray(t, ti + 6 * ldt);
    c61.intoArray(t, ti + 6 * ldt + L);
    c70.intoArray(t, ti + 7 * ldt);
    c71.intoArray(t, ti + 7 * ldt + L);
  }

  /** The micro-kernel for 8-float vectors: six rows, twelve accumulators. */
  private static void tile6(float[] ap, int pa, float[] bp, int pb, int ldbp, float[] t, int ti,
      int ldt, int kc) {
    FloatVector c00 = load(t, ti);
    FloatVector c01 = load(t, ti + L);
    FloatVector c10 = load(t, ti + ldt);
    FloatVector c11 = load(t, ti + ldt + L);
    FloatVector c20 = load(t, ti + 2 * ldt);
    FloatVector c21 = load(t, ti + 2 * ldt + L);
    FloatVector c30 = load(t, ti + 3 * ldt);
    FloatVector c31 = load(t, ti + 3 * ldt + L);
    FloatVector c40 = load(t, ti + 4 * ldt);
    FloatVector c41 = load(t, ti + 4 * ldt + L);
    FloatVector c50 = load(t, ti + 5 * ldt);
    FloatVector c51 = load(t, ti + 5 * ldt + L);
    for (int k = 0; k < kc; k++) {
      FloatVector b0 = load(bp, pb + k * ldbp);
      FloatVector b1 = load(bp, pb + k * ldbp + L);
      int q = pa + k * 6;
      FloatVector x = FloatVector.broadcast(S, ap[q]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[q + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[q + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[q + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[q + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[q + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    c00.intoArray(t, ti);
    c01.intoArray(t, ti + L);
    c10.intoArray(t, ti + ldt);
    c11.intoArray(t, ti + ldt + L);
    c20.intoArray(t, ti + 2 * ldt);
    c21.intoArray(t, ti + 2 * ldt + L);
    c30.intoArray(t, ti + 3 * ldt);
    c31.intoArray(t, ti + 3 * ldt + L);
    c40.intoArray(t, ti + 4 * ldt);
    c41.intoArray(t, ti + 4 * ldt + L);
    c50.intoArray(t, ti + 5 * ldt);
    c51.intoArray(t, ti + 5 * ldt + L);
  }

  /**
   * One row of the product, unpacked: {@code c[ci + j] += sum over k of A(k) * B(k, j)}, the sums
   * held in registers. A single step of k (the outer product of a batch of one) needs no
   * accumulator at all.
   */
  private static void row(float[] a, int ai, int acs, float[] b, int bOff, int ldb, float[] c,
      int ci, int n, int kn) {
    if (kn == 1) {
      FloatVector x = FloatVector.broadcast(S, a[ai]);
      FloatVector zero = FloatVector.zero(S);
      int j = 0;
      for (; j + L <= n; j += L) {
        load(c, ci + j).add(x.fma(load(b, bOff + j), zero)).intoArray(c, ci + j);
      }
      for (; j < n; j++) {
        c[ci + j] = c[ci + j] + Math.fma(a[ai], b[bOff + j], 0f);
      }
      return;
    }
    int j = 0;
    for (; j + 4 * L <= n; j += 4 * L) {
      row4(a, ai, acs, b, bOff + j, ldb, c, ci + j, kn);
    }
    for (; j + L <= n; j += L) {
      FloatVector s = FloatVector.zero(S);
      for (int k = 0; k < kn; k++) {
        s = FloatVector.broadcast(S, a[ai + k * acs]).fma(load(b, bOff + j + k * ldb), s);
      }
      load(c, ci + j).add(s).intoArray(c, ci + j);
    }
    for (; j < n; j++) {
      float s = 0f;
      for (int k = 0; k < kn; k++) {
        s = Math.fma(a[ai + k * acs], b[bOff + j + k * ldb], s);
      }
      c[ci + j] = c[ci + j] + s;
    }
  }

  /**
   * One column of the product, {@code m} scalar sums advanced eight rows at a time: packing
   * would cost more than the product, and a vector across rows would gather.
   */
  private static void columns(float[] a, int aOff, int ars, int acs, float[] b, int bj, int brs,
      float[] c, int cj, int ldc, int m, int kn) {
    int i = 0;
    for (; i + 8 <= m; i += 8) {
      int p = aOff + i * ars;
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      float s4 = 0f;
      float s5 = 0f;
      float s6 = 0f;
      float s7 = 0f;
      for (int k = 0; k < kn; k++) {
        float x = b[bj + k * brs];
        int q = p + k * acs;
        s0 = Math.fma(a[q], x, s0);
        s1 = Math.fma(a[q + ars], x, s1);
        s2 = Math.fma(a[q + 2 * ars], x, s2);
        s3 = Math.fma(a[q + 3 * ars], x, s3);
        s4 = Math.fma(a[q + 4 * ars], x, s4);
        s5 = Math.fma(a[q + 5 * ars], x, s5);
        s6 = Math.fma(a[q + 6 * ars], x, s6);
        s7 = Math.fma(a[q + 7 * ars], x, s7);
      }
      int ci = cj + i * ldc;
      c[ci] = c[ci] + s0;
      c[ci + ldc] = c[ci + ldc] + s1;
      c[ci + 2 * ldc] = c[ci + 2 * ldc] + s2;
      c[ci + 3 * ldc] = c[ci + 3 * ldc] + s3;
      c[ci + 4 * ldc] = c[ci + 4 * ldc] + s4;
      c[ci + 5 * ldc] = c[ci + 5 * ldc] + s5;
      c[ci + 6 * ldc] = c[ci + 6 * ldc] + s6;
      c[ci + 7 * ldc] = c[ci + 7 * ldc] + s7;
    }
    for (; i < m; i++) {
      int ai = aOff + i * ars;
      float s = 0f;
      for (int k = 0; k < kn; k++) {
        s = Math.fma(a[ai + k * acs], b[bj + k * brs], s);
      }
      c[cj + i * ldc] = c[cj + i * ldc] + s;
    }
  }

  /** Four vectors of one row: four independent sums per step of k. */
  private static void row4(float[] a, int ai, int acs, float[] b, int bj, int ldb, float[] c,
      int ci, int kn) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    for (int k = 0; k < kn; k++) {
      int p = bj + k * ldb;
      FloatVector x = FloatVector.broadcast(S, a[ai + k * acs]);
      s0 = x.fma(load(b, p), s0);
      s1 = x.fma(load(b, p + L), s1);
      s2 = x.fma(load(b, p + 2 * L), s2);
      s3 = x.fma(load(b, p + 3 * L), s3);
    }
    load(c, ci).add(s0).intoArray(c, ci);
    load(c, ci + L).add(s1).intoArray(c, ci + L);
    load(c, ci + 2 * L).add(s2).intoArray(c, ci + 2 * L);
    load(c, ci + 3 * L).add(s3).intoArray(c, ci + 3 * L);
  }

  private static FloatVector load(float[] m, int at) {
    return FloatVector.fromArray(S, m, at);
  }
}
