package dev.adjoint.processor.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.GradCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.Arrays;
import java.util.Random;

/**
 * Checks for signatures that {@link dev.adjoint.processor.testing.GradientAssert} does not cover:
 * mixed parameter types, {@code @NoDerivative} parameters, and exact hand-derived values.
 */
final class Check {
  private Check() {}

  /**
   * Checks the gradient of {@code cls.method} at {@code args}, where exactly the arguments at the
   * indices {@code wrt} are differentiated and give the record's components after the value, in
   * order. The value must equal the original's. {@code Double} arguments are checked with double
   * steps and tolerance, {@code Float} arguments with float ones (each group with the other
   * fixed).
   */
  static void at(Compiled c, String cls, String method, int[] wrt, Object... args) {
    double[] g = c.gradient(cls, method, args);
    double expected = c.value(cls, method, args);
    String where = method + Arrays.toString(args);
    if (Double.compare(g[0], expected) != 0) {
      throw new AssertionError(where + ": gradient's value " + g[0] + " differs from the "
          + "function's " + expected);
    }
    if (g.length != wrt.length + 1) {
      throw new AssertionError(where + ": " + (g.length - 1) + " partials, expected "
          + wrt.length);
    }
    int[] doubles = Arrays.stream(wrt).filter(i -> args[i] instanceof Double).toArray();
    int[] floats = Arrays.stream(wrt).filter(i -> args[i] instanceof Float).toArray();
    if (doubles.length + floats.length != wrt.length) {
      throw new IllegalArgumentException("differentiated arguments must be Double or Float");
    }
    if (doubles.length > 0) {
      double[] x = new double[doubles.length];
      for (int k = 0; k < doubles.length; k++) {
        x[k] = (Double) args[doubles[k]];
      }
      GradCheck.Report report = GradCheck.compare(v -> {
        Object[] a = args.clone();
        for (int k = 0; k < doubles.length; k++) {
          a[doubles[k]] = v[k];
        }
        return c.value(cls, method, a);
      }, x, partials(g, wrt, doubles));
      require(report, GradCheck.DOUBLE_TOLERANCE, c, cls, where);
    }
    if (floats.length > 0) {
      float[] x = new float[floats.length];
      for (int k = 0; k < floats.length; k++) {
        x[k] = (Float) args[floats[k]];
      }
      GradCheck.Report report = GradCheck.compare((GradCheck.FloatFunction) v -> {
        Object[] a = args.clone();
        for (int k = 0; k < floats.length; k++) {
          a[floats[k]] = v[k];
        }
        return c.value(cls, method, a);
      }, x, partials(g, wrt, floats));
      require(report, GradCheck.FLOAT_TOLERANCE, c, cls, where);
    }
  }

  /** The components of {@code g} (value first) for the arguments {@code subset} of {@code wrt}. */
  private static double[] partials(double[] g, int[] wrt, int[] subset) {
    double[] out = new double[subset.length];
    for (int k = 0; k < subset.length; k++) {
      for (int j = 0; j < wrt.length; j++) {
        if (wrt[j] == subset[k]) {
          out[k] = g[j + 1];
        }
      }
    }
    return out;
  }

  private static void require(GradCheck.Report report, double tolerance, Compiled c, String cls,
      String where) {
    if (!report.passes(tolerance)) {
      throw new AssertionError(where + ": gradient check failed\n" + report + "\n"
          + c.generatedSource(cls + "Grad"));
    }
  }

  /**
   * As {@link #at} at {@code points} random points: the arguments at {@code wrt} are drawn from
   * [lo, hi] (with the box type of the template's argument), the others are the template's.
   */
  static void random(Compiled c, String cls, String method, int[] wrt, double lo, double hi,
      int points, long seed, Object... template) {
    Random random = new Random(seed);
    for (int p = 0; p < points; p++) {
      Object[] args = template.clone();
      for (int i : wrt) {
        double v = lo + (hi - lo) * random.nextDouble();
        args[i] = args[i] instanceof Float ? (Object) (float) v : (Object) v;
      }
      at(c, cls, method, wrt, args);
    }
  }

  /**
   * Asserts the value and partials of {@code cls.method} at {@code args} equal {@code expected}
   * (value first) up to a relative {@code 1e-12}, as derived by hand.
   */
  static void exact(Compiled c, String cls, String method, double[] expected, Object... args) {
    double[] g = c.gradient(cls, method, args);
    assertEquals(expected.length, g.length, method + ": number of record components");
    for (int i = 0; i < expected.length; i++) {
      double tol = 1e-12 * Math.max(1, Math.abs(expected[i]));
      assertEquals(expected[i], g[i], tol, method + Arrays.toString(args) + " component " + i
          + " of " + Arrays.toString(g));
    }
  }

  /** As {@link #exact} with float precision (relative {@code 1e-6}). */
  static void exactFloat(Compiled c, String cls, String method, double[] expected,
      Object... args) {
    double[] g = c.gradient(cls, method, args);
    assertEquals(expected.length, g.length, method + ": number of record components");
    for (int i = 0; i < expected.length; i++) {
      double tol = 1e-6 * Math.max(1, Math.abs(expected[i]));
      assertEquals(expected[i], g[i], tol, method + Arrays.toString(args) + " component " + i
          + " of " + Arrays.toString(g));
    }
  }

  /** Indices 0..n-1. */
  static int[] first(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /** Shorthand for an index array. */
  static int[] wrt(int... indices) {
    return indices;
  }

  /** Shorthand for an expected-values array. */
  static double[] expect(double... values) {
    return values;
  }
}
