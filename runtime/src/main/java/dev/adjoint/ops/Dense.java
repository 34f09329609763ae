package dev.adjoint.ops;

import dev.adjoint.DerivativeOf;
import dev.adjoint.JvpOf;
import dev.adjoint.NoDerivative;
import java.util.Arrays;

/**
 * A fully connected layer {@code y = x W + b} over a batch of row vectors.
 *
 * <p>Shapes: {@code x} is {@code batch x in}, {@code w} is {@code in x out} (element
 * {@code (i, j)} at {@code w[i * out + j]}), {@code b} has {@code out} elements, {@code y} is
 * {@code batch x out}. Large products are split across {@link Parallelism#threads()} threads:
 * the forward pass and {@code dX} by rows of the batch or columns of {@code x}, {@code dW} by
 * rows of {@code W} (by columns of {@code y} and {@code W} for layers with few outputs), so that
 * no sum is ever split between threads.
 *
 * <p>Two sets of kernels compute the products, chosen once per JVM by {@link Kernels}: the
 * Vector API kernels when {@code jdk.incubator.vector} is present, otherwise portable scalar
 * kernels. Each gives bit-identical results for any thread count, but they round differently
 * (the vector kernels sum with fused multiply-adds), so the last bits of results, and of the
 * training runs built on them, depend on which one runs.
 */
public final class Dense {
  /** Outputs below which {@link #dense} and {@code dW} use the transposed form. */
  private static final int NARROW = 32;

  /** The Vector API path, or {@code null} for the scalar kernels: see {@link Kernels}. */
  private static final FusedDense FUSED =
      Kernels.VECTOR == null ? null : new FusedDense(Kernels.VECTOR);

  private Dense() {}

  /**
   * Returns {@code y = x W + b}: {@code y[r * out + j] = b[j] + sum over i of
   * x[r * in + i] * w[i * out + j]}.
   *
   * @throws IllegalArgumentException if a dimension is below 1 or an array length does not match
   */
  public static float[] dense(float[] x, float[] w, float[] b, int batch, int in, int out) {
    check(x, w, b, batch, in, out);
    if (FUSED != null) {
      return FUSED.dense(x, w, b, batch, in, out);
    }
    if (narrow(batch, out)) {
      return denseNarrow(x, w, b, batch, in, out);
    }
    float[] y = new float[batch * out];
    int parts = Parallelism.parts((long) batch * in * out, batch);
    int chunk = chunkRows(out);
    Workers.run(parts, p -> {
      int r0 = Workers.start(batch, parts, p);
      int r1 = Workers.start(batch, parts, p + 1);
      float[][] yRows = new float[r1 - r0][];
      for (int r = 0; r < yRows.length; r++) {
        yRows[r] = b.clone();
      }
      // W is copied a chunk of rows at a time into one small buffer that stays in cache, rather
      // than into fresh row arrays for all of W: the copy is what C2 needs to vectorise, and a
      // fresh 400 KB per call dominated small batches. Chunks hold a multiple of four rows, so
      // every sum keeps its order (k ascending, grouped by four).
      float[][] wRows = new float[Math.min(chunk, in)][out];
      for (int k0 = 0; k0 < in; k0 += chunk) {
        int k1 = Math.min(in, k0 + chunk);
        MatMul.copyRows(w, out, k0, k1, wRows);
        MatMul.multiplyAdd(x, r0 * in + k0, in, 1, wRows, k1 - k0, yRows, r1 - r0);
      }
      for (int r = 0; r < yRows.length; r++) {
        System.arraycopy(yRows[r], 0, y, (r0 + r) * out, out);
      }
    });
    return y;
  }

  /**
   * {@link #dense} for few outputs: computes {@code y^T = W^T x^T}, whose rows run over the
   * batch, because the kernel is slow on rows as short as {@code out}. Every element gets the
   * same terms in the same order as on the other path (products commute exactly), so the
   * results are bit-identical. Split over columns of {@code y}.
   */
  private static float[] denseNarrow(
      float[] x, float[] w, float[] b, int batch, int in, int out) {
    float[][] xT = MatMul.transposedRows(x, in, 0, batch);
    float[] y = new float[batch * out];
    int parts = Parallelism.parts((long) batch * in * out, out);
    Workers.run(parts, p -> {
      int j0 = Workers.start(out, parts, p);
      int j1 = Workers.start(out, parts, p + 1);
      float[][] yT = new float[j1 - j0][batch];
      for (int j = j0; j < j1; j++) {
        Arrays.fill(yT[j - j0], b[j]);
      }
      // A(j, k) = w[k * out + j]: row j of W^T.
      MatMul.multiplyAdd(w, j0, 1, out, xT, yT, j1 - j0);
      for (int j = j0; j < j1; j++) {
        float[] row = yT[j - j0];
        for (int r = 0; r < batch; r++) {
          y[r * out + j] = row[r];
        }
      }
    });
    return y;
  }

