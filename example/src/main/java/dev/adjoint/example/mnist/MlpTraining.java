package dev.adjoint.example.mnist;

import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Evaluator;

/**
 * Connects the models to the trainer: their generated gradients and their predictions. Public for
 * the Spark module, whose tasks train the same network with the same calls.
 *
 * <p>The trainer, its optimizer and its checkpoints keep a network's parameters as the flat list
 * {@code w0, b0, w1, b1, ...} ({@link Network#newParameters}); the model record {@link DeepMlp}
 * is a view of those arrays, and its accumulator a view of the gradient arrays the trainer zeroes
 * before each step, so the step adds the gradient straight into them.
 */
public final class MlpTraining {
  private MlpTraining() {}

  /**
   * The loss and generated gradient of the model record {@link DeepMlp} over {@code params}, the
   * trainer's arrays {@code w0, b0, w1, b1, ...}: {@code DeepMlpGrad.loss(model, x, labels,
   * batch, gradient)}, adding into a {@code DeepMlp} over the trainer's gradient arrays.
   */
  public static BatchLoss opsLoss(Network net, float[][] params) {
    DeepMlp model = DeepMlp.over(net, params);
    return new BatchLoss() {
      private float[][] buffers;
      private DeepMlpGrad.LossAccumulator gradient;

      @Override
      public double lossAndGradient(float[] x, int[] y, int n, float[][] grads) {
        if (grads != buffers) {
          buffers = grads;
          gradient = new DeepMlpGrad.LossAccumulator(DeepMlp.over(net, grads));
        }
        return DeepMlpGrad.loss(model, x, y, n, gradient);
      }
    };
  }

  /** The loss and gradient of {@link MlpLoops}, which has one hidden ReLU layer. */
  static BatchLoss loopsLoss(Network net, float[][] params) {
    if (net.layers() != 2 || net.activation() != Activation.RELU) {
      throw new IllegalArgumentException("the loops model has one hidden ReLU layer, not " + net);
    }
    int in = net.in();
    int hidden = net.widths()[1];
    int classes = net.classes();
    return new BatchLoss() {
      private float[][] buffers;
      private MlpLoopsGrad.LossAccumulator gradient;

      @Override
      public double lossAndGradient(float[] x, int[] y, int n, float[][] grads) {
        if (grads != buffers) {
          buffers = grads;
          gradient = new MlpLoopsGrad.LossAccumulator(grads[0], grads[1], grads[2], grads[3]);
        }
        return MlpLoopsGrad.loss(params[0], params[1], params[2], params[3], x, y, n, in,
            hidden, classes, gradient);
      }
    };
  }

  /**
   * Loss and predictions of the network over {@code params}: the logits of {@link
   * DeepMlp#logits}, through the same ops and kernels as training (vectorized and split over the
   * ops' threads, bit for bit the logits the training loss sees).
   */
  public static Evaluator evaluator(Network net, float[][] params) {
    DeepMlp model = DeepMlp.over(net, params);
    return (x, y, n, predictions) ->
        lossAndPredictions(model.logits(x, n), y, n, net.classes(), predictions);
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

  /** Every other array of {@code arrays}, from {@code first}: the weights, or the biases. */
  static float[][] everyOther(float[][] arrays, int first) {
    float[][] r = new float[arrays.length / 2][];
    for (int l = 0; l < r.length; l++) {
      r[l] = arrays[2 * l + first];
    }
    return r;
  }
}
