package dev.adjoint.example.snippets;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** The README's first example: one linear neuron with a squared error, in {@code double}. */
public final class Neuron {
  private Neuron() {}

  /** Half the squared error of {@code w * x + b} against {@code target}. */
  @Differentiable
  public static double loss(double w, double b, double x, @NoDerivative double target) {
    double y = w * x + b;
    double error = y - target;
    return 0.5 * error * error;
  }
}