  /** Whether the transposed form suits: few outputs, and more batch rows than outputs. */
  private static boolean narrow(int batch, int out) {
    return out < NARROW && batch > out;
  }

  /**
   * The JVP of {@link #dense}: {@code tX W + x tW + tB}, computed with the same kernels as
   * {@link #dense}; a {@code null} tangent is zero and skipped.
   *
   * @throws IllegalArgumentException if a dimension is below 1 or an array length does not match
   */
  @JvpOf("dense")
  public static float[] denseJvp(float[] x, float[] w, float[] b, int batch, int in, int out,
      float[] value, float[] tX, float[] tW, float[] tB) {
    check(x, w, b, batch, in, out);
    Shapes.bufferLength("tX", tX, x.length);
    Shapes.bufferLength("tW", tW, in * out);
    Shapes.bufferLength("tB", tB, out);
    float[] zeros = tW == null || tB == null ? new float[out] : null;
    float[] t;
    if (tW != null) {
      t = dense(x, tW, tB != null ? tB : zeros, batch, in, out);
    } else {
      t = new float[batch * out];
      if (tB != null) {
        for (int r = 0; r < batch; r++) {
          System.arraycopy(tB, 0, t, r * out, out);
        }
      }
    }
    if (tX != null) {
      float[] p = dense(tX, w, zeros != null ? zeros : new float[out], batch, in, out);
      for (int i = 0; i < t.length; i++) {
        t[i] += p[i];
      }
    }
    return t;
  }

  /**
   * The pullback of {@link #dense}: adds {@code seed W^T} into {@code dX}, {@code x^T seed} into
   * {@code dW} and the column sums of {@code seed} into {@code dB}. {@code seed} is
   * {@code batch x out}; a {@code null} buffer is skipped.
   *
   * @throws IllegalArgumentException if a dimension is below 1 or an array length does not match
   */
  @DerivativeOf("dense")
  public static void denseBackward(
      float[] x, float[] w, float[] b, int batch, int in, int out,
      float[] seed, float[] dX, float[] dW, float[] dB) {
    check(x, w, b, batch, in, out);
    Shapes.length("seed", seed, batch * out);
    Shapes.bufferAtLeast("dX", dX, batch * in);
    Shapes.bufferLength("dW", dW, in * out);
    Shapes.bufferLength("dB", dB, out);
    if (FUSED != null) {
      if (dX != null) {
        FUSED.inputGradient(w, batch, in, out, seed, dX);
      }
      if (dW != null) {
        FUSED.weightGradient(x, batch, in, out, seed, dW);
      }
      if (dB != null) {
        biasGradient(MatMul.rows(seed, out, 0, batch), out, dB);
      }
      return;
    }
    boolean narrow = narrow(batch, out);
    float[][] seedRows =
        (dW != null && !narrow) || dB != null ? MatMul.rows(seed, out, 0, batch) : null;
    if (dX != null) {
      inputGradient(w, batch, in, out, seed, dX);
    }
    if (dW != null && narrow) {
      weightGradientNarrow(x, batch, in, out, seed, dW);
    } else if (dW != null) {
      weightGradient(x, batch, in, out, seedRows, dW);
    }
    if (dB != null) {
      biasGradient(seedRows, out, dB);
    }
  }

  /**
   * The pullback of {@link #denseJvp} ({@code tX W + x tW + tB}), which a Hessian-vector product
   * through {@link #dense} chains through: adds into {@code dTX}, {@code dTW} and {@code dTB}
   * what {@link #denseBackward} adds into {@code dX}, {@code dW} and {@code dB} (the same call,
   * the same bits), into {@code dX} {@code seed tW^T} and into {@code dW} {@code tX^T seed} (the
   * directional derivative of {@link #denseBackward} along the tangents: the same kernels with
   * {@code tW} for {@code w} and {@code tX} for {@code x}). The JVP does not depend on {@code b}
   * or {@code value}. A {@code null} buffer or tangent is skipped.
   *
   * @throws IllegalArgumentException if a dimension is below 1 or an array length does not match
   */
  @DerivativeOf("denseJvp")
  public static void denseJvpBackward(float[] x, float[] w, @NoDerivative float[] b, int batch,
      int in, int out, @NoDerivative float[] value, float[] tX, float[] tW, float[] tB,
      float[] seed, float[] dX, float[] dW, float[] dTX, float[] dTW, float[] dTB) {
    check(x, w, b, batch, in, out);
    Shapes.bufferLength("tX", tX, x.length);
    Shapes.bufferLength("tW", tW, in * out);
    Shapes.bufferLength("tB", tB, out);
    denseBackward(x, w, b, batch, in, out, seed, dTX, dTW, dTB);
    if (dX != null && tW != null) {
      denseBackward(x, tW, b, batch, in, out, seed, dX, null, null);
    }
    if (dW != null && tX != null) {
      denseBackward(tX, w, b, batch, in, out, seed, null, dW, null);
    }
  }

