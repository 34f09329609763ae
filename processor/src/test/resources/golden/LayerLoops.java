package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;

/**
 * Array variables given new arrays in loops and branches: each iteration keeps (on the tape)
 * only the references its reverse reads, never a copy of an array; the adjoints of arrays
 * declared in a loop's body reuse the same scratch buffers iteration after iteration.
 */
final class LayerLoops {
  /** A network as a layer loop over ragged weights, one row of w and b per layer. */
  @Differentiable
  static float mlp(float[][] w, float[][] b, @NoDerivative float[] x, int[] labels, int batch,
      int[] widths) {
    float[] h = x;
    for (int l = 0; l < w.length - 1; l++) {
      h = Activations.relu(Dense.dense(h, w[l], b[l], batch, widths[l], widths[l + 1]));
    }
    int last = w.length - 1;
    float[] logits = Dense.dense(h, w[last], b[last], batch, widths[last], widths[last + 1]);
    return Losses.softmaxCrossEntropy(logits, labels, batch, widths[last + 1]);
  }

  @Differentiable
  static double[] scaled(double[] h, double s) {
    double[] y = new double[h.length];
    for (int i = 0; i < h.length; i++) {
      y[i] = Math.sin(h[i]) * s;
    }
    return y;
  }

  /** A @Differentiable helper returning a new array, applied per step. */
  @Differentiable
  static double steps(double[] x, double[] s) {
    double[] h = x;
    for (int k = 0; k < s.length; k++) {
      h = scaled(h, s[k]);
    }
    return h[0] * h[h.length - 1];
  }

  /** h = new double[n] per iteration, filled from the previous array. */
  @Differentiable
  static double grow(double[] x, int steps) {
    double[] h = x;
    for (int t = 0; t < steps; t++) {
      double[] g = h;
      h = new double[g.length + 1];
      for (int i = 0; i < g.length; i++) {
        h[i] = g[i] * g[i];
      }
      h[g.length] = g[0];
    }
    return h[h.length - 1] + h[0];
  }

  /** A path per Monte Carlo sample, allocated inside the loop over samples. */
  @Differentiable
  static double asian(double s0, double drift, double vol, @NoDerivative double[][] z,
      int steps, double strike) {
    double sum = 0;
    for (int p = 0; p < z.length; p++) {
      double[] path = new double[steps + 1];
      path[0] = s0;
      for (int k = 0; k < steps; k++) {
        path[k + 1] = path[k] * Math.exp(drift + vol * z[p][k]);
      }
      double average = 0;
      for (int k = 1; k <= steps; k++) {
        average += path[k];
      }
      sum += Math.max(average / steps - strike, 0);
    }
    return sum / z.length;
  }

  /** An array allocated in a branch after which the method goes on. */
  @Differentiable
  static double branch(double[] x, double t) {
    double s = 0;
    if (t > 0) {
      double[] a = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        a[i] = x[i] * t;
      }
      s = a[0] * a[a.length - 1];
    }
    return s + t * x[0];
  }
}
