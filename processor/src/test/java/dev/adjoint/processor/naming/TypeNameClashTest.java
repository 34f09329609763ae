package dev.adjoint.processor.naming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

  @Test
  void recordAndAccumulatorNamesThatWouldClashAreNumbered() {
    Compiled c = Compiled.of(
        Compiled.source("k.Clash",
            "package k;",
            "import dev.adjoint.Differentiable;",
            "final class Clash {",
            "  @Differentiable static double f(double x) { return x * x; }",
            "  @Differentiable static double F(double x) { return x * 3; }",
            "  @Differentiable static double g(double[] a) { return a[0] * a[1]; }",
            "  @Differentiable static double gAccumulator(double x) { return x * x * x; }",
            "  @Differentiable static double h(double x) { return x; }",
            "  @Differentiable static double h(float x) { return 2 * x; }",
            "  @Differentiable static double hDouble(double x) { return 4 * x; }",
            "}"),
        // A caller in another class derives the same names for the records it uses.
        Compiled.source("k.Caller",
            "package k;",
            "import dev.adjoint.Differentiable;",
            "final class Caller {",
            "  @Differentiable static double use(double x) {",
            "    return Clash.F(x) + Clash.f(x) + Clash.hDouble(x) + Clash.h(x)",
            "        + Clash.gAccumulator(x);",
            "  }",
            "  static double accumulate() {",
            "    ClashGrad.GAccumulator2 acc = ClashGrad.GAccumulator2.zerosLike(new double[2]);",
            "    ClashGrad.g(new double[] {2, 5}, acc);",
            "    return acc.a[0];",
            "  }",
            "}"));
    assertArrayEquals(new double[] {9, 6}, c.gradient("k.Clash", "f", 3.0));
    assertArrayEquals(new double[] {9, 3}, c.gradient("k.Clash", "F", 3.0));
    assertArrayEquals(new double[] {27, 27}, c.gradient("k.Clash", "gAccumulator", 3.0));
    assertArrayEquals(new double[] {12, 4}, c.gradient("k.Clash", "hDouble", 3.0));
    // use(x) = 3x + x^2 + 4x + x + x^3: use'(2) = 3 + 4 + 4 + 1 + 12 = 24.
    assertArrayEquals(new double[] {6 + 4 + 8 + 2 + 8, 24}, c.gradient("k.Caller", "use", 2.0));
    assertEquals(5.0, c.invoke("k.Caller", "accumulate"));
  }
}
