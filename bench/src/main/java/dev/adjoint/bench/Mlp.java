package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * A one-hidden-layer perceptron's loss (784-128-10, ReLU, softmax cross-entropy with integer
 * labels, mean over the batch), each version ONE differentiable function of plain loops.
 *
 * <p>Weights are stored input-major, as in the textbook's {@code x . W}: {@code w1[k * HIDDEN +
 * j]} (or {@code w1[k][j]}) connects input {@code k} to hidden unit {@code j}; {@code x[n * IN +
 * k]} is input {@code k} of example {@code n}. The three versions compute the same loss:
 *
 * <ul>
 *   <li>{@link #loss}: flat {@code float[]} arrays, each layer as "row times matrix" loops (the
 *       innermost loop runs along a row of {@code w}, as a hand-written {@code Affine} does);
 *   <li>{@link #lossRows}: the same loops over {@code float[][]} matrices;
 *   <li>{@link #lossDot}: flat arrays, each hidden unit as a dot product accumulated in a scalar
 *       (the other obvious way to write it).
 * </ul>
 */
public final class Mlp {
  public static final int IN = 784;
  public static final int HIDDEN = 128;
  public static final int OUT = 10;
  public static final int BATCH = 64;

  private Mlp() {}

  /** Mean cross-entropy of {@code softmax(relu(x w1 + b1) w2 + b2)} against {@code labels}. */
  @Differentiable
  public static float loss(float[] w1, float[] b1, float[] w2, float[] b2,
      @NoDerivative float[] x, int[] labels) {
    int batch = labels.length;
    float[] z1 = new float[batch * HIDDEN];
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < HIDDEN; j++) {
        z1[n * HIDDEN + j] = b1[j];
      }
      for (int k = 0; k < IN; k++) {
        float xk = x[n * IN + k];
        for (int j = 0; j < HIDDEN; j++) {
          z1[n * HIDDEN + j] += xk * w1[k * HIDDEN + j];
        }
      }
    }
    float[] a1 = new float[batch * HIDDEN];
    for (int i = 0; i < batch * HIDDEN; i++) {
      a1[i] = z1[i] > 0 ? z1[i] : 0;
    }
    float[] s = new float[batch * OUT];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < OUT; c++) {
        s[n * OUT + c] = b2[c];
      }
      for (int j = 0; j < HIDDEN; j++) {
        float aj = a1[n * HIDDEN + j];
        for (int c = 0; c < OUT; c++) {
          s[n * OUT + c] += aj * w2[j * OUT + c];
        }
      }
    }
    float total = 0;
    for (int n = 0; n < batch; n++) {
      float max = s[n * OUT];
      for (int c = 1; c < OUT; c++) {
        max = Math.max(max, s[n * OUT + c]);
      }
      float sum = 0;
      for (int c = 0; c < OUT; c++) {
        sum += (float) Math.exp(s[n * OUT + c] - max);
      }
      total += (float) Math.log(sum) + max - s[n * OUT + labels[n]];
    }
    return total / batch;
  }

  /** {@link #loss} with the weight matrices and the inputs as {@code float[][]}. */
  @Differentiable
  public static float lossRows(float[][] w1, float[] b1, float[][] w2, float[] b2,
      @NoDerivative float[][] x, int[] labels) {
    int batch = labels.length;
    float[][] z1 = new float[batch][HIDDEN];
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < HIDDEN; j++) {
        z1[n][j] = b1[j];
      }
      for (int k = 0; k < IN; k++) {
        float xk = x[n][k];
        for (int j = 0; j < HIDDEN; j++) {
          z1[n][j] += xk * w1[k][j];
        }
      }
    }
    float[][] a1 = new float[batch][HIDDEN];
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < HIDDEN; j++) {
        a1[n][j] = z1[n][j] > 0 ? z1[n][j] : 0;
      }
    }
    float[][] s = new float[batch][OUT];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < OUT; c++) {
        s[n][c] = b2[c];
      }
      for (int j = 0; j < HIDDEN; j++) {
        float aj = a1[n][j];
        for (int c = 0; c < OUT; c++) {
          s[n][c] += aj * w2[j][c];
        }
      }
    }
    float total = 0;
    for (int n = 0; n < batch; n++) {
      float max = s[n][0];
      for (int c = 1; c < OUT; c++) {
        max = Math.max(max, s[n][c]);
      }
      float sum = 0;
      for (int c = 0; c < OUT; c++) {
        sum += (float) Math.exp(s[n][c] - max);
      }
      total += (float) Math.log(sum) + max - s[n][labels[n]];
    }
    return total / batch;
  }

  /** {@link #loss} with each pre-activation accumulated in a scalar, input by input. */
  @Differentiable
  public static float lossDot(float[] w1, float[] b1, float[] w2, float[] b2,
      @NoDerivative float[] x, int[] labels) {
    int batch = labels.length;
    float[] h = new float[batch * HIDDEN];
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < HIDDEN; j++) {
        float z = b1[j];
        for (int k = 0; k < IN; k++) {
          z += x[n * IN + k] * w1[k * HIDDEN + j];
        }
        h[n * HIDDEN + j] = z > 0 ? z : 0;
      }
    }
    float[] s = new float[batch * OUT];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < OUT; c++) {
        float z = b2[c];
        for (int j = 0; j < HIDDEN; j++) {
          z += h[n * HIDDEN + j] * w2[j * OUT + c];
        }
        s[n * OUT + c] = z;
      }
    }
    float total = 0;
    for (int n = 0; n < batch; n++) {
      float max = s[n * OUT];
      for (int c = 1; c < OUT; c++) {
        max = Math.max(max, s[n * OUT + c]);
      }
      float sum = 0;
      for (int c = 0; c < OUT; c++) {
        sum += (float) Math.exp(s[n * OUT + c] - max);
      }
      total += (float) Math.log(sum) + max - s[n * OUT + labels[n]];
    }
    return total / batch;
  }
}
