package dev.adjoint.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OptimizerTest {
  // f(p) = sum_k sum_i a_i (p_i - c_i)^2 over two parameter tensors, minimum at c.
  private static final float[][] A = {{1f, 2f, 0.5f}, {1.5f, 0.25f}};
  private static final float[][] C = {{1f, -2f, 3f}, {-0.5f, 4f}};

  private static float[][] start() {
    return new float[][] {{0f, 0f, 0f}, {2f, -1f}};
  }

  private static float[][] zerosLike(float[][] x) {
    float[][] z = new float[x.length][];
    for (int k = 0; k < x.length; k++) {
      z[k] = new float[x[k].length];
    }
    return z;
  }

  /** Writes the quadratic's gradient 2 a (p - c) into {@code g}. */
  private static void gradient(float[][] p, float[][] g) {
    for (int k = 0; k < p.length; k++) {
      for (int i = 0; i < p[k].length; i++) {
        g[k][i] = 2 * A[k][i] * (p[k][i] - C[k][i]);
      }
    }
  }

  private static float[][] minimise(Optimizer opt, int steps) {
    float[][] p = start();
    run(opt, p, zerosLike(p), steps);
    return p;
  }

  private static void assertNear(float[][] expected, float[][] actual, double tolerance) {
    for (int k = 0; k < expected.length; k++) {
      assertArrayEquals(expected[k], actual[k], (float) tolerance, "tensor " + k);
    }
  }

  @Test
  void sgdFirstStepIsExactlyMinusLearningRateTimesGradient() {
    float[][] p = start();
    float[][] g = zerosLike(p);
    gradient(p, g); // {-2, 8, -3}, {7.5, -2.5}
    new Sgd(0.1).step(p, g);
    assertArrayEquals(new float[] {0.2f, -0.8f, 0.3f}, p[0]);
    assertArrayEquals(new float[] {1.25f, -0.75f}, p[1]);
  }

  @Test
  void sgdUpdatesInFloatArithmetic() {
    // Lengths below and past the JIT's vector and unrolled loop widths, with and without decay.
    Random rnd = new Random(3);
    for (int n : new int[] {1, 7, 1024, 1025, 3001}) {
      float[] p = new float[n];
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        p[i] = (float) rnd.nextGaussian();
        g[i] = (float) (rnd.nextGaussian() * 1e-3);
      }
      float[] expected = new float[n];
      float[] plain = new float[n];
      for (int i = 0; i < n; i++) {
        expected[i] = p[i] - 0.1f * (g[i] + 0.01f * p[i]);
        plain[i] = p[i] - 0.1f * g[i];
      }
      float[] q = p.clone();
      new Sgd(0.1, 0.01).step(new float[][] {p}, new float[][] {g});
      assertArrayEquals(expected, p, "length " + n);
      new Sgd(0.1).step(new float[][] {q}, new float[][] {g});
      assertArrayEquals(plain, q, "length " + n + ", no decay");
    }
  }

  @Test
  void sgdMinimisesTheQuadratic() {
    assertNear(C, minimise(new Sgd(0.1), 400), 1e-4); // slowest factor 0.95 per step
  }

  @Test
  void momentumMatchesAHandComputedTwoStepSequence() {
    // f(p) = p^2 / 2, so g = p; lr 0.1, beta 0.9, from p = 1.
    // step 1: v = 1,               p = 1 - 0.1 * 1     = 0.9
    // step 2: v = 0.9 * 1 + 0.9 = 1.8, p = 0.9 - 0.1 * 1.8 = 0.72
    Momentum opt = new Momentum(0.1, 0.9);
    float[][] p = {{1f}};
    float[][] g = {{0f}};
    g[0][0] = p[0][0];
    opt.step(p, g);
    assertEquals(0.9f, p[0][0]);
    assertEquals(1f, opt.state().buffers()[0][0]);
    g[0][0] = p[0][0];
    opt.step(p, g);
    assertEquals(1.8, opt.state().buffers()[0][0], 1e-6);
    assertEquals(0.72, p[0][0], 1e-6);
    assertEquals(2, opt.steps());
  }

  @Test
  void momentumMinimisesTheQuadratic() {
    assertNear(C, minimise(new Momentum(0.05, 0.9), 500), 1e-4);
  }

  @Test
  void adamFirstStepIsLearningRateTimesSignOfGradient() {
    float[][] p = {{1f, 1f, 1f, 1f}};
    float[][] g = {{1e-3f, 5f, -100f, -0.25f}};
    new Adam(0.01).step(p, g);
    // Bias correction makes m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps).
    assertArrayEquals(new float[] {0.99f, 0.99f, 1.01f, 1.01f}, p[0], 1e-6f);
  }

  @Test
  void adamUpdatesInFloatArithmeticAsPyTorchDoes() {
    // Three steps, lengths below and past the JIT's vector and unrolled loop widths, with and
    // without decay, against PyTorch's float32 formula written out element by element.
    Random rnd = new Random(4);
    for (double decay : new double[] {0, 0.01}) {
      for (int n : new int[] {1, 7, 1024, 1025, 3001}) {
        float[] p = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
          p[i] = (float) rnd.nextGaussian();
          g[i] = (float) (rnd.nextGaussian() * 1e-2);
        }
        float[] expected = p.clone();
        float[] m = new float[n];
        float[] v = new float[n];
        Adam adam = new Adam(1e-3, 0.9, 0.999, 1e-8, decay);
        for (int t = 1; t <= 3; t++) {
          float stepSize = (float) (1e-3 / (1 - Math.pow(0.9, t)));
          float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(0.999, t));
          for (int i = 0; i < n; i++) {
            float gi = decay == 0 ? g[i] : g[i] + 0.01f * expected[i];
            m[i] = 0.9f * m[i] + 0.1f * gi;
            v[i] = 0.999f * v[i] + (float) (1 - 0.999) * (gi * gi);
            float denominator = (float) Math.sqrt(v[i]) / correction2Sqrt + 1e-8f;
            expected[i] = expected[i] - stepSize * (m[i] / denominator);
          }
          adam.step(new float[][] {p}, new float[][] {g});
          assertArrayEquals(expected, p, "length " + n + ", decay " + decay + ", step " + t);
        }
      }
    }
  }

  @Test
  void adamMinimisesTheQuadratic() {
    assertNear(C, minimise(new Adam(0.05), 2000), 1e-3);
  }

  @Test
  void weightDecayPullsTowardsZero() {
    // With decay d the minimum of a (p - c)^2 + d p^2 / 2 is at 2 a c / (2 a + d).
    float[][] p = minimise(new Sgd(0.1, 0.5), 300);
    assertEquals(2 * 1.0 * 1 / (2 * 1.0 + 0.5), p[0][0], 1e-4);
    assertEquals(2 * 2.0 * -2 / (2 * 2.0 + 0.5), p[0][1], 1e-4);
  }

  @Test
  void restoredStateContinuesBitForBit() {
    List<Supplier<Optimizer>> makers =
        List.of(() -> new Sgd(0.05), () -> new Momentum(0.05, 0.9), () -> new Adam(0.05));
    for (Supplier<Optimizer> make : makers) {
      Optimizer first = make.get();
      float[][] p = start();
      float[][] g = zerosLike(p);
      run(first, p, g, 3);
      OptimizerState saved = first.state();
      float[][] q = new float[p.length][];
      for (int k = 0; k < p.length; k++) {
        q[k] = p[k].clone();
      }
      // Further steps change the first optimizer's buffers, never the saved copy.
      run(first, p, g, 3);

      Optimizer second = make.get();
      second.restore(saved);
      run(second, q, g, 3);
      for (int k = 0; k < p.length; k++) {
        assertArrayEquals(p[k], q[k], saved.algorithm());
      }
      assertEquals(6, second.steps());
    }
  }

  private static void run(Optimizer opt, float[][] p, float[][] g, int steps) {
    for (int s = 0; s < steps; s++) {
      gradient(p, g);
      opt.step(p, g);
    }
  }

  @Test
  void stateBeforeTheFirstStepHasNoBuffers() {
    Adam adam = new Adam(1e-3);
    OptimizerState s = adam.state();
    assertEquals("adam", s.algorithm());
    assertEquals(0, s.steps());
    assertEquals(0, s.buffers().length);
    assertEquals(1e-3, s.learningRate());
  }

  @Test
  void restoreRejectsAnotherAlgorithmOrBadBuffers() {
    OptimizerState momentum = new OptimizerState("momentum", 1, 0.1, new float[][] {{1f}});
    assertThrows(IllegalArgumentException.class, () -> new Adam(0.1).restore(momentum));
    OptimizerState odd = new OptimizerState("adam", 1, 0.1, new float[][] {{1f}, {1f}, {1f}});
    assertThrows(IllegalArgumentException.class, () -> new Adam(0.1).restore(odd));
    OptimizerState ragged = new OptimizerState("adam", 1, 0.1, new float[][] {{1f}, {1f, 2f}});
    assertThrows(IllegalArgumentException.class, () -> new Adam(0.1).restore(ragged));
  }

  @Test
  void restoredShapesAreEnforced() {
    Momentum opt = new Momentum(0.1, 0.9);
    opt.restore(new OptimizerState("momentum", 4, 0.2, new float[][] {{0f, 0f}}));
    assertEquals(0.2, opt.learningRate());
    assertThrows(
        IllegalArgumentException.class,
        () -> opt.step(new float[][] {{1f, 2f, 3f}}, new float[][] {{0f, 0f, 0f}}));
  }

  @Test
  void shapesAreChecked() {
    Sgd sgd = new Sgd(0.1);
    assertThrows(
        IllegalArgumentException.class,
        () -> sgd.step(new float[][] {{1f, 2f}}, new float[][] {{1f}}));
    assertThrows(
        IllegalArgumentException.class,
        () -> sgd.step(new float[][] {{1f}}, new float[][] {{1f}, {2f}}));
    sgd.step(new float[][] {{1f, 2f}}, new float[][] {{0f, 0f}});
    assertThrows(
        IllegalArgumentException.class,
        () -> sgd.step(new float[][] {{1f, 2f, 3f}}, new float[][] {{0f, 0f, 0f}}));
  }

  @Test
  void hyperparametersAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new Sgd(-1));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new Momentum(0.1, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 0.9, 0.999, 0));
    assertThrows(IllegalArgumentException.class, () -> new Adam(0.1).setLearningRate(-0.5));
    Adam adam = new Adam(0.1);
    adam.setLearningRate(0.01);
    assertEquals(0.01, adam.learningRate());
  }

  @Test
  void stepsAfterTheFirstAllocateNothing() {
    assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "needs per-thread allocation counters");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    float[][] p = {new float[1000], new float[10]};
    float[][] g = {new float[1000], new float[10]};
    Arrays.fill(g[0], 0.5f);
    for (Optimizer opt : new Optimizer[] {new Sgd(0.1), new Momentum(0.1, 0.9), new Adam(0.1)}) {
      opt.step(p, g);
      long before = threads.getThreadAllocatedBytes(thread);
      for (int s = 0; s < 200; s++) {
        opt.step(p, g);
      }
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      // A few bytes of slack for the counter itself; one buffer would be 4000 bytes per step.
      assertTrue(allocated < 1024, opt.getClass().getSimpleName() + " allocated " + allocated);
    }
  }

  @Test
  void largeArraysSplitOverThreadsGetTheSameBitsAsOnOneThread() {
    int n = 100_003; // several ranges, and a tail that is not a whole cache line
    Random rnd = new Random(21);
    float[] p0 = new float[n];
    float[] g0 = new float[n];
    for (int i = 0; i < n; i++) {
      p0[i] = (float) rnd.nextGaussian();
      g0[i] = (float) rnd.nextGaussian();
    }
    List<Supplier<Optimizer>> kinds = List.of(() -> new Sgd(0.1, 0.01),
        () -> new Momentum(0.1, 0.9, 0.01), () -> new Adam(0.01));
    int saved = dev.adjoint.ops.Parallelism.threads();
    try {
      for (Supplier<Optimizer> kind : kinds) {
        float[][] results = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
          dev.adjoint.ops.Parallelism.setThreads(threads);
          assertEquals(threads > 1, dev.adjoint.ops.Parallelism.splits(n));
          float[][] p = {p0.clone()};
          float[][] g = {g0};
          Optimizer opt = kind.get();
          for (int s = 0; s < 3; s++) {
            opt.step(p, g);
          }
          results[threads - 1] = p[0];
        }
        assertArrayEquals(results[0], results[1], kind.get().getClass().getSimpleName());
        assertTrue(!Arrays.equals(results[0], p0), "the parameters moved");
      }
    } finally {
      dev.adjoint.ops.Parallelism.setThreads(saved);
    }
  }
}
