package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * A network as a layer loop over ragged weights, one row of {@code w} and {@code b} per layer,
 * written the way the README tells users to write models; {@link HandLayerLoopMlp} is the same
 * network's gradient by hand over the same ops.
 */
public final class LayerLoopMlp {
  private LayerLoopMlp() {}

  /** Mean softmax cross-entropy of a ReLU network; layer {@code l} maps widths[l] to widths[l + 1]. */
  @Differentiable
  public static float loss(float[][] w, float[][] b, @NoDerivative float[] x, int[] labels,
      int batch, int[] widths) {
    float[] h = x;
    for (int l = 0; l < w.length - 1; l++) {
      h = Activations.relu(Dense.dense(h, w[l], b[l], batch, widths[l], widths[l + 1]));
    }
    int last = w.length - 1;
    float[] logits = Dense.dense(h, w[last], b[last], batch, widths[last], widths[last + 1]);
    return Losses.softmaxCrossEntropy(logits, labels, batch, widths[last + 1]);
  }
}
