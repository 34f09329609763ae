package dev.adjoint.example.mnist;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * A classifier with any number of hidden layers as one differentiable loss over Adjoint's ops:
 * a loop over the layers, dense and an activation per hidden layer, then dense and softmax
 * cross-entropy. Layer {@code l} maps {@code widths[l]} features to {@code widths[l + 1]}; its
 * weights are {@code w[l]} ({@code widths[l] x widths[l + 1]}, row-major) and its biases
 * {@code b[l]}, one row of the ragged arrays per layer.
 *
 * <p>Adjoint generates {@code DeepMlpGrad}, which runs the layers forward keeping each layer's
 * input (by reference: the ops return new arrays, never written again), then chains the ops'
 * hand-tuned pullbacks layer by layer, last to first, skipping the input gradient of the batch.
 * With one hidden ReLU layer the loss and its gradient are bit for bit those of {@link Mlp}.
 */
public final class DeepMlp {
  private DeepMlp() {}

  /**
   * Mean softmax cross-entropy of the network on a batch.
   *
   * @param w the weights of each layer, {@code widths.length - 1} of them
   * @param b the biases of each layer
   * @param x the batch, {@code batch x widths[0]}, row-major
   * @param labels the class of each example
   * @param batch examples in the batch
   * @param widths features per example, the widths of the hidden layers, then the classes
   * @param activation the hidden layers' activation, an {@link Activation#code()}
   * @return the mean loss
   */
  @Differentiable
  public static float loss(float[][] w, float[][] b, @NoDerivative float[] x, int[] labels,
      int batch, int[] widths, int activation) {
    float[] h = x;
    int last = w.length - 1;
    for (int l = 0; l < last; l++) {
      h = Activation.apply(activation, Dense.dense(h, w[l], b[l], batch, widths[l],
          widths[l + 1]));
    }
    float[] logits = Dense.dense(h, w[last], b[last], batch, widths[last], widths[last + 1]);
    return Losses.softmaxCrossEntropy(logits, labels, batch, widths[last + 1]);
  }
}
