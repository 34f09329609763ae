package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** Dense layers written as dot products over input-major weights: loops the processor interchanges. */
final class Interchange {
  static final int IN = 3;
  static final int OUT = 4;

  /** Sum over the batch of relu(x w + b), w[k * OUT + j] connecting input k to output j. */
  @Differentiable
  static float layer(float[] w, float[] b, @NoDerivative float[] x, int batch) {
    float total = 0;
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < OUT; j++) {
        float z = b[j];
        for (int k = 0; k < IN; k++) {
          z += x[n * IN + k] * w[k * OUT + j];
        }
        total += z > 0 ? z : 0;
      }
    }
    return total;
  }

  /** Sum of tanh(x w) over the outputs, w as rows: w[k][j] connects input k to output j. */
  @Differentiable
  static double rows(double[][] w, double[] x, int outputs) {
    double s = 0;
    for (int j = 0; j < outputs; j++) {
      double z = 0;
      for (int k = 0; k < x.length; k++) {
        z += w[k][j] * x[k];
      }
      s += Math.tanh(z);
    }
    return s;
  }
}
