package dev.adjoint.example.mnist;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * The MNIST classifier as one differentiable loss over Adjoint's ops: dense, ReLU, dense, softmax
 * cross-entropy. The ops' derivatives are hand-tuned ({@code @DerivativeOf}); Adjoint chains them
 * and generates {@code MlpGrad}.
 */
public final class Mlp {
  private Mlp() {}

  /**
   * Mean softmax cross-entropy of an {@code in}-{@code hidden}-{@code classes} ReLU network on a
   * batch.
   *
   * @param w1 first-layer weights, {@code in x hidden}, row-major
   * @param b1 first-layer biases
   * @param w2 second-layer weights, {@code hidden x classes}, row-major
   * @param b2 second-layer biases
   * @param x the batch, {@code batch x in}, row-major
   * @param labels the class of each example
   * @param batch examples in the batch
   * @param in features per example
   * @param hidden hidden units
   * @param classes classes
   * @return the mean loss
   */
  @Differentiable
  public static float loss(float[] w1, float[] b1, float[] w2, float[] b2,
      @NoDerivative float[] x, int[] labels, int batch, int in, int hidden, int classes) {
    float[] h = Activations.relu(Dense.dense(x, w1, b1, batch, in, hidden));
    float[] logits = Dense.dense(h, w2, b2, batch, hidden, classes);
    return Losses.softmaxCrossEntropy(logits, labels, batch, classes);
  }
}
