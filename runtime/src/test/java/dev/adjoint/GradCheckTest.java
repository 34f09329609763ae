package dev.adjoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class GradCheckTest {
  private static final ToDoubleFunction<double[]> ROSENBROCK =
      v -> 100 * Math.pow(v[1] - v[0] * v[0], 2) + Math.pow(1 - v[0], 2);

  private static double[] rosenbrockGradient(double[] v) {
    double x = v[0];
    double y = v[1];
    return new double[] {-400 * x * (y - x * x) - 2 * (1 - x), 200 * (y - x * x)};
  }

  @Test
  void numericalGradientMatchesTheExactOne() {
    double[] x = {-1.2, 1.0};
    assertArrayEquals(rosenbrockGradient(x), GradCheck.numericalGradient(ROSENBROCK, x), 1e-6);
  }

  @Test
  void numericalGradientLeavesThePointUnchanged() {
    double[] x = {0.3, -0.7};
    GradCheck.numericalGradient(ROSENBROCK, x);
    assertArrayEquals(new double[] {0.3, -0.7}, x);
  }

  @Test
  void correctGradientPasses() {
    double[] x = {0.5, 2.0};
    GradCheck.Report r = GradCheck.assertGradient(ROSENBROCK, x, rosenbrockGradient(x));
    assertTrue(r.maxError() < 1e-8, r.toString());
  }

  @Test
  void wrongGradientFailsAndNamesTheWorstInput() {
    double[] x = {0.5, 2.0};
    double[] g = rosenbrockGradient(x);
    g[1] *= 1.01;
    GradCheck.Report r = GradCheck.compare(ROSENBROCK, x, g);
    assertFalse(r.passes(GradCheck.DOUBLE_TOLERANCE));
    assertEquals(1, r.worstIndex());
    assertEquals(0.01 / 1.01, r.maxError(), 1e-6);
    AssertionError e = assertThrows(AssertionError.class,
        () -> GradCheck.assertGradient(ROSENBROCK, x, g));
    assertTrue(e.getMessage().contains("max error"), e.getMessage());
  }

  @Test
  void errorIsAbsoluteBelowOneAndRelativeAbove() {
    assertEquals(1e-3, GradCheck.error(0.0, 1e-3), 1e-15);
    assertEquals(0.5, GradCheck.error(100, 200), 1e-15);
    assertTrue(Double.isNaN(GradCheck.error(Double.NaN, 1)));
  }

  @Test
  void nanGradientNeverPasses() {
    GradCheck.Report r = GradCheck.compare(v -> v[0] * v[0], new double[] {1},
        new double[] {Double.NaN});
    assertFalse(r.passes(1));
  }

  @Test
  void floatFunctionsAreCheckedWithAFloatStep() {
    float[] x = {0.7f, -1.3f};
    GradCheck.FloatFunction f = v -> (float) Math.sin(v[0]) * v[1];
    double[] g = {Math.cos(0.7f) * -1.3f, Math.sin(0.7f)};
    assertTrue(GradCheck.assertGradient(f, x, g).passes(GradCheck.FLOAT_TOLERANCE));
    g[0] += 0.1;
    assertFalse(GradCheck.compare(f, x, g).passes(GradCheck.FLOAT_TOLERANCE));
  }

  @Test
  void mismatchedLengthsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.compare(ROSENBROCK, new double[] {1, 2}, new double[] {1}));
  }
}
