package dev.adjoint.processor.conventions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.Compiled;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documented derivative at points where a function has none (README, "Derivatives at
 * non-differentiable points"), pinned down so that it never changes silently.
 */
class NonDifferentiablePointsTest {
  private static Compiled c;

  @BeforeAll
  static void compile() {
    c = Compiled.of(Compiled.source("p.Points",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "final class Points {",
        "  @Differentiable static double abs(double x) { return Math.abs(x); }",
        "  @Differentiable static double max(double a, double b) { return Math.max(a, b); }",
        "  @Differentiable static double min(double a, double b) { return Math.min(a, b); }",
        "  @Differentiable static double relu(double x) { return Math.max(0, x); }",
        "  @Differentiable static double reluFirst(double x) { return Math.max(x, 0); }",
        "  @Differentiable static double sqrt(double x) { return Math.sqrt(x); }",
        "  @Differentiable static double step(double x) { return x > 0 ? x : 0; }",
        "  @Differentiable static double floor(double x) { return Math.floor(x) + x; }",
        "  @Differentiable static double hypot(double x, double y) { return Math.hypot(x, y); }",
        "  @Differentiable static double atan2(double y, double x) { return Math.atan2(y, x); }",
        "  @Differentiable static float hypotF(float x, float y) {",
        "    return (float) Math.hypot(x, y);",
        "  }",
        "}"));
  }

  @Test
  void absAtZeroIsZero() {
    assertArrayEquals(new double[] {0, 0}, c.gradient("p.Points", "abs", 0.0));
    assertArrayEquals(new double[] {2, -1}, c.gradient("p.Points", "abs", -2.0));
  }

  @Test
  void maxAndMinGiveTheWholeDerivativeToTheFirstArgumentOnATie() {
    assertArrayEquals(new double[] {1, 1, 0}, c.gradient("p.Points", "max", 1.0, 1.0));
    assertArrayEquals(new double[] {1, 1, 0}, c.gradient("p.Points", "min", 1.0, 1.0));
    assertArrayEquals(new double[] {2, 0, 1}, c.gradient("p.Points", "max", 1.0, 2.0));
  }

  @Test
  void reluAtZeroFollowsTheArgumentOrder() {
    // Math.max(0, x): the constant wins the tie, so relu'(0) = 0 as in PyTorch.
    assertArrayEquals(new double[] {0, 0}, c.gradient("p.Points", "relu", 0.0));
    // Math.max(x, 0): x wins the tie, so the derivative at 0 is 1.
    assertArrayEquals(new double[] {0, 1}, c.gradient("p.Points", "reluFirst", 0.0));
    // A branch: the derivative of the branch taken (x > 0 is false at 0).
    assertArrayEquals(new double[] {0, 0}, c.gradient("p.Points", "step", 0.0));
  }

  @Test
  void sqrtAtZeroIsInfinite() {
    double[] g = c.gradient("p.Points", "sqrt", 0.0);
    assertEquals(0.0, g[0]);
    assertEquals(Double.POSITIVE_INFINITY, g[1]);
  }

  @Test
  void piecewiseConstantFunctionsHaveZeroDerivative() {
    assertArrayEquals(new double[] {2.5, 1}, c.gradient("p.Points", "floor", 1.5));
    assertArrayEquals(new double[] {4, 1}, c.gradient("p.Points", "floor", 2.0));
  }

  @Test
  void hypotAtTheOriginIsZeroLikeAbs() {
    assertArrayEquals(new double[] {0, 0, 0}, c.gradient("p.Points", "hypot", 0.0, 0.0));
    assertArrayEquals(new double[] {5, 0.6, -0.8}, c.gradient("p.Points", "hypot", 3.0, -4.0),
        1e-15);
    assertArrayEquals(new double[] {0, 0, 0}, c.gradient("p.Points", "hypotF", 0f, 0f));
  }

  @Test
  void atan2AtTheOriginIsNaN() {
    // atan2 is not continuous at (0, 0): no value would be right, so NaN shows it.
    double[] g = c.gradient("p.Points", "atan2", 0.0, 0.0);
    assertEquals(Double.NaN, g[1]);
    assertEquals(Double.NaN, g[2]);
  }
}
