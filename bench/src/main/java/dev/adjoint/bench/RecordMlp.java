package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * {@link Mlp#loss} written as a model record: the weights are the record's components, the loss
 * an instance method whose body is {@code Mlp.loss}'s. Its gradient,
 * {@code RecordMlpGrad.loss(self, x, labels, acc)}, accumulates into a {@code RecordMlp} of
 * buffers.
 *
 * @param w1 input-major first-layer weights ({@code w1[k * HIDDEN + j]})
 * @param b1 first-layer biases
 * @param w2 second-layer weights ({@code w2[j * OUT + c]})
 * @param b2 second-layer biases
 */
public record RecordMlp(float[] w1, float[] b1, float[] w2, float[] b2) {
  /** Mean softmax cross-entropy of the batch {@code x} (one row of {@code IN} per label). */
  @Differentiable
  public float loss(@NoDerivative float[] x, int[] labels) {
    int batch = labels.length;
    float[] z1 = new float[batch * Mlp.HIDDEN];
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < Mlp.HIDDEN; j++) {
        z1[n * Mlp.HIDDEN + j] = b1[j];
      }
      for (int k = 0; k < Mlp.IN; k++) {
        float xk = x[n * Mlp.IN + k];
        for (int j = 0; j < Mlp.HIDDEN; j++) {
          z1[n * Mlp.HIDDEN + j] += xk * w1[k * Mlp.HIDDEN + j];
        }
      }
    }
    float[] a1 = new float[batch * Mlp.HIDDEN];
    for (int i = 0; i < batch * Mlp.HIDDEN; i++) {
      a1[i] = z1[i] > 0 ? z1[i] : 0;
    }
    float[] s = new float[batch * Mlp.OUT];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < Mlp.OUT; c++) {
        s[n * Mlp.OUT + c] = b2[c];
      }
      for (int j = 0; j < Mlp.HIDDEN; j++) {
        float aj = a1[n * Mlp.HIDDEN + j];
        for (int c = 0; c < Mlp.OUT; c++) {
          s[n * Mlp.OUT + c] += aj * w2[j * Mlp.OUT + c];
        }
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
  }}
