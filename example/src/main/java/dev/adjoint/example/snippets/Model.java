package dev.adjoint.example.snippets;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Losses;

/**
 * A linear softmax classifier in {@code float}: {@code w[c]} holds class {@code c}'s weights, so
 * the model has a 2-D and a 1-D parameter, as the Javadoc examples assume.
 */
public final class Model {
  private Model() {}

  /** Mean softmax cross-entropy over a batch of {@code labels.length} rows of {@code x}. */
  @Differentiable
  public static float loss(float[][] w, float[] b, @NoDerivative float[] x, int[] labels) {
    int batch = labels.length;
    int classes = b.length;
    int in = w[0].length;
    float[] logits = new float[batch * classes];
    for (int r = 0; r < batch; r++) {
      for (int c = 0; c < classes; c++) {
        float z = b[c];
        for (int k = 0; k < in; k++) {
          z += w[c][k] * x[r * in + k];
        }
        logits[r * classes + c] = z;
      }
    }
    return Losses.softmaxCrossEntropy(logits, labels, batch, classes);
  }

  /** The class with the largest logit for row {@code r} of {@code x}. */
  public static int predict(float[][] w, float[] b, float[] x, int r) {
    int in = w[0].length;
    int best = 0;
    float bestLogit = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < b.length; c++) {
      float z = b[c];
      for (int k = 0; k < in; k++) {
        z += w[c][k] * x[r * in + k];
      }
      if (z > bestLogit) {
        bestLogit = z;
        best = c;
      }
    }
    return best;
  }
}
