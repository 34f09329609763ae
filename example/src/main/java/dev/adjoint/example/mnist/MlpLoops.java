package dev.adjoint.example.mnist;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * The same one-hidden-layer classifier as {@link Mlp}, written with plain loops only: Adjoint
 * derives the whole backward pass, no hand-written derivative involved. Slower than the ops
 * (no blocking, no second core), and the clearest way to see what the processor does with loops.
 */
public final class MlpLoops {
  private MlpLoops() {}

  /**
   * Mean softmax cross-entropy of a {@code in}-{@code hidden}-{@code classes} ReLU network on a
   * batch.
   *
   * @param w1 first-layer weights, {@code in x hidden}, row-major
   * @param b1 first-layer biases
   * @param w2 second-layer weights, {@code hidden x classes}, row-major
   * @param b2 second-layer biases
   * @param x the batch, {@code batch x in}, row-major
   * @param labels the class of each example
   * @param batch examples in the batch
   * @param in features per example
   * @param hidden hidden units
   * @param classes classes
   * @return the mean loss
   */
  @Differentiable
  public static float loss(float[] w1, float[] b1, float[] w2, float[] b2,
      @NoDerivative float[] x, int[] labels, int batch, int in, int hidden, int classes) {
    float[] h = new float[batch * hidden];
    float[] logits = new float[batch * classes];
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < hidden; j++) {
        float z = b1[j];
        for (int k = 0; k < in; k++) {
          z += x[n * in + k] * w1[k * hidden + j];
        }
        h[n * hidden + j] = Math.max(0f, z);
      }
      for (int c = 0; c < classes; c++) {
        float z = b2[c];
        for (int j = 0; j < hidden; j++) {
          z += h[n * hidden + j] * w2[j * classes + c];
        }
        logits[n * classes + c] = z;
      }
    }
    float total = 0;
    for (int n = 0; n < batch; n++) {
      // Numerically stable log-sum-exp: subtract the row's largest logit.
      float max = logits[n * classes];
      for (int c = 1; c < classes; c++) {
        max = Math.max(max, logits[n * classes + c]);
      }
      float sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += (float) Math.exp(logits[n * classes + c] - max);
      }
      total += (float) Math.log(sum) + max - logits[n * classes + labels[n]];
    }
    return total / batch;
  }
}
