package dev.adjoint.ops;

import java.util.Arrays;

/**
 * {@link Dense} over a {@link Gemm} kernel (the Vector API one): each product is one call of the
 * kernel on the operands as they are laid out, read as they lie or as their transposes (the
 * kernel's packing copies do the transposing); layers with fewer outputs than a vector has lanes
 * compute the transposed products, whose rows are longer.
 *
 * <p>Every element is {@code old + (sum over k ascending, fused)}, with {@code old} the bias in
 * the forward pass and the buffer's value in the backward pass. Work is split between threads by
 * blocks of the output only, so results are bit-identical for every thread count.
 */
final class FusedDense {
  /** Outputs below which the transposed forms run: rows shorter than one 16-lane vector. */
  private static final int NARROW = 16;

  /** Rows of the kernel's tiles ({@link VectorGemm#MR}): threads get whole tiles. */
  private static final int TILE = VectorGemm.MR;

  private final Gemm gemm;

  FusedDense(Gemm gemm) {
    this.gemm = gemm;
  }

  float[] dense(float[] x, float[] w, float[] b, int batch, int in, int out) {
    float[] y = new float[batch * out];
    if (out < NARROW && batch >= NARROW) {
      // y^T = W^T x^T: rows as long as the batch. A(j, k) = w[k * out + j], B(k, r) = x(r, k).
      float[] yT = new float[out * batch];
      for (int j = 0; j < out; j++) {
        Arrays.fill(yT, j * batch, (j + 1) * batch, b[j]);
      }
      split(batch, in, out, out, batch, (i0, i1, j0, j1) ->
          gemm.multiplyAdd(w, i0, 1, out, x, j0 * in, 1, in, yT, i0 * batch + j0, batch, i1 - i0,
              j1 - j0, in));
      for (int j = 0; j < out; j++) {
        for (int r = 0; r < batch; r++) {
          y[r * out + j] = yT[j * batch + r];
        }
      }
      return y;
    }
    for (int r = 0; r < batch; r++) {
      System.arraycopy(b, 0, y, r * out, out);
    }
    split(batch, in, out, batch, out, (r0, r1, j0, j1) ->
        gemm.multiplyAdd(x, r0 * in, in, 1, w, j0, out, 1, y, r0 * out + j0, out, r1 - r0,
            j1 - j0, in));
    return y;
  }

  /**
   * {@code dX += seed W^T}, with {@code B(k, i) = W(i, k)}: the kernel packs {@code W} by its
   * rows straight into the panels it needs, with no transposed copy. Split over columns of
   * {@code dX} (rows of {@code W}) when it has enough of them, so each thread packs only its
   * share of {@code W}.
   */
  void inputGradient(float[] w, int batch, int in, int out, float[] seed, float[] dX) {
    split(batch, in, out, batch, in, true, (r0, r1, c0, c1) ->
        gemm.multiplyAdd(seed, r0 * out, out, 1, w, c0 * out, 1, out, dX, r0 * in + c0, in,
            r1 - r0, c1 - c0, out));
  }

  /** {@code dW += x^T seed}: {@code A(i, k) = x[k * in + i]}, summed over the batch. */
  void weightGradient(float[] x, int batch, int in, int out, float[] seed, float[] dW) {
    if (out < NARROW && in >= NARROW) {
      // dW^T = seed^T x, rows as long as the input, then added in: the same value per element.
      float[] dWT = new float[out * in];
      split(batch, in, out, out, in, (j0, j1, i0, i1) ->
          gemm.multiplyAdd(seed, j0, 1, out, x, i0, in, 1, dWT, j0 * in + i0, in, j1 - j0,
              i1 - i0, batch));
      for (int i = 0; i < in; i++) {
        for (int j = 0; j < out; j++) {
          dW[i * out + j] = dW[i * out + j] + dWT[j * in + i];
        }
      }
      return;
    }
    split(batch, in, out, in, out, (i0, i1, j0, j1) ->
        gemm.multiplyAdd(x, i0, 1, in, seed, j0, out, 1, dW, i0 * out + j0, out, i1 - i0,
            j1 - j0, batch));
  }

  /** A block of the output: rows {@code [r0, r1)}, columns {@code [c0, c1)}. */
  private interface Block {
    void run(int r0, int r1, int c0, int c1);
  }

  /**
   * Splits a {@code rows x cols} output over the threads: by rows when there are enough for
   * every thread to get whole tiles of the micro-kernel, otherwise by columns in whole vectors
   * of 16.
   */
  private static void split(int batch, int in, int out, int rows, int cols, Block block) {
    split(batch, in, out, rows, cols, false, block);
  }

  /** {@link #split(int, int, int, int, int, Block)}, by columns first if {@code columnsFirst}. */
  private static void split(int batch, int in, int out, int rows, int cols, boolean columnsFirst,
      Block block) {
    int parts =
        Parallelism.parts((long) batch * in * out, Math.max(rows / TILE, (cols + 15) / 16));
    if (parts == 1) {
      block.run(0, rows, 0, cols);
    } else if (rows / TILE >= parts && !(columnsFirst && (cols + 15) / 16 >= parts)) {
      int tiles = (rows + TILE - 1) / TILE;
      Workers.run(parts, p -> block.run(Math.min(rows, TILE * Workers.start(tiles, parts, p)),
          Math.min(rows, TILE * Workers.start(tiles, parts, p + 1)), 0, cols));
    } else {
      int vectors = (cols + 15) / 16;
      Workers.run(parts, p -> block.run(0, rows, Math.min(cols, 16 * Workers.start(vectors, parts, p)),
          Math.min(cols, 16 * Workers.start(vectors, parts, p + 1))));
    }
  }
}
