package dev.adjoint.example.mnist;

import dev.adjoint.ops.Dense;

/**
 * A network's forward pass for predictions (no gradient needed), through the same ops and
 * kernels as training ({@link Dense}, {@link Activation}): vectorized and split over the ops'
 * threads, and the logits are bit for bit those the training loss sees.
 */
final class Forward {
  private final Network net;

  Forward(Network net) {
    this.net = net;
  }

  float[] logits(float[][] params, float[] x, int batch) {
    int[] widths = net.widths();
    int activation = net.activation().code();
    float[] in = x;
    for (int l = 0; l < net.layers(); l++) {
      float[] z = Dense.dense(in, params[2 * l], params[2 * l + 1], batch, widths[l],
          widths[l + 1]);
      in = l < net.layers() - 1 ? Activation.apply(activation, z) : z;
    }
    return in;
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
