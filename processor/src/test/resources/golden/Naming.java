package golden;

import dev.adjoint.Differentiable;

/** Overloads and nested classes: how generated names are formed. */
class Naming {
  @Differentiable
  static double square(double x) {
    return x * x;
  }

  @Differentiable
  static float square(float x) {
    return x * x;
  }

  static class Inner {
    @Differentiable
    static double cube(double x) {
      return x * x * x;
    }
  }
}
