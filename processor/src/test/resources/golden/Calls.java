package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** Calls between differentiable methods, float arithmetic and casts. */
class Calls {
  @Differentiable
  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Differentiable
  static double neuron(double w1, double w2, @NoDerivative double x1, @NoDerivative double x2) {
    return sigmoid(w1 * x1 + w2 * x2);
  }

  @Differentiable
  static float scaled(float a, int n) {
    float s = a * n / 2;
    s += (float) Math.sqrt(a);
    return s;
  }
}
