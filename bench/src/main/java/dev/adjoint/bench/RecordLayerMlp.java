package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * {@link LayerLoopMlp} as a model record: the weights, one row per layer, are its components and
 * {@code loss} calls the record's own {@code layer} method once per hidden layer
 * ({@code this.layer(h, l, batch)}); {@code lossInline} is the same loss with the layer written
 * in the loop. {@code LayerLoopBenchmark} compares both gradients with {@link HandLayerLoopMlp}.
 *
 * @param w the weights, {@code w[l]} mapping {@code widths[l]} to {@code widths[l + 1]} units
 * @param b the biases, one row per layer
 * @param widths the layer widths, input first
 */
public record RecordLayerMlp(float[][] w, float[][] b, int[] widths) {
  /** Hidden layer {@code l}: ReLU of the affine map of the batch {@code h}. */
  @Differentiable
  public float[] layer(float[] h, int l, int batch) {
    return Activations.relu(Dense.dense(h, w[l], b[l], batch, widths[l], widths[l + 1]));
  }

  /** Mean softmax cross-entropy of the batch {@code x}: the hidden layers by calls of layer. */
  @Differentiable
  public float loss(@NoDerivative float[] x, int[] labels, int batch) {
    float[] h = x;
    for (int l = 0; l < w.length - 1; l++) {
      h = this.layer(h, l, batch);
    }
    int last = w.length - 1;
    float[] logits = Dense.dense(h, w[last], b[last], batch, widths[last], widths[last + 1]);
    return Losses.softmaxCrossEntropy(logits, labels, batch, widths[last + 1]);
  }

  /** {@link #loss} with the layer written in the loop. */
  @Differentiable
  public float lossInline(@NoDerivative float[] x, int[] labels, int batch) {
    float[] h = x;
    for (int l = 0; l < w.length - 1; l++) {
      h = Activations.relu(Dense.dense(h, w[l], b[l], batch, widths[l], widths[l + 1]));
    }
    int last = w.length - 1;
    float[] logits = Dense.dense(h, w[last], b[last], batch, widths[last], widths[last + 1]);
    return Losses.softmaxCrossEntropy(logits, labels, batch, widths[last + 1]);
  }
}
