package dev.adjoint.example.snippets;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Losses;

/**
 * {@link Model}'s softmax classifier as a model record: its parameters are the components, its
 * loss a method, and every floating component an array (the record of {@code Parameters.of}).
 *
 * @param w {@code w[c]} holds class {@code c}'s weights
 * @param b the biases, one per class
 */
public record Classifier(float[][] w, float[] b) {
  /** Mean softmax cross-entropy over a batch of {@code labels.length} rows of {@code x}. */
  @Differentiable
  public float loss(@NoDerivative float[] x, int[] labels) {
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
}
