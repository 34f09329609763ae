package dev.adjoint.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.train.Checkpoint;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Optimizers over float and double parameters of every shape, through {@link Parameters}. */
class ParametersTest {
  @Test
  void sgdStepsEveryShapeAndTypeByMinusRateTimesGradient() {
    Scalar s = new Scalar(1.0);
    s.setGrad(0.5);
    FloatScalar f = new FloatScalar(2f);
    f.setGrad(-1f);
    double[] d1 = {1, 2};
    double[] g1 = {0.1, -0.2};
    double[][] d2 = {{1}, {2, 3}};
    double[][] g2 = {{1}, {-1, 0.5}};
    float[] f1 = {1f};
    float[] h1 = {10f};
    float[][] f2 = {{1f, 1f}};
    float[][] h2 = {{2f, -2f}};
    Parameters p = Parameters.builder().add(s).add(f).add(d1, g1).add(d2, g2).add(f1, h1)
        .add(f2, h2).build();
    assertEquals(1 + 1 + 2 + 3 + 1 + 2, p.count());
    new Sgd(0.1).step(p);
    assertEquals(1.0 - 0.05, s.value(), 0);
    assertEquals(2.1f, f.value(), 0f);
    assertArrayEquals(new double[] {1 - 0.1 * 0.1, 2 + 0.1 * 0.2}, d1, 0);
    assertArrayEquals(new double[] {1 - 0.1}, d2[0], 0);
    assertArrayEquals(new double[] {2 + 0.1, 3 - 0.1 * 0.5}, d2[1], 0);
    assertArrayEquals(new float[] {0f}, f1, 0f);
    assertArrayEquals(new float[] {0.8f, 1.2f}, f2[0], 1e-7f);
    // Gradients are read, never written.
    assertEquals(0.5, s.grad(), 0);
    assertArrayEquals(new double[] {0.1, -0.2}, g1, 0);
  }

  /** f(w, b) = (w - 3)^2 + (b + 1)^2 with a double scalar and a double array. */
  private static double[] minimiseDouble(Supplier<Optimizer> make, int steps) {
    Scalar w = new Scalar(0);
    double[] b = {0};
    double[] db = new double[1];
    Parameters p = Parameters.builder().add(w).add(b, db).build();
    Optimizer opt = make.get();
    for (int i = 0; i < steps; i++) {
      w.setGrad(2 * (w.value() - 3));
      db[0] = 2 * (b[0] + 1);
      opt.step(p);
    }
    return new double[] {w.value(), b[0]};
  }

  @Test
  void everyOptimizerMinimisesAQuadraticInDouble() {
    assertArrayEquals(new double[] {3, -1}, minimiseDouble(() -> new Sgd(0.1), 200), 1e-12);
    assertArrayEquals(new double[] {3, -1}, minimiseDouble(() -> new Momentum(0.05, 0.9), 500),
        1e-9);
    assertArrayEquals(new double[] {3, -1}, minimiseDouble(() -> new Adam(0.05), 2000), 1e-6);
  }

  @Test
  void doubleUpdatesRunInDoubleArithmetic() {
    // A step of 1e-10 on 1.0 is lost in float but kept in double.
    double[] p = {1.0};
    new Sgd(1e-10).step(Parameters.of(new double[][] {p}, new double[][] {{1.0}}));
    assertEquals(1.0 - 1e-10, p[0], 0);
  }

  @Test
  void adamInDoubleMatchesItsFormulaAfterTwoSteps() {
    double[] p = {0.5};
    double[] g = {0.2};
    Adam adam = new Adam(0.01, 0.9, 0.999, 1e-8);
    Parameters params = Parameters.builder().add(p, g).build();
    adam.step(params);
    g[0] = -0.1;
    adam.step(params);
    double m = 0.9 * (0.1 * 0.2) + 0.1 * -0.1;
    double v = 0.999 * (0.001 * 0.04) + 0.001 * 0.01;
    double first = 0.5 - 0.01 * (0.2 / (Math.sqrt(0.04) + 1e-8));   // bias-corrected first step
    double expected = first - 0.01 / (1 - 0.81) * (m / (Math.sqrt(v) / Math.sqrt(1 - 0.998001)
        + 1e-8));
    assertEquals(expected, p[0], 1e-15);
  }

  @Test
  void stateWithDoubleBuffersRestoresBitForBit() {
    double[] a = {1, 2, 3};
    double[] ga = {0.3, -0.1, 0.7};
    float[] b = {1f, -1f};
    float[] gb = {0.5f, 0.25f};
    Adam first = new Adam(0.1);
    Parameters p = Parameters.builder().add(a, ga).add(b, gb).build();
    first.step(p);
    OptimizerState saved = first.state();
    assertEquals(2, saved.doubleBuffers().length);
    assertEquals(2, saved.buffers().length);
    double[] a2 = a.clone();
    float[] b2 = b.clone();
    Adam second = new Adam(0.1);
    second.restore(saved);
    first.step(p);
    second.step(Parameters.builder().add(a2, ga).add(b2, gb).build());
    assertArrayEquals(a, a2, 0);
    assertArrayEquals(b, b2, 0f);
    assertEquals(2, second.steps());
  }

  @Test
  void shapesAreCheckedWhenBuiltAndAgainstTheFirstStep() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Parameters.builder().add(new float[2], new float[2])
            .add(new double[][] {{1}, {2, 3}}, new double[][] {{1}, {2}}));
    assertEquals("parameter 1: row 1 has length 2 but its gradient has length 1", e.getMessage());
    assertThrows(NullPointerException.class,
        () -> Parameters.builder().add((double[]) null, new double[1]));
    Sgd sgd = new Sgd(0.1);
    sgd.step(Parameters.builder().add(new double[2], new double[2]).build());
    e = assertThrows(IllegalArgumentException.class,
        () -> sgd.step(Parameters.builder().add(new double[3], new double[3]).build()));
    assertTrue(e.getMessage().contains("set up for 2"), e.getMessage());
  }

  @Test
  void aCheckpointRefusesDoubleOptimizerState() {
    Momentum m = new Momentum(0.1, 0.9);
    m.step(Parameters.builder().add(new Scalar(1)).build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Checkpoint(1, 1, new float[0][], m.state(), Map.of()));
    assertTrue(e.getMessage().contains("float parameters only"), e.getMessage());
  }
}
