package dev.adjoint.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import java.util.Random;

/** Random data, gradient checks and thread-count control shared by the op tests. */
final class Fixtures {
  private Fixtures() {}

  static float[] random(Random rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rnd.nextGaussian());
    }
    return a;
  }

  static int[] labels(Random rnd, int n, int classes) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = rnd.nextInt(classes);
    }
    return l;
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /** {@code sum of seed[i] * y[i]} in double: the scalar whose gradient a pullback computes. */
  static double dot(float[] seed, float[] y) {
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += (double) seed[i] * y[i];
    }
    return s;
  }

  /** Asserts that {@code analytic} is the gradient of {@code f} at {@code x}. */
  static void assertGradient(String what, GradCheck.FloatFunction f, float[] x, float[] analytic) {
    GradCheck.Report r = GradCheck.compare(f, x, toDouble(analytic));
    assertTrue(r.passes(GradCheck.FLOAT_TOLERANCE), what + ": " + r);
  }

  /** Asserts {@code |actual - expected| <= tolerance[i]} elementwise. */
  static void assertClose(String what, double[] expected, float[] actual, double[] tolerance) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(expected[i] - actual[i]);
      if (!(err <= tolerance[i])) {
        throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + " got "
            + actual[i] + " (tolerance " + tolerance[i] + ")");
      }
    }
  }

  /** Runs {@code body} with the given thread count and split threshold, then restores both. */
  static void withThreads(int threads, long minParallelWork, Runnable body) {
    int oldThreads = Parallelism.threads();
    long oldWork = Parallelism.minParallelWork();
    Parallelism.setThreads(threads);
    Parallelism.setMinParallelWork(minParallelWork);
    try {
      body.run();
    } finally {
      Parallelism.setThreads(oldThreads);
      Parallelism.setMinParallelWork(oldWork);
    }
  }
}
