package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * A model record whose methods call each other per layer and per unit: the calls are inlined,
 * so the gradient adds into the caller's buffers and builds nothing model-sized per call.
 */
record RecordLayers(double[][] w, double[][] b, int[] widths, Act act) {
  record Act(double slope) {}

  /** Layer l: w[l] maps widths[l] inputs to widths[l + 1] units, one row of inputs per unit. */
  @Differentiable
  double[] layer(double[] h, int l) {
    double[] z = new double[widths[l + 1]];
    for (int j = 0; j < z.length; j++) {
      double s = b[l][j];
      for (int i = 0; i < h.length; i++) {
        s += w[l][j * h.length + i] * h[i];
      }
      z[j] = Math.tanh(s) + act.slope() * s;
    }
    return z;
  }

  @Differentiable
  double squaredError(double[] h, @NoDerivative double[] y) {
    double sum = 0;
    for (int j = 0; j < y.length; j++) {
      double d = h[j] - y[j];
      sum += d * d;
    }
    return sum;
  }

  /** The layer loop calling this.layer. */
  @Differentiable
  double loss(@NoDerivative double[] x, @NoDerivative double[] y) {
    double[] h = x;
    for (int l = 0; l < w.length; l++) {
      h = this.layer(h, l);
    }
    return squaredError(h, y);
  }

  /** The same loop calling layer without this, each layer's array in a local first. */
  @Differentiable
  double lossDeclared(@NoDerivative double[] x, @NoDerivative double[] y) {
    double[] h = x;
    for (int l = 0; l < w.length; l++) {
      double[] next = layer(h, l);
      h = next;
    }
    return this.squaredError(h, y);
  }

  @Differentiable
  double[] scaled(double[] v, double k) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * k;
    }
    return out;
  }

  /** A call returning an array passed straight to another. */
  @Differentiable
  double lossNested(@NoDerivative double[] x, @NoDerivative double[] y) {
    double[] h = x;
    for (int l = 0; l < w.length; l++) {
      h = scaled(layer(h, l), act.slope() + 1);
    }
    return squaredError(h, y);
  }

  @Differentiable
  double unit(double[] h, int l, int j) {
    double s = b[l][j];
    for (int i = 0; i < h.length; i++) {
      s += w[l][j * h.length + i] * h[i];
    }
    return Math.tanh(s);
  }

  /** A scalar method called per unit. */
  @Differentiable
  double lossUnits(@NoDerivative double[] x, @NoDerivative double[] y) {
    double sum = 0;
    for (int j = 0; j < y.length; j++) {
      double d = unit(x, 0, j) - y[j];
      sum += d * d;
    }
    return sum;
  }

  /** A static method calling a method of its record parameter. */
  @Differentiable
  static double penalty(RecordLayers net, @NoDerivative double[] x, double lambda) {
    double[] h = net.layer(x, 0);
    return lambda * h[0] * h[1];
  }
}
