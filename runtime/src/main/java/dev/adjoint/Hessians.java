package dev.adjoint;

/**
 * Small dense Hessians from a generated Hessian-vector product ({@code @Differentiable(hessian =
 * true)}): one product per coordinate, so for tiny problems only (n products of about three
 * gradients' cost each).
 *
 * <pre>{@code
 * double[][] h = Hessians.of((at, v) -> BowlGrad.fHvp(at, v).x(), x);
 * }</pre>
 */
public final class Hessians {
  /** Relative asymmetry above which {@link #of} reports a wrong Hessian-vector product. */
  public static final double SYMMETRY_TOLERANCE = 1e-8;

  private Hessians() {}

  /** A Hessian-vector product: {@code H(x) v}. */
  @FunctionalInterface
  public interface Hvp {
    double[] apply(double[] x, double[] v);
  }

  /**
   * The Hessian of a function at {@code x}, from {@code x.length} products with the unit
   * vectors, checked for symmetry.
   *
   * @throws IllegalStateException when {@code H[i][j]} and {@code H[j][i]} differ by more than
   *     {@link #SYMMETRY_TOLERANCE} relative to the largest entry (the product is not a Hessian's)
   */
  public static double[][] of(Hvp hvp, double[] x) {
    int n = x.length;
    double[][] h = new double[n][n];
    double largest = 0;
    for (int j = 0; j < n; j++) {
      double[] e = new double[n];
      e[j] = 1;
      double[] column = hvp.apply(x.clone(), e);
      if (column.length != n) {
        throw new IllegalArgumentException("the product has " + column.length
            + " components for " + n + " coordinates");
      }
      for (int i = 0; i < n; i++) {
        h[i][j] = column[i];
        largest = Math.max(largest, Math.abs(column[i]));
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (!(Math.abs(h[i][j] - h[j][i]) <= SYMMETRY_TOLERANCE * Math.max(1, largest))) {
          throw new IllegalStateException("the Hessian is not symmetric: H[" + i + "][" + j
              + "] = " + h[i][j] + ", H[" + j + "][" + i + "] = " + h[j][i]);
        }
      }
    }
    return h;
  }
}
