package dev.adjoint.example.mnist;

import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Evaluator;

/**
 * Connects the models to the trainer: their generated gradients and their predictions. Public for
 * the Spark module, whose tasks train the same network with the same calls.
 */
public final class MlpTraining {
  private MlpTraining() {}

  /**
   * The loss and generated gradient of {@link DeepMlp} over {@code params}, the trainer's arrays
   * {@code w0, b0, w1, b1, ...}, passed as the rows of its weights and biases.
   */
  public static BatchLoss opsLoss(Network net, float[][] params) {
    float[][] w = everyOther(params, 0);
    float[][] b = everyOther(params, 1);
    int[] widths = net.widths();
    int activation = net.activation().code();
    return new BatchLoss() {
      private float[][] buffers;
      private DeepMlpGrad.LossAccumulator gradient;

      @Override
      public double lossAndGradient(float[] x, int[] y, int n, float[][] grads) {
        if (grads != buffers) {
          buffers = grads;
          gradient = new DeepMlpGrad.LossAccumulator(everyOther(grads, 0),
              everyOther(grads, 1));
        }
        return DeepMlpGrad.loss(w, b, x, y, n, widths, activation, gradient);
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

  /** Loss and predictions of the network over {@code params}. */
  public static Evaluator evaluator(Network net, float[][] params) {
    Forward forward = new Forward(net);
    return (x, y, n, predictions) ->
        Forward.lossAndPredictions(forward.logits(params, x, n), y, n, net.classes(),
            predictions);
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
