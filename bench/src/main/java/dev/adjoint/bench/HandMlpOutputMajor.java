package dev.adjoint.bench;

/**
 * Hand-written forward and backward passes of {@link MlpOutputMajor#lossDot}: dot products
 * along contiguous weight rows, the backward pass a careful programmer writes for that layout
 * ({@code dW1[j * IN + k] += dZ * x[n * IN + k]}). Buffers are allocated once; the softmax is
 * {@link HandMlp}'s.
 */
public final class HandMlpOutputMajor {
  private final float[] z1;
  private final float[] a1;
  private final float[] scores;
  private final float[] dScores;
  private final float[] dA1;
  private final HandMlp.SoftmaxWithLoss lastLayer = new HandMlp.SoftmaxWithLoss(Mlp.OUT);

  /** Buffers for batches of {@code batch} examples. */
  public HandMlpOutputMajor(int batch) {
    z1 = new float[batch * Mlp.HIDDEN];
    a1 = new float[batch * Mlp.HIDDEN];
    scores = new float[batch * Mlp.OUT];
    dScores = new float[batch * Mlp.OUT];
    dA1 = new float[batch * Mlp.HIDDEN];
  }

  /** The loss alone. */
  public float loss(float[] w1, float[] b1, float[] w2, float[] b2, float[] x, int[] labels) {
    int batch = labels.length;
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < Mlp.HIDDEN; j++) {
        float z = b1[j];
        for (int k = 0; k < Mlp.IN; k++) {
          z += x[n * Mlp.IN + k] * w1[j * Mlp.IN + k];
        }
        z1[n * Mlp.HIDDEN + j] = z;
        a1[n * Mlp.HIDDEN + j] = z > 0 ? z : 0;
      }
      for (int c = 0; c < Mlp.OUT; c++) {
        float z = b2[c];
        for (int j = 0; j < Mlp.HIDDEN; j++) {
          z += a1[n * Mlp.HIDDEN + j] * w2[c * Mlp.HIDDEN + j];
        }
        scores[n * Mlp.OUT + c] = z;
      }
    }
    return lastLayer.forward(scores, labels);
  }

  /** The loss, adding its gradient into {@code dw1}, {@code db1}, {@code dw2}, {@code db2}. */
  public float lossAndGradient(float[] w1, float[] b1, float[] w2, float[] b2, float[] x,
      int[] labels, float[] dw1, float[] db1, float[] dw2, float[] db2) {
    float loss = loss(w1, b1, w2, b2, x, labels);
    lastLayer.backward(dScores);
    int batch = labels.length;
    java.util.Arrays.fill(dA1, 0);
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < Mlp.OUT; c++) {
        float d = dScores[n * Mlp.OUT + c];
        db2[c] += d;
        for (int j = 0; j < Mlp.HIDDEN; j++) {
          dw2[c * Mlp.HIDDEN + j] += d * a1[n * Mlp.HIDDEN + j];
          dA1[n * Mlp.HIDDEN + j] += d * w2[c * Mlp.HIDDEN + j];
        }
      }
      for (int j = 0; j < Mlp.HIDDEN; j++) {
        float d = z1[n * Mlp.HIDDEN + j] > 0 ? dA1[n * Mlp.HIDDEN + j] : 0;
        db1[j] += d;
        for (int k = 0; k < Mlp.IN; k++) {
          dw1[j * Mlp.IN + k] += d * x[n * Mlp.IN + k];
        }
      }
    }
    return loss;
  }
}
