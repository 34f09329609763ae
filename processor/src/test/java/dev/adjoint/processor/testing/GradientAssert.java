package dev.adjoint.processor.testing;

import dev.adjoint.GradCheck;
import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Checks generated gradients of a compiled function against central finite differences at random
 * points, the way every derivative rule in Adjoint is tested.
 */
public final class GradientAssert {
  private GradientAssert() {}

  /**
   * For a function of {@code n} double parameters, all differentiable: at {@code points} random
   * points drawn uniformly from [lo, hi], checks the value against the original function and the
   * gradient against finite differences.
   */
  public static void checkDoubles(Compiled c, String cls, String method, int n, double lo,
      double hi, int points, long seed) {
    Random random = new Random(seed);
    for (int k = 0; k < points; k++) {
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = lo + (hi - lo) * random.nextDouble();
      }
      checkDoublesAt(c, cls, method, x);
    }
  }

  /** The check of {@link #checkDoubles} at one point. */
  public static void checkDoublesAt(Compiled c, String cls, String method, double... x) {
    Object[] args = Arrays.stream(x).boxed().toArray();
    double[] g = c.gradient(cls, method, args);
    double expected = c.value(cls, method, args);
    if (Double.compare(g[0], expected) != 0) {
      throw new AssertionError(method + Arrays.toString(x) + ": gradient's value " + g[0]
          + " differs from the function's " + expected);
    }
    ToDoubleFunction<double[]> f = v -> c.value(cls, method, Arrays.stream(v).boxed().toArray());
    try {
      GradCheck.assertGradient(f, x, Arrays.copyOfRange(g, 1, g.length));
    } catch (AssertionError e) {
      throw new AssertionError(method + " at " + Arrays.toString(x) + ": " + e.getMessage()
          + "\n" + c.generatedSource(cls + "Grad"), e);
    }
  }

  /** As {@link #checkDoubles} for a function of {@code n} float parameters. */
  public static void checkFloats(Compiled c, String cls, String method, int n, double lo,
      double hi, int points, long seed) {
    Random random = new Random(seed);
    for (int k = 0; k < points; k++) {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) (lo + (hi - lo) * random.nextDouble());
      }
      Object[] args = new Object[n];
      for (int i = 0; i < n; i++) {
        args[i] = x[i];
      }
      double[] g = c.gradient(cls, method, args);
      double expected = c.value(cls, method, args);
      if (Double.compare(g[0], expected) != 0) {
        throw new AssertionError(method + Arrays.toString(x) + ": gradient's value " + g[0]
            + " differs from the function's " + expected);
      }
      GradCheck.FloatFunction f = v -> {
        Object[] a = new Object[v.length];
        for (int i = 0; i < v.length; i++) {
          a[i] = v[i];
        }
        return c.value(cls, method, a);
      };
      try {
        GradCheck.assertGradient(f, x, Arrays.copyOfRange(g, 1, g.length));
      } catch (AssertionError e) {
        throw new AssertionError(method + " at " + Arrays.toString(x) + ": " + e.getMessage()
            + "\n" + c.generatedSource(cls + "Grad"), e);
      }
    }
  }
}
