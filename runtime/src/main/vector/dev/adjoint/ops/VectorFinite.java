package dev.adjoint.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Finite}'s scan on {@code jdk.incubator.vector}; loaded only when {@link Kernels} found
 * the module. Branch-free: {@code x * 0 + sum} stays zero while every {@code x} is finite and
 * turns NaN for good at the first NaN or infinity, so the loop is two vector operations per
 * vector of input and only the caller's rare failure path looks for the index.
 */
final class VectorFinite {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorFinite() {}

  /** Whether no element of {@code a[from, to)} is NaN or infinite. */
  static boolean allFinite(float[] a, int from, int to) {
    int n = from + S.loopBound(to - from);
    FloatVector zero = FloatVector.zero(S);
    FloatVector s0 = zero;
    FloatVector s1 = zero;
    int i = from;
    // Two sums so that consecutive fused multiply-adds do not wait for each other.
    for (; i + 2 * S.length() <= n; i += 2 * S.length()) {
      s0 = FloatVector.fromArray(S, a, i).fma(zero, s0);
      s1 = FloatVector.fromArray(S, a, i + S.length()).fma(zero, s1);
    }
    for (; i < n; i += S.length()) {
      s0 = FloatVector.fromArray(S, a, i).fma(zero, s0);
    }
    float tail = 0f;
    for (; i < to; i++) {
      tail = Math.fma(a[i], 0f, tail);
    }
    return !s0.add(s1).test(VectorOperators.IS_NAN).anyTrue() && tail == 0f;
  }
}
