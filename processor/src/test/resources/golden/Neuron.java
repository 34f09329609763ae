package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** Straight-line code: the single neuron of the seed tutorial. */
class Neuron {
  @Differentiable
  static double loss(double w, double b, double x, @NoDerivative double target) {
    double y = w * x + b;
    double error = y - target;
    return 0.5 * error * error;
  }
}
