package dev.adjoint.bench;

import java.util.Random;

/** Deterministic inputs shared by the benchmarks and the test. */
public final class Data {
  private Data() {}

  /** {@code n} uniform numbers in {@code [lo, hi)}. */
  public static double[] uniform(int n, double lo, double hi, long seed) {
    return new Random(seed).doubles(n, lo, hi).toArray();
  }

  /** {@code n} floats in {@code [0, 1)}, like normalised pixels. */
  public static float[] pixels(int n, long seed) {
    Random r = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat();
    }
    return a;
  }

  /** {@code n} Gaussian floats of standard deviation {@code std} (the textbook's weight init). */
  public static float[] gaussian(int n, double std, long seed) {
    Random r = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (std * r.nextGaussian());
    }
    return a;
  }

  /** {@code n} labels in {@code [0, classes)}. */
  public static int[] labels(int n, int classes, long seed) {
    return new Random(seed).ints(n, 0, classes).toArray();
  }

  /** A flat row-major matrix as rows. */
  public static float[][] rows(float[] flat, int rows, int cols) {
    float[][] m = new float[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * cols, m[i], 0, cols);
    }
    return m;
  }

  /** Rows as a flat row-major matrix. */
  public static float[] flat(float[][] m) {
    int cols = m.length == 0 ? 0 : m[0].length;
    float[] flat = new float[m.length * cols];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, flat, i * cols, cols);
    }
    return flat;
  }
}
