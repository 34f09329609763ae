package dev.adjoint.example.snippets;

import dev.adjoint.Differentiable;

/** A smooth function of two variables whose Hessian is known in closed form. */
public final class Bowl {
  private Bowl() {}

  /** {@code x0^2 x1 + 3 x1^2}: Hessian {@code [[2 x1, 2 x0], [2 x0, 6]]}. */
  @Differentiable(hessian = true)
  public static double f(double[] x) {
    return x[0] * x[0] * x[1] + 3 * x[1] * x[1];
  }
}
