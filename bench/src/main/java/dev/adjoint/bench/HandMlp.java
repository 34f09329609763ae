package dev.adjoint.bench;

import java.util.Arrays;

/**
 * The same network as {@link Mlp#loss}, trained the textbook way: layers {@link Affine}, {@link
 * Relu}, {@link SoftmaxWithLoss}, each with a forward and a backward method, chained by hand.
 * Plain loops over flat {@code float[]} arrays in the layout of {@link Mlp}; every buffer is
 * allocated once, in the constructor, so a call allocates nothing.
 *
 * <p>The first layer's backward skips {@code dx}: the inputs are data, and the generated gradient
 * does not compute it either, so both do the same work.
 */
public final class HandMlp {
  private final Affine affine1 = new Affine(Mlp.IN, Mlp.HIDDEN);
  private final Relu relu = new Relu();
  private final Affine affine2 = new Affine(Mlp.HIDDEN, Mlp.OUT);
  private final SoftmaxWithLoss lastLayer = new SoftmaxWithLoss(Mlp.OUT);
  private final float[] z1;
  private final float[] a1;
  private final float[] scores;
  private final float[] dScores;
  private final float[] dA1;
  private final float[] dZ1;

  /** Buffers for batches of {@code batch} examples. */
  public HandMlp(int batch) {
    z1 = new float[batch * Mlp.HIDDEN];
    a1 = new float[batch * Mlp.HIDDEN];
    scores = new float[batch * Mlp.OUT];
    dScores = new float[batch * Mlp.OUT];
    dA1 = new float[batch * Mlp.HIDDEN];
    dZ1 = new float[batch * Mlp.HIDDEN];
  }

  /** The loss alone. */
  public float loss(float[] w1, float[] b1, float[] w2, float[] b2, float[] x, int[] labels) {
    int batch = labels.length;
    affine1.forward(x, w1, b1, z1, batch);
    relu.forward(z1, a1, batch * Mlp.HIDDEN);
    affine2.forward(a1, w2, b2, scores, batch);
    return lastLayer.forward(scores, labels);
  }

  /** The loss; adds its gradient with respect to the weights and biases into the last four. */
  public float lossAndGradient(float[] w1, float[] b1, float[] w2, float[] b2, float[] x,
      int[] labels, float[] dw1, float[] db1, float[] dw2, float[] db2) {
    float loss = loss(w1, b1, w2, b2, x, labels);
    lastLayer.backward(dScores);
    affine2.backward(dScores, dw2, db2, dA1);
    relu.backward(dA1, dZ1);
    affine1.backward(dZ1, dw1, db1, null);
    return loss;
  }

  /** {@code y = x . W + b} for a batch of row vectors. */
  static final class Affine {
    private final int in;
    private final int out;
    private float[] x;
    private float[] w;
    private int batch;

    Affine(int in, int out) {
      this.in = in;
      this.out = out;
    }

    void forward(float[] x, float[] w, float[] b, float[] y, int batch) {
      this.x = x;
      this.w = w;
      this.batch = batch;
      for (int n = 0; n < batch; n++) {
        int row = n * out;
        System.arraycopy(b, 0, y, row, out);
        for (int k = 0; k < in; k++) {
          float xk = x[n * in + k];
          int wRow = k * out;
          for (int j = 0; j < out; j++) {
            y[row + j] += xk * w[wRow + j];
          }
        }
      }
    }

    /** Adds {@code dW = x^T . dy} and {@code db = sum of dy}; sets {@code dx = dy . W^T}. */
    void backward(float[] dy, float[] dw, float[] db, float[] dx) {
      for (int n = 0; n < batch; n++) {
        int row = n * out;
        for (int j = 0; j < out; j++) {
          db[j] += dy[row + j];
        }
        for (int k = 0; k < in; k++) {
          float xk = x[n * in + k];
          int wRow = k * out;
          for (int j = 0; j < out; j++) {
            dw[wRow + j] += xk * dy[row + j];
          }
        }
        if (dx != null) {
          for (int k = 0; k < in; k++) {
            int wRow = k * out;
            float s = 0;
            for (int j = 0; j < out; j++) {
              s += dy[row + j] * w[wRow + j];
            }
            dx[n * in + k] = s;
          }
        }
      }
    }
  }

  /** {@code max(0, z)}, element-wise. */
  static final class Relu {
    private float[] z;
    private int length;

    void forward(float[] z, float[] a, int length) {
      this.z = z;
      this.length = length;
      for (int i = 0; i < length; i++) {
        a[i] = z[i] > 0 ? z[i] : 0;
      }
    }

    void backward(float[] da, float[] dz) {
      for (int i = 0; i < length; i++) {
        dz[i] = z[i] > 0 ? da[i] : 0;
      }
    }
  }

  /** Softmax of each row of scores, then the mean cross-entropy against integer labels. */
  static final class SoftmaxWithLoss {
    private final int classes;
    private float[] y = new float[0];
    private int[] labels;

    SoftmaxWithLoss(int classes) {
      this.classes = classes;
    }

    float forward(float[] scores, int[] labels) {
      int batch = labels.length;
      if (y.length != batch * classes) {
        y = new float[batch * classes];
      }
      this.labels = labels;
      float total = 0;
      for (int n = 0; n < batch; n++) {
        int row = n * classes;
        float max = scores[row];
        for (int c = 1; c < classes; c++) {
          max = Math.max(max, scores[row + c]);
        }
        float sum = 0;
        for (int c = 0; c < classes; c++) {
          float e = (float) Math.exp(scores[row + c] - max);
          y[row + c] = e;
          sum += e;
        }
        for (int c = 0; c < classes; c++) {
          y[row + c] /= sum;
        }
        total -= (float) Math.log(y[row + labels[n]]);
      }
      return total / batch;
    }

    /** {@code (softmax - one_hot(labels)) / batch}. */
    void backward(float[] dScores) {
      int batch = labels.length;
      for (int i = 0; i < batch * classes; i++) {
        dScores[i] = y[i] / batch;
      }
      for (int n = 0; n < batch; n++) {
        dScores[n * classes + labels[n]] -= 1.0f / batch;
      }
    }
  }

  /** Zeroes gradient buffers (what the generated accumulator's {@code clear()} does). */
  public static void clear(float[]... gradients) {
    for (float[] g : gradients) {
      Arrays.fill(g, 0);
    }
  }
}
