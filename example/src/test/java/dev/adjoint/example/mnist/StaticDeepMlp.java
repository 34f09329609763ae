package dev.adjoint.example.mnist;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;
import dev.adjoint.train.BatchLoss;

/**
 * The {@code train} command's classifier as it was before it became the model record {@link
 * DeepMlp}: a static {@code @Differentiable} layer loop over ragged {@code float[][] w, b} with
 * the widths passed in. Kept in the tests as the reference that the record, and the command
 * trained with it, must reproduce bit for bit.
 */
final class StaticDeepMlp {
  private StaticDeepMlp() {}

  @Differentiable
  static float loss(float[][] w, float[][] b, @NoDerivative float[] x, int[] labels,
      int batch, int[] widths, int activation) {
    float[] h = x;
    int last = w.length - 1;
    for (int l = 0; l < last; l++) {
      h = Activation.apply(activation, Dense.dense(h, w[l], b[l], batch, widths[l],
          widths[l + 1]));
    }
    float[] logits = Dense.dense(h, w[last], b[last], batch, widths[last], widths[last + 1]);
    return Losses.softmaxCrossEntropy(logits, labels, batch, widths[last + 1]);
  }

  /** The command's loss before the record: this function's gradient over the trainer's arrays. */
  static BatchLoss batchLoss(Network net, float[][] params) {
    float[][] w = MlpTraining.everyOther(params, 0);
    float[][] b = MlpTraining.everyOther(params, 1);
    int[] widths = net.widths();
    int activation = net.activation().code();
    return new BatchLoss() {
      private float[][] buffers;
      private StaticDeepMlpGrad.LossAccumulator gradient;

      @Override
      public double lossAndGradient(float[] x, int[] y, int n, float[][] grads) {
        if (grads != buffers) {
          buffers = grads;
          gradient = new StaticDeepMlpGrad.LossAccumulator(MlpTraining.everyOther(grads, 0),
              MlpTraining.everyOther(grads, 1));
        }
        return StaticDeepMlpGrad.loss(w, b, x, y, n, widths, activation, gradient);
      }
    };
  }
}
