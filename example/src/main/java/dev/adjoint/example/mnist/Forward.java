package dev.adjoint.example.mnist;

import dev.adjoint.ops.Activations;

/**
 * A network's forward pass for predictions (no gradient needed), with plain loops into buffers
 * reused across batches.
 */
final class Forward {
  private final Network net;
  private final float[][] activations;

  /** Buffers for batches of at most {@code batch} examples. */
  Forward(Network net, int batch) {
    this.net = net;
    int[] widths = net.widths();
    this.activations = new float[net.layers()][];
    for (int l = 0; l < net.layers(); l++) {
      activations[l] = new float[batch * widths[l + 1]];
    }
  }

  /**
   * Logits of a batch, {@code batch x classes}, in a buffer that the next call overwrites.
   *
   * @param params {@code w0, b0, w1, b1, ...}
   */
  float[] logits(float[][] params, float[] x, int batch) {
    int[] widths = net.widths();
    float[] in = x;
    for (int l = 0; l < net.layers(); l++) {
      float[] out = activations[l];
      dense(params[2 * l], params[2 * l + 1], in, batch, widths[l], widths[l + 1], out);
      if (l < net.layers() - 1) {
        activate(out, batch * widths[l + 1]);
      }
      in = out;
    }
    return in;
  }

  private static void dense(float[] w, float[] b, float[] x, int batch, int in, int out,
      float[] y) {
    for (int n = 0; n < batch; n++) {
      int y0 = n * out;
      System.arraycopy(b, 0, y, y0, out);
      for (int k = 0; k < in; k++) {
        float xv = x[n * in + k];
        if (xv != 0) {
          int w0 = k * out;
          for (int j = 0; j < out; j++) {
            y[y0 + j] += xv * w[w0 + j];
          }
        }
      }
    }
  }

  private void activate(float[] z, int length) {
    switch (net.activation()) {
      case RELU -> {
        for (int i = 0; i < length; i++) {
          z[i] = Math.max(0f, z[i]);
        }
      }
      // The ops' own functions, so that predictions match training exactly.
      case SIGMOID -> System.arraycopy(Activations.sigmoid(z), 0, z, 0, length);
      case TANH -> System.arraycopy(Activations.tanh(z), 0, z, 0, length);
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
