package dev.adjoint.optim;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link Sgd} update on {@code jdk.incubator.vector}: floats widened to doubles a vector at a
 * time, the same double arithmetic as the scalar loop, narrowed once, so the results are
 * bit-identical. JDK 17's C2 does not vectorise the conversions by itself; this runs about six
 * times faster there.
 *
 * <p>Only loaded when {@link dev.adjoint.ops.Kernels#vectorized()}, that is with the module in
 * the boot layer.
 */
final class VectorSgd {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  /** Floats in half the width, as many lanes as {@link #D}. */
  private static final VectorSpecies<Float> F =
      FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(D.vectorBitSize() / 2));
  private static final int N = D.length();

  private VectorSgd() {}

  /** {@code p[i] = (float) (p[i] - lr * (g[i] + decay * p[i]))}, in double, for every i. */
  static void update(float[] p, float[] g, double lr, double decay) {
    int i = 0;
    for (; i + N <= p.length; i += N) {
      DoubleVector q = widen(p, i);
      DoubleVector r = q.sub(widen(g, i).add(q.mul(decay)).mul(lr));
      ((FloatVector) r.convertShape(VectorOperators.D2F, F, 0)).intoArray(p, i);
    }
    for (; i < p.length; i++) {
      double q = p[i];
      p[i] = (float) (q - lr * (g[i] + decay * q));
    }
  }

  private static DoubleVector widen(float[] a, int at) {
    return (DoubleVector) FloatVector.fromArray(F, a, at).convertShape(VectorOperators.F2D, D, 0);
  }
}
