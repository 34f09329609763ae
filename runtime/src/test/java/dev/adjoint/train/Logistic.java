package dev.adjoint.train;

import java.util.Random;

/**
 * Binary logistic regression in two dimensions, written by hand with its gradient: parameters
 * {@code w} (2 floats) and {@code b} (1 float), mean cross-entropy loss. The data are two
 * Gaussian blobs that a line separates almost perfectly.
 */
final class Logistic {
  final float[] w = new float[2];
  final float[] b = new float[1];

  float[][] params() {
    return new float[][] {w, b};
  }

  /** {@code n} samples: label 1 around (1, 1), label 0 around (-1, -1), std 0.6. */
  static ArrayBatches data(int n, int batchSize, long dataSeed, Long shuffleSeed) {
    Random random = new Random(dataSeed);
    float[] x = new float[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = random.nextBoolean() ? 1 : 0;
      double centre = y[i] == 1 ? 1 : -1;
      x[2 * i] = (float) (centre + 0.6 * random.nextGaussian());
      x[2 * i + 1] = (float) (centre + 0.6 * random.nextGaussian());
    }
    return new ArrayBatches(x, y, 2, batchSize, shuffleSeed);
  }

  private double logit(float[] x, int i) {
    return w[0] * x[2 * i] + w[1] * x[2 * i + 1] + b[0];
  }

  /** Cross-entropy of a logit z against label t, computed stably. */
  private static double crossEntropy(double z, int t) {
    // log(1 + e^z) - t z, with the log1p form that does not overflow for large |z|.
    return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t * z;
  }

  double lossAndGradient(float[] x, int[] y, int n, float[][] grads) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      double z = logit(x, i);
      total += crossEntropy(z, y[i]);
      double dz = (1 / (1 + Math.exp(-z)) - y[i]) / n;
      grads[0][0] += (float) (dz * x[2 * i]);
      grads[0][1] += (float) (dz * x[2 * i + 1]);
      grads[1][0] += (float) dz;
    }
    return total / n;
  }

  double lossAndPredictions(float[] x, int[] y, int n, int[] predictions) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      double z = logit(x, i);
      total += crossEntropy(z, y[i]);
      predictions[i] = z > 0 ? 1 : 0;
    }
    return total / n;
  }
}
