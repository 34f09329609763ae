package dev.adjoint.example;

import dev.adjoint.Differentiable;

/**
 * Activation functions shared by the examples. Their gradients live in the generated
 * {@code ActivationsGrad}, and a {@code @Differentiable} method of another class that calls them,
 * such as {@link TwoLayerNetwork#loss}, is differentiated through the call.
 */
public final class Activations {
  private Activations() {}

  /**
   * The logistic sigmoid {@code 1 / (1 + e^-z)}. The seeds derive its derivative by hand,
   * {@code sigmoid(z) (1 - sigmoid(z))}; Adjoint derives it from this code.
   *
   * @param z the input
   * @return {@code 1 / (1 + exp(-z))}
   */
  @Differentiable
  public static double sigmoid(double z) {
    return 1.0 / (1.0 + Math.exp(-z));
  }
}
