package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * {@link LayerLoopMlp} as a model record, the way the README's "Training a model" writes models
 * (and the {@code train} command's {@code DeepMlp}, with ReLU): the weights and biases are the
 * record's components, one row per layer, the loss an instance method whose layer loop reads the
 * widths off the rows' lengths. Its gradient, {@code LayerLoopModelGrad.loss(self, x, labels,
 * batch, acc)}, accumulates into a {@code LayerLoopModel} of buffers.
 *
 * @param w the weights of each layer, {@code in x out}, row-major
 * @param b the biases of each layer
 */
public record LayerLoopModel(float[][] w, float[][] b) {
  /** Mean softmax cross-entropy of the ReLU network on a batch. */
  @Differentiable
  public float loss(@NoDerivative float[] x, int[] labels, int batch) {
    float[] h = x;
    int last = w.length - 1;
    for (int l = 0; l < last; l++) {
      int out = b[l].length;
      h = Activations.relu(Dense.dense(h, w[l], b[l], batch, w[l].length / out, out));
    }
    int classes = b[last].length;
    float[] logits = Dense.dense(h, w[last], b[last], batch, w[last].length / classes, classes);
    return Losses.softmaxCrossEntropy(logits, labels, batch, classes);
  }
}
