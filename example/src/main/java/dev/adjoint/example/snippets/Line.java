package dev.adjoint.example.snippets;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * A linear model {@code y = w . x + b} as a record of a {@code double} array and a {@code
 * double} scalar: the record a scalar component makes immutable, for the optimizer's record step.
 *
 * @param w the weights, one per feature
 * @param b the bias
 */
public record Line(double[] w, double b) {
  /** Mean squared error over the rows of {@code x} ({@code w.length} features each). */
  @Differentiable
  public double loss(@NoDerivative double[] x, @NoDerivative double[] y) {
    int n = y.length;
    int in = w.length;
    double sum = 0;
    for (int r = 0; r < n; r++) {
      double z = b;
      for (int k = 0; k < in; k++) {
        z += w[k] * x[r * in + k];
      }
      double e = z - y[r];
      sum += e * e;
    }
    return sum / n;
  }
}
