package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** A model as a record: @Differentiable instance methods, one calling the other. */
record RecordModel(double[][] w, double[] b) {

  @Differentiable
  double unit(@NoDerivative double[] x, int j) {
    double z = b[j];
    for (int i = 0; i < x.length; i++) {
      z += w[j][i] * x[i];
    }
    return Math.tanh(z);
  }

  @Differentiable
  double loss(@NoDerivative double[] x, @NoDerivative double[] y) {
    double sum = 0;
    for (int j = 0; j < b.length; j++) {
      double d = this.unit(x, j) - y[j];
      sum += d * d;
    }
    return sum;
  }

  /** The loss of units {@code j...}, tail-recursive: it adds into its caller's buffers. */
  @Differentiable
  double lossFrom(@NoDerivative double[] x, @NoDerivative double[] y, double sum, int j) {
    if (j == b.length) {
      return sum;
    }
    double d = unit(x, j) - y[j];
    return lossFrom(x, y, sum + d * d, j + 1);
  }
}