  /** {@code dB += } the column sums of {@code seed}, summed over rows in order. */
  private static void biasGradient(float[][] seedRows, int out, float[] dB) {
    float[] sums = new float[out];
    for (float[] row : seedRows) {
      for (int j = 0; j < out; j++) {
        sums[j] += row[j];
      }
    }
    MatMul.addInto(new float[][] {sums}, dB, out, 0, 0);
  }

  /** {@code dX += seed W^T}, split over columns of {@code dX} (rows of {@code W}). */
  private static void inputGradient(
      float[] w, int batch, int in, int out, float[] seed, float[] dX) {
    int parts = Parallelism.parts((long) batch * in * out, in);
    Workers.run(parts, p -> {
      int c0 = Workers.start(in, parts, p);
      int c1 = Workers.start(in, parts, p + 1);
      // Row j of wT is column j of W restricted to rows [c0, c1): row j of W^T, columns [c0, c1).
      float[][] wT = MatMul.transposedRows(w, out, c0, c1);
      float[][] rows = new float[batch][c1 - c0];
      MatMul.multiplyAdd(seed, 0, out, 1, wT, rows, batch);
      MatMul.addInto(rows, dX, in, 0, c0);
    });
  }

  /** {@code dW += x^T seed}, split over rows of {@code dW}. */
  private static void weightGradient(
      float[] x, int batch, int in, int out, float[][] seedRows, float[] dW) {
    int parts = Parallelism.parts((long) batch * in * out, in);
    Workers.run(parts, p -> {
      int r0 = Workers.start(in, parts, p);
      int r1 = Workers.start(in, parts, p + 1);
      // A block of dW rows at a time: a small buffer reused for the whole part instead of a
      // fresh in x out array per call.
      float[][] rows = new float[Math.min(MatMul.ROW_BLOCK, r1 - r0)][out];
      for (int i0 = r0; i0 < r1; i0 += rows.length) {
        int i1 = Math.min(r1, i0 + rows.length);
        for (float[] row : rows) {
          Arrays.fill(row, 0f);
        }
        // A(i, k) = x[k * in + i]: row i of x^T, summed over the batch index k.
        MatMul.multiplyAdd(x, i0, 1, in, seedRows, rows, i1 - i0);
        MatMul.addInto(rows, i1 - i0, dW, out, i0, 0);
      }
    });
  }

  /**
   * {@code dW += x^T seed} for few outputs, through {@code dW^T = seed^T x} whose rows are as
   * long as {@code in}; the same terms in the same order as {@link #weightGradient}. Split over
   * columns of {@code dW}.
   */
  private static void weightGradientNarrow(
      float[] x, int batch, int in, int out, float[] seed, float[] dW) {
    float[][] xRows = MatMul.rows(x, in, 0, batch);
    int parts = Parallelism.parts((long) batch * in * out, out);
    Workers.run(parts, p -> {
      int j0 = Workers.start(out, parts, p);
      int j1 = Workers.start(out, parts, p + 1);
      float[][] dWT = new float[j1 - j0][in];
      // A(j, k) = seed[k * out + j]: row j of seed^T, summed over the batch index k.
      MatMul.multiplyAdd(seed, j0, 1, out, xRows, dWT, j1 - j0);
      for (int j = j0; j < j1; j++) {
        float[] row = dWT[j - j0];
        for (int i = 0; i < in; i++) {
          dW[i * out + j] = dW[i * out + j] + row[i];
        }
      }
    });
  }

  /** Rows of W per chunk in the forward pass: about 16 KB, a multiple of four rows. */
  private static int chunkRows(int out) {
    return Math.max(4, (4096 / out) & ~3);
  }

  private static void check(float[] x, float[] w, float[] b, int batch, int in, int out) {
    Shapes.positive("batch", batch);
    Shapes.positive("in", in);
    Shapes.positive("out", out);
    Shapes.product("y", batch, out);
    Shapes.atLeast("x", x, Shapes.product("x", batch, in));
    Shapes.length("w", w, Shapes.product("w", in, out));
    Shapes.length("b", b, out);
  }
}
