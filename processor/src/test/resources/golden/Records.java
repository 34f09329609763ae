package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** Records as differentiable values: parameters, nested records, records created and returned. */
class Records {
  record Layer(double[] w, double b) {}

  record Params(Layer hidden, double[] out, int width) {}

  record Activations(double[] h, double sum) {}

  /** A record parameter: its accessors read its components. */
  @Differentiable
  static double affine(Layer layer, @NoDerivative double[] x) {
    double z = layer.b();
    for (int i = 0; i < x.length; i++) {
      z += layer.w()[i] * x[i];
    }
    return z;
  }

  /** A nested record passed on to another @Differentiable method. */
  @Differentiable
  static double loss(Params p, @NoDerivative double[] x) {
    double z = affine(p.hidden(), x);
    return Math.tanh(z) * p.out()[p.width() - 1];
  }

  /** A record created inside, and a record returned: the gradient takes a seed record. */
  @Differentiable
  static Activations activations(Layer layer, double[] x) {
    double[] h = new double[x.length];
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      h[i] = Math.tanh(layer.w()[i] * x[i] + layer.b());
      sum += h[i];
    }
    return new Activations(h, sum);
  }
}
