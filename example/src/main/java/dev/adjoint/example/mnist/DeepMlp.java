package dev.adjoint.example.mnist;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * The {@code train} command's classifier as a model record: its parameters are the record's
 * components and its loss is a {@code @Differentiable} method, a loop over the layers (dense and
 * an activation per hidden layer, then dense and softmax cross-entropy). Layer {@code l} has the
 * weights {@code w[l]} ({@code in x out}, row-major) and the biases {@code b[l]} ({@code out}),
 * one row of the ragged arrays per layer; the widths are read off their lengths.
 *
 * <p>Adjoint generates {@code DeepMlpGrad.loss(DeepMlp self, x, labels, batch)}, whose result's
 * component {@code self} is a {@code DeepMlp} of partials, and the accumulating form {@code
 * DeepMlpGrad.loss(self, x, labels, batch, gradient)}, which adds into a {@code DeepMlp} of
 * buffers ({@code gradient.self}). It runs the layers forward keeping each layer's input (by
 * reference: the ops return new arrays, never written again), then chains the ops' hand-tuned
 * pullbacks layer by layer, last to first, skipping the input gradient of the batch. With one
 * hidden ReLU layer the loss and its gradient are bit for bit those of {@link Mlp}.
 *
 * @param w the weights of each layer, {@code w[l].length == in * out}
 * @param b the biases of each layer, {@code b[l].length == out}
 * @param activation the hidden layers' activation, an {@link Activation#code()}
 */
public record DeepMlp(float[][] w, float[][] b, int activation) {
  /**
   * The model of {@code net} over the flat parameters {@code w0, b0, w1, b1, ...} (as {@link
   * Network#newParameters} makes them and the trainer, its optimizer and checkpoints keep them):
   * the record holds those very arrays, so it sees every update the optimizer makes in place.
   */
  public static DeepMlp over(Network net, float[][] params) {
    if (params.length != 2 * net.layers()) {
      throw new IllegalArgumentException(net + " has " + 2 * net.layers() + " parameter arrays, "
          + "not " + params.length);
    }
    float[][] w = new float[net.layers()][];
    float[][] b = new float[net.layers()][];
    for (int l = 0; l < w.length; l++) {
      w[l] = params[2 * l];
      b[l] = params[2 * l + 1];
    }
    return new DeepMlp(w, b, net.activation().code());
  }

  /**
   * Mean softmax cross-entropy of the network on a batch.
   *
   * @param x the batch, {@code batch x in}, row-major (the array may be longer)
   * @param labels the class of each example
   * @param batch examples in the batch
   * @return the mean loss
   */
  @Differentiable
  public float loss(@NoDerivative float[] x, int[] labels, int batch) {
    float[] h = x;
    int last = w.length - 1;
    for (int l = 0; l < last; l++) {
      int out = b[l].length;
      h = Activation.apply(activation, Dense.dense(h, w[l], b[l], batch, w[l].length / out,
          out));
    }
    int classes = b[last].length;
    float[] logits = Dense.dense(h, w[last], b[last], batch, w[last].length / classes, classes);
    return Losses.softmaxCrossEntropy(logits, labels, batch, classes);
  }

  /**
   * The logits of a batch, {@code batch x classes}: {@link #loss}'s forward pass up to the loss,
   * through the same ops (bit for bit the logits the loss sees), for predictions.
   */
  public float[] logits(float[] x, int batch) {
    float[] h = x;
    int last = w.length - 1;
    for (int l = 0; l <= last; l++) {
      int out = b[l].length;
      float[] z = Dense.dense(h, w[l], b[l], batch, w[l].length / out, out);
      h = l < last ? Activation.apply(activation, z) : z;
    }
    return h;
  }
}
