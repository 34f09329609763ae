package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * {@link Mlp#lossDot} over output-major weights: {@code w1[j * IN + k]} connects input
 * {@code k} to hidden unit {@code j}, so each unit's dot product reads a contiguous row of
 * {@code w1} (as {@code nn.Linear} stores it). {@link Mlp#lossDot} reads {@code w1[k * HIDDEN +
 * j]}, a stride of 128 floats per step, which makes even its forward pass about twice as slow as
 * the hand layers'; {@link HandMlpOutputMajor} is the hand-written comparison on this layout.
 */
public final class MlpOutputMajor {
  private MlpOutputMajor() {}

  /** Mean cross-entropy of {@code softmax(relu(x w1^T + b1) w2^T + b2)} against labels. */
  @Differentiable
  public static float lossDot(float[] w1, float[] b1, float[] w2, float[] b2,
      @NoDerivative float[] x, int[] labels) {
    int batch = labels.length;
    float[] h = new float[batch * Mlp.HIDDEN];
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < Mlp.HIDDEN; j++) {
        float z = b1[j];
        for (int k = 0; k < Mlp.IN; k++) {
          z += x[n * Mlp.IN + k] * w1[j * Mlp.IN + k];
        }
        h[n * Mlp.HIDDEN + j] = z > 0 ? z : 0;
      }
    }
    float[] s = new float[batch * Mlp.OUT];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < Mlp.OUT; c++) {
        float z = b2[c];
        for (int j = 0; j < Mlp.HIDDEN; j++) {
          z += h[n * Mlp.HIDDEN + j] * w2[c * Mlp.HIDDEN + j];
        }
        s[n * Mlp.OUT + c] = z;
      }
    }
    float total = 0;
    for (int n = 0; n < batch; n++) {
      float max = s[n * Mlp.OUT];
      for (int c = 1; c < Mlp.OUT; c++) {
        max = Math.max(max, s[n * Mlp.OUT + c]);
      }
      float sum = 0;
      for (int c = 0; c < Mlp.OUT; c++) {
        sum += (float) Math.exp(s[n * Mlp.OUT + c] - max);
      }
      total += (float) Math.log(sum) + max - s[n * Mlp.OUT + labels[n]];
    }
    return total / batch;
  }
}
