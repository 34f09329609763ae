package dev.adjoint.example.mnist;

import dev.adjoint.train.BatchLoss;

/** Connects the ops-based model {@link Mlp} to the trainer. */
final class MlpTraining {
  private MlpTraining() {}

  static BatchLoss opsLoss(float[] w1, float[] b1, float[] w2, float[] b2, int in, int hidden,
      int classes) {
    return new BatchLoss() {
      private float[][] buffers;
      private MlpGrad.LossAccumulator gradient;

      @Override
      public double lossAndGradient(float[] x, int[] y, int n, float[][] grads) {
        if (grads != buffers) {
          buffers = grads;
          gradient = new MlpGrad.LossAccumulator(grads[0], grads[1], grads[2], grads[3]);
        }
        return MlpGrad.loss(w1, b1, w2, b2, x, y, n, in, hidden, classes, gradient);
      }
    };
  }
}
