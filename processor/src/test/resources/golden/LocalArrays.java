package golden;

import dev.adjoint.Differentiable;

/**
 * Local arrays: their adjoints are buffers of the per-thread scratch arena, and the resets of
 * adjoint elements that nothing reads again are left out.
 */
final class LocalArrays {
  /** A flat batch x 4 layer, then tanh over rows: every reverse iteration owns its elements. */
  @Differentiable
  static float layer(float[] w, float[] x, int batch) {
    float[] z = new float[batch * 4];
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < 4; j++) {
        z[n * 4 + j] = w[j];
      }
      for (int j = 0; j < 4; j++) {
        z[n * 4 + j] += w[4 + j] * x[n];
      }
    }
    float[][] h = new float[batch][4];
    float s = 0;
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < 4; j++) {
        h[n][j] = (float) Math.tanh(z[n * 4 + j]);
        s += h[n][j];
      }
    }
    return s;
  }

  /** {@code t[i]} is written twice per step: the reset after the second write stays. */
  @Differentiable
  static double twice(double[] x) {
    double[] t = new double[x.length];
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      t[i] = x[i] * 3;
      s += t[i] * x[i];
      t[i] = Math.sin(t[i]);
      s += t[i];
    }
    return s;
  }
}
