package dev.adjoint.processor.naming;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import org.junit.jupiter.api.Test;

/**
 * Parameters and locals named like the types generated code refers to ({@code Tape},
 * {@code Adjoints}, {@code Arrays}, the user's own class) or like its generated variables: the
 * generated code must still compile, and its gradients be right.
 */
class TypeNameClashTest {
  @Test
  void variablesNamedLikeReferencedTypes() {
    Compiled c = Compiled.of(Compiled.source("k.Names",
        "package k;",
        "import dev.adjoint.Differentiable;",
        "final class Names {",
        "  @Differentiable static double f(double[] gradient, double tape, double Names) {",
        "    double dGradient = 0;",
        "    double result = 2;",
        "    for (int i = 0; i < gradient.length; i++) {",
        "      if (gradient[i] > 2) return dGradient * tape;",
        "      dGradient += gradient[i] * tape * Names;",
        "    }",
        "    return dGradient + result + g(gradient, tape, Names)[0];",
        "  }",
        "  @Differentiable static double[] g(double[] Arrays, double Tape, double Adjoints) {",
        "    double[] r = new double[Arrays.length];",
        "    for (int i = 0; i < Arrays.length; i++) {",
        "      r[i] = Arrays[i] * Tape * Adjoints;",
        "      if (r[i] > 5) return r;",
        "    }",
        "    return r;",
        "  }",
        "}"));
    double[] a = {0.5, 1.5, -0.7};
    ArrayGradientCheck.check(c, "k.Names", "f", a, 0.8, 1.3);
    ArrayGradientCheck.check(c, "k.Names", "f", new double[] {0.5, 2.5, 0.3}, 0.8, 1.3);
    ArrayGradientCheck.check(c, "k.Names", "g", a, 0.8, 1.3);
    ArrayGradientCheck.check(c, "k.Names", "g", a, 9.0, 2.0);
  }
}
