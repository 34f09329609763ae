package dev.adjoint.example.mnist;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * A classifier with any number of hidden layers as one differentiable loss over Adjoint's ops:
 * dense and an activation per hidden layer, then dense and softmax cross-entropy. Layer {@code l}
 * maps {@code widths[l]} features to {@code widths[l + 1]}: the first layer's weights are {@code
 * w0} ({@code widths[0] x widths[1]}, row-major) and biases {@code b0}, layer {@code l >= 1}'s are
 * {@code w[l - 1]} and {@code b[l - 1]}.
 *
 * <p>The layers after the first are a recursion rather than a loop: the processor does not yet
 * differentiate a loop that reassigns an array variable to a call's result on each iteration,
 * while a {@code @Differentiable} method calling itself is ordinary code to it; as the call is
 * returned as it is, the generated code passes it the caller's own adjoint buffers, so each
 * layer runs once. The first layer is apart because its input {@code x} needs no derivative,
 * while {@code lossFrom}'s input {@code h} does. Adjoint generates {@code DeepMlpGrad}, which
 * chains the ops' hand-tuned pullbacks layer by layer. With one hidden ReLU layer the loss and its gradient are bit for bit
 * those of {@link Mlp}.
 */
public final class DeepMlp {
  private DeepMlp() {}

  /**
   * Mean softmax cross-entropy of the network on a batch.
   *
   * @param w0 the first layer's weights
   * @param b0 the first layer's biases
   * @param w the weights of the other layers, {@code widths.length - 2} of them
   * @param b the biases of the other layers
   * @param x the batch, {@code batch x widths[0]}, row-major
   * @param labels the class of each example
   * @param batch examples in the batch
   * @param widths features per example, the widths of the hidden layers, then the classes
   * @param activation the hidden layers' activation, an {@link Activation#code()}
   * @return the mean loss
   */
  @Differentiable
  public static float loss(float[] w0, float[] b0, float[][] w, float[][] b,
      @NoDerivative float[] x, int[] labels, int batch, int[] widths, int activation) {
    float[] z = Dense.dense(x, w0, b0, batch, widths[0], widths[1]);
    float[] h = Activation.apply(activation, z);
    return lossFrom(w, b, h, labels, batch, widths, activation, 1);
  }

  /**
   * The loss of the layers from {@code layer} on, given their input {@code h}.
   *
   * @param w the weights of layers 1, 2, ...
   * @param b the biases of layers 1, 2, ...
   * @param h the input of layer {@code layer}, {@code batch x widths[layer]}
   * @param labels the class of each example
   * @param batch examples in the batch
   * @param widths as in {@link #loss}
   * @param activation as in {@link #loss}
   * @param layer the first layer to apply, at least 1
   * @return the mean loss
   */
  @Differentiable
  public static float lossFrom(float[][] w, float[][] b, float[] h, int[] labels, int batch,
      int[] widths, int activation, int layer) {
    float[] z = Dense.dense(h, w[layer - 1], b[layer - 1], batch, widths[layer],
        widths[layer + 1]);
    if (layer == w.length) {
      return Losses.softmaxCrossEntropy(z, labels, batch, widths[layer + 1]);
    }
    float[] next = Activation.apply(activation, z);
    return lossFrom(w, b, next, labels, batch, widths, activation, layer + 1);
  }
}
