package dev.adjoint.example;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** Placeholder. */
public final class Neuron {
  private Neuron() {}

  /** Loss. */
  @Differentiable
  public static double loss(double w, double b, double x, @NoDerivative double t) {
    double y = w * x + b;
    double e = y - t;
    return 0.5 * e * e;
  }
}
