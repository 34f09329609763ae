package dev.adjoint.spark;

import dev.adjoint.example.mnist.Activation;
import dev.adjoint.example.mnist.DeepMlp;
import dev.adjoint.example.mnist.DeepMlpGrad;
import dev.adjoint.example.mnist.Network;
import dev.adjoint.ops.Dense;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Evaluator;

/**
 * The {@code train} command's classifier ({@link DeepMlp}: dense layers, an activation after each
 * hidden one, softmax cross-entropy) as a {@link SparkModel}. Its gradient is {@link
 * DeepMlpGrad}, which Adjoint generated, called in its accumulating form exactly as the
 * single-machine command calls it, so one partition reproduces that command bit for bit.
 *
 * @param widths features, hidden widths, classes
 * @param activation the hidden layers' {@link Activation#code()}
 */
public record MlpModel(int[] widths, int activation) implements SparkModel {
  private static final long serialVersionUID = 1L;

  /** The model of a network. */
  public static MlpModel of(Network net) {
    return new MlpModel(net.widths(), net.activation().code());
  }

  /** Keeps a copy of the widths. */
  public MlpModel {
    widths = widths.clone();
  }

  @Override
  public int[] widths() {
    return widths.clone();
  }

  @Override
  public BatchLoss loss(float[][] params) {
    float[][] w = rest(params, 0);
    float[][] b = rest(params, 1);
    return new BatchLoss() {
      private float[][] buffers;
      private DeepMlpGrad.LossAccumulator gradient;

      @Override
      public double lossAndGradient(float[] x, int[] y, int n, float[][] grads) {
        if (grads != buffers) {
          buffers = grads;
          gradient = new DeepMlpGrad.LossAccumulator(rest(grads, 0), rest(grads, 1));
        }
        return DeepMlpGrad.loss(w, b, x, y, n, widths, activation, gradient);
      }
    };
  }

  @Override
  public Evaluator evaluator(float[][] params) {
    int layers = widths.length - 1;
    int classes = widths[layers];
    return (x, y, n, predictions) -> {
      float[] in = x;
      for (int l = 0; l < layers; l++) {
        float[] z = Dense.dense(in, params[2 * l], params[2 * l + 1], n, widths[l],
            widths[l + 1]);
        in = l < layers - 1 ? Activation.apply(activation, z) : z;
      }
      return lossAndPredictions(in, y, n, classes, predictions);
    };
  }

  /** Mean softmax cross-entropy of the logits and the arg-max class of each row. */
  private static double lossAndPredictions(float[] logits, int[] labels, int batch, int classes,
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

  /** Every other array, from {@code first}: the weights {@code w0, w1, ...}, or the biases. */
  private static float[][] rest(float[][] arrays, int first) {
    float[][] r = new float[arrays.length / 2][];
    for (int l = 0; l < r.length; l++) {
      r[l] = arrays[2 * l + first];
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MlpModel m && java.util.Arrays.equals(widths, m.widths)
        && activation == m.activation;
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(widths) + activation;
  }

  @Override
  public String toString() {
    return "MlpModel" + java.util.Arrays.toString(widths) + " activation " + activation;
  }
}
