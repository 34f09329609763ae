package dev.adjoint.ops;

/**
 * A matrix product kernel over flat arrays, the one primitive behind {@link Dense} when the
 * Vector API is present ({@link Kernels}).
 *
 * <p>Implementations must give every output element its terms in one fixed order, {@code k}
 * ascending, accumulated by fused multiply-add from zero and then added to the old value once:
 * {@code c = c + fma(a(k-1), b(k-1), ... fma(a0, b0, 0))}. The result then depends neither on
 * how the caller splits the product into blocks or threads nor on the vector width.
 */
interface Gemm {
  /**
   * {@code c[cOff + i * ldc + j] += sum over k < kn of A(i, k) * B(k, j)} for {@code i < m},
   * {@code j < n}, where {@code A(i, k) = a[aOff + i * ars + k * acs]} and {@code B(k, j) =
   * b[bOff + k * brs + j * bcs]}: either operand may be read as it lies or as its transpose.
   */
  void multiplyAdd(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
      float[] c, int cOff, int ldc, int m, int n, int kn);
}
