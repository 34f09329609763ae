package dev.adjoint.example.newton;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * Multinomial logistic regression: the mean softmax cross-entropy of a linear model plus an L2
 * penalty, in plain loops. {@code hessian = true} gives {@code SoftmaxRegressionGrad.lossHvp},
 * the Hessian-vector product Newton-CG needs.
 */
public final class SoftmaxRegression {
  private SoftmaxRegression() {}

  /**
   * The loss of weights {@code w} (per class: {@code features} weights then a bias) on
   * {@code n} examples {@code x} (row by row) with labels {@code labels}.
   */
  @Differentiable(hessian = true)
  public static double loss(double[] w, @NoDerivative double[] x, int[] labels, int n,
      int features, int classes, @NoDerivative double l2) {
    double[] z = new double[classes];
    double total = 0;
    for (int i = 0; i < n; i++) {
      double largest = 0;
      for (int c = 0; c < classes; c++) {
        double s = w[c * (features + 1) + features];
        for (int j = 0; j < features; j++) {
          s += w[c * (features + 1) + j] * x[i * features + j];
        }
        z[c] = s;
        largest = Math.max(largest, s);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(z[c] - largest);
      }
      total += Math.log(sum) + largest - z[labels[i]];
    }
    double penalty = 0;
    for (double v : w) {
      penalty += v * v;
    }
    return total / n + 0.5 * l2 * penalty;
  }

  /** The share of examples whose largest score is their label's. */
  public static double accuracy(double[] w, double[] x, int[] labels, int n, int features,
      int classes) {
    int right = 0;
    for (int i = 0; i < n; i++) {
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double s = w[c * (features + 1) + features];
        for (int j = 0; j < features; j++) {
          s += w[c * (features + 1) + j] * x[i * features + j];
        }
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      right += best == labels[i] ? 1 : 0;
    }
    return (double) right / n;
  }
}
