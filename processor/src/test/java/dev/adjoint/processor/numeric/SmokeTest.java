package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.testing.Compiled.source;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.GradientAssert;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void neuronLossMatchesHandDerivation() {
    Compiled c = Compiled.of(source("p.Neuron",
        "package p;",
        "import dev.adjoint.*;",
        "class Neuron {",
        "  @Differentiable static double loss(double w, double b, double x, @NoDerivative double t) {",
        "    double y = w * x + b;",
        "    double e = y - t;",
        "    return 0.5 * e * e;",
        "  }",
        "}"));
    // y = 3, e = -1: dE/dw = e * x = -1, dE/db = e = -1, dE/dx = e * w = -2
    assertArrayEquals(new double[] {0.5, -1, -1, -2}, c.gradient("p.Neuron", "loss", 2.0, 1.0, 1.0, 4.0));
  }

  @Test
  void branchesAndReassignment() {
    Compiled c = Compiled.of(source("p.B",
        "package p;",
        "import dev.adjoint.*;",
        "class B {",
        "  @Differentiable static double f(double x, double y) {",
        "    double z = x * y;",
        "    if (z > 1) { z = Math.sin(z) * x; } else if (z < -1) { double q = z * z; z = q / y; }",
        "    z *= x;",
        "    if (x > 3) return z;",
        "    double f = x;",
        "    f = f * f;",
        "    return z + f + Math.max(x, y) + sq(x);",
        "  }",
        "  @Differentiable static double sq(double a) { return a * a; }",
        "}"));
    GradientAssert.checkDoubles(c, "p.B", "f", 2, -4, 4, 50, 1);
  }
}
