package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * {@link RecordLayerMlp}'s network written as a chain of its layers: {@code forward(h, l, batch)}
 * applies layer {@code l} and calls itself for the layers after it. A recursive call is never
 * inlined, so its gradient is a call of {@code forward}'s generated gradient per layer: a
 * benchmark of a call that stays a call ({@code LayerLoopBenchmark}), whose gradient adds into
 * the caller's buffers through {@code forward}'s accumulating form rather than allocating a
 * gradient record as large as the model per call.
 *
 * @param w the weights, {@code w[l]} mapping {@code widths[l]} to {@code widths[l + 1]} units
 * @param b the biases, one row per layer
 * @param widths the layer widths, input first
 */
public record RecursiveMlp(float[][] w, float[][] b, int[] widths) {
  /** The logits of the layers from {@code l} on, applied to the batch {@code h}. */
  @Differentiable
  public float[] forward(float[] h, int l, int batch) {
    float[] z = Dense.dense(h, w[l], b[l], batch, widths[l], widths[l + 1]);
    if (l == w.length - 1) {
      return z;
    }
    float[] a = Activations.relu(z);
    return forward(a, l + 1, batch);
  }

  /** Mean softmax cross-entropy of the batch {@code x}. */
  @Differentiable
  public float loss(@NoDerivative float[] x, int[] labels, int batch) {
    float[] logits = forward(x, 0, batch);
    return Losses.softmaxCrossEntropy(logits, labels, batch, widths[widths.length - 1]);
  }
}
