package dev.adjoint;

/**
 * Array helpers called by generated gradient code: zero adjoints shaped like their primal
 * arrays, and accumulation of one adjoint array into another.
 */
public final class Adjoints {
  private Adjoints() {}

  /** A zero array of the same length. */
  public static double[] zerosLike(double[] a) {
    return new double[a.length];
  }

  /** A zero array of the same length. */
  public static float[] zerosLike(float[] a) {
    return new float[a.length];
  }

  /** A zero array of the same shape, rows included (ragged rows keep their lengths). */
  public static double[][] zerosLike(double[][] a) {
    double[][] z = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      z[i] = a[i] == null ? null : new double[a[i].length];
    }
    return z;
  }

  /** A zero array of the same shape, rows included (ragged rows keep their lengths). */
  public static float[][] zerosLike(float[][] a) {
    float[][] z = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      z[i] = a[i] == null ? null : new float[a[i].length];
    }
    return z;
  }

  /** {@code target += source}, element by element. */
  public static void addTo(double[] target, double[] source) {
    for (int i = 0; i < source.length; i++) {
      target[i] += source[i];
    }
  }

  /** {@code target += source}, element by element. */
  public static void addTo(float[] target, float[] source) {
    for (int i = 0; i < source.length; i++) {
      target[i] += source[i];
    }
  }

  /** {@code target += source}, element by element. */
  public static void addTo(double[][] target, double[][] source) {
    for (int i = 0; i < source.length; i++) {
      addTo(target[i], source[i]);
    }
  }

  /** {@code target += source}, element by element. */
  public static void addTo(float[][] target, float[][] source) {
    for (int i = 0; i < source.length; i++) {
      addTo(target[i], source[i]);
    }
  }

  /** {@code target += scale * source}, element by element. */
  public static void addScaled(double[] target, double scale, double[] source) {
    for (int i = 0; i < source.length; i++) {
      target[i] += scale * source[i];
    }
  }

  /** {@code target += scale * source}, element by element. */
  public static void addScaled(float[] target, float scale, float[] source) {
    for (int i = 0; i < source.length; i++) {
      target[i] += scale * source[i];
    }
  }

  /** {@code target += scale * source}, element by element. */
  public static void addScaled(double[][] target, double scale, double[][] source) {
    for (int i = 0; i < source.length; i++) {
      addScaled(target[i], scale, source[i]);
    }
  }

  /** {@code target += scale * source}, element by element. */
  public static void addScaled(float[][] target, float scale, float[][] source) {
    for (int i = 0; i < source.length; i++) {
      addScaled(target[i], scale, source[i]);
    }
  }

  /** A new array {@code scale * source}. */
  public static double[] scaled(double scale, double[] source) {
    double[] out = new double[source.length];
    for (int i = 0; i < source.length; i++) {
      out[i] = scale * source[i];
    }
    return out;
  }

  /** A new array {@code scale * source}. */
  public static float[] scaled(float scale, float[] source) {
    float[] out = new float[source.length];
    for (int i = 0; i < source.length; i++) {
      out[i] = scale * source[i];
    }
    return out;
  }
}
