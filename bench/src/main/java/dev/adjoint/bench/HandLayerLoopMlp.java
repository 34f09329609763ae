package dev.adjoint.bench;

import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * The gradient of {@link LayerLoopMlp#loss} written by hand over the same ops, as a careful
 * person would: the forward pass keeps each layer's input and pre-activation (the ops allocate
 * their outputs, as in the function), the backward pass runs the layers last to first into
 * adjoint buffers allocated once per network shape, and the first layer computes no input
 * gradient (the batch needs none).
 */
public final class HandLayerLoopMlp {
  private final float[][] dZ;
  private final float[][] dH;

  /** Buffers for a network of these widths at this batch size. */
  public HandLayerLoopMlp(int batch, int[] widths) {
    int layers = widths.length - 1;
    dZ = new float[layers][];
    dH = new float[layers][];
    for (int l = 0; l < layers; l++) {
      dZ[l] = new float[batch * widths[l + 1]];
      dH[l] = new float[batch * widths[l]];
    }
  }

  /** The loss; adds its gradient into {@code dW} and {@code dB} (shaped like w and b). */
  public float lossAndGradient(float[][] w, float[][] b, float[] x, int[] labels, int batch,
      int[] widths, float[][] dW, float[][] dB) {
    int layers = w.length;
    float[][] inputs = new float[layers][];
    float[][] pre = new float[layers][];
    float[] h = x;
    for (int l = 0; l < layers; l++) {
      inputs[l] = h;
      pre[l] = Dense.dense(h, w[l], b[l], batch, widths[l], widths[l + 1]);
      if (l < layers - 1) {
        h = Activations.relu(pre[l]);
      }
    }
    int classes = widths[layers];
    float loss = Losses.softmaxCrossEntropy(pre[layers - 1], labels, batch, classes);
    java.util.Arrays.fill(dZ[layers - 1], 0f);
    Losses.softmaxCrossEntropyBackward(pre[layers - 1], labels, batch, classes, 1f,
        dZ[layers - 1]);
    for (int l = layers - 1; l >= 0; l--) {
      float[] dInput = null;
      if (l > 0) {
        dInput = dH[l];
        java.util.Arrays.fill(dInput, 0f);
      }
      Dense.denseBackward(inputs[l], w[l], b[l], batch, widths[l], widths[l + 1], dZ[l],
          dInput, dW[l], dB[l]);
      if (l > 0) {
        java.util.Arrays.fill(dZ[l - 1], 0f);
        Activations.reluBackward(pre[l - 1], dInput, dZ[l - 1]);
      }
    }
    return loss;
  }
}
