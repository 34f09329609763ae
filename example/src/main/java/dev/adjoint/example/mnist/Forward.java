package dev.adjoint.example.mnist;

/** The network's forward pass for predictions (no gradient needed), with plain loops. */
final class Forward {
  private Forward() {}

  /** Logits of a batch, {@code batch x classes}, into {@code logits}; {@code hidden} is scratch. */
  static void logits(float[] w1, float[] b1, float[] w2, float[] b2, float[] x, int batch,
      int in, int hiddenUnits, int classes, float[] hidden, float[] logits) {
    for (int n = 0; n < batch; n++) {
      int h0 = n * hiddenUnits;
      System.arraycopy(b1, 0, hidden, h0, hiddenUnits);
      for (int k = 0; k < in; k++) {
        float xv = x[n * in + k];
        if (xv != 0) {
          int w0 = k * hiddenUnits;
          for (int j = 0; j < hiddenUnits; j++) {
            hidden[h0 + j] += xv * w1[w0 + j];
          }
        }
      }
      for (int j = 0; j < hiddenUnits; j++) {
        hidden[h0 + j] = Math.max(0f, hidden[h0 + j]);
      }
      int l0 = n * classes;
      System.arraycopy(b2, 0, logits, l0, classes);
      for (int j = 0; j < hiddenUnits; j++) {
        float hv = hidden[h0 + j];
        int w0 = j * classes;
        for (int c = 0; c < classes; c++) {
          logits[l0 + c] += hv * w2[w0 + c];
        }
      }
    }
  }

  /** Mean softmax cross-entropy of logits and the arg-max class of each row. */
  static double lossAndPredictions(float[] logits, int[] labels, int batch, int classes,
      int[] predictions) {
    double total = 0;
    for (int n = 0; n < batch; n++) {
      int l0 = n * classes;
      int best = 0;
      float max = logits[l0];
      for (int c = 1; c < classes; c++) {
        if (logits[l0 + c] > max) {
          max = logits[l0 + c];
          best = c;
        }
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[l0 + c] - max);
      }
      total += Math.log(sum) + max - logits[l0 + labels[n]];
      predictions[n] = best;
    }
    return total / batch;
  }
}
