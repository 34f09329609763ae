package dev.adjoint.ops;

import dev.adjoint.DerivativeOf;
import dev.adjoint.JvpOf;
import dev.adjoint.NoDerivative;

/**
 * Elementwise activation functions over {@code float[]} of any shape, with their pullbacks. Each
 * pullback takes the activation's input {@code z}, the seed (the adjoint of the output) and a
 * buffer {@code dZ} into which it adds {@code seed * f'(z)}; it recomputes what it needs from
 * {@code z}. Each JVP ({@link JvpOf}, for forward mode) takes {@code z}, the activation's output
 * and the tangent {@code tZ} ({@code null}: zero) and returns the new array {@code f'(z) * tZ}.
 * Each JVP has its own pullback ({@link DerivativeOf} of the JVP), which a Hessian-vector product
 * through the activation chains through: with {@code value = f(z)}, as every caller of the JVP
 * passes it, it adds into {@code dTZ} what the activation's pullback adds (the same call, the
 * same bits) and into {@code dZ} the directional derivative of that pullback along {@code tZ},
 * {@code seed * f''(z) * tZ}.
 */
public final class Activations {
  private Activations() {}

  /**
   * {@code max(0, z)} elementwise. NaN stays NaN and {@code -0.0} becomes {@code 0.0}.
   *
   * @throws NullPointerException if {@code z} is null
   */
  public static float[] relu(float[] z) {
    float[] y = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      y[i] = Math.max(0f, z[i]);
    }
    return y;
  }

  /**
   * The pullback of {@link #relu}: adds {@code seed[i]} into {@code dZ[i]} where {@code z[i] > 0}
   * and nothing elsewhere. The derivative at 0 is taken to be 0, as in PyTorch; NaN inputs also
   * get 0.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  @DerivativeOf("relu")
  public static void reluBackward(float[] z, float[] seed, float[] dZ) {
    checkPullback(z, seed, dZ);
    if (dZ == null) {
      return;
    }
    if (Kernels.VECTOR != null) {
      VectorActivations.reluBackward(z, seed, dZ);
      return;
    }
    for (int i = 0; i < z.length; i++) {
      if (z[i] > 0f) {
        dZ[i] += seed[i];
      }
    }
  }

  /**
   * The JVP of {@link #relu}: {@code tZ[i]} where {@code z[i] > 0}, 0 elsewhere (the derivative
   * at 0 is 0, as in {@link #reluBackward}).
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  @JvpOf("relu")
  public static float[] reluJvp(float[] z, float[] value, float[] tZ) {
    float[] t = new float[z.length];
    if (tZ == null) {
      return t;
    }
    Shapes.length("tZ", tZ, z.length);
    for (int i = 0; i < z.length; i++) {
      if (z[i] > 0f) {
        t[i] = tZ[i];
      }
    }
    return t;
  }

  /**
   * The pullback of {@link #reluJvp}: adds {@link #reluBackward}'s {@code seed} where
   * {@code z > 0} into {@code dTZ}, and nothing into {@code dZ} (relu's second derivative is 0
   * wherever it has one).
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  @DerivativeOf("reluJvp")
  public static void reluJvpBackward(float[] z, @NoDerivative float[] value, float[] tZ,
      float[] seed, float[] dZ, float[] dTZ) {
    checkPullback(z, seed, dZ);
    Shapes.bufferLength("dTZ", dTZ, z.length);
    reluBackward(z, seed, dTZ);
  }

  /**
   * The logistic function {@code 1 / (1 + exp(-z))} elementwise, computed without overflow for
   * inputs of any magnitude (via {@code exp(z) / (1 + exp(z))} for negative {@code z}).
   *
   * @throws NullPointerException if {@code z} is null
   */
  public static float[] sigmoid(float[] z) {
    float[] y = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      y[i] = sigmoid(z[i]);
    }
    return y;
  }

  /**
   * The pullback of {@link #sigmoid}: adds {@code seed * s * (1 - s)} with {@code s =
   * sigmoid(z)} into {@code dZ}.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  @DerivativeOf("sigmoid")
  public static void sigmoidBackward(float[] z, float[] seed, float[] dZ) {
    checkPullback(z, seed, dZ);
    if (dZ == null) {
      return;
    }
    for (int i = 0; i < z.length; i++) {
      float s = sigmoid(z[i]);
      dZ[i] += seed[i] * (s * (1f - s));
    }
  }

  /**
   * The JVP of {@link #sigmoid}: {@code tZ * s * (1 - s)} with {@code s} the output.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  @JvpOf("sigmoid")
  public static float[] sigmoidJvp(float[] z, float[] value, float[] tZ) {
    float[] t = new float[z.length];
    if (tZ == null) {
      return t;
    }
    Shapes.length("value", value, z.length);
    Shapes.length("tZ", tZ, z.length);
    for (int i = 0; i < z.length; i++) {
      float s = value[i];
      t[i] = tZ[i] * (s * (1f - s));
    }
    return t;
  }

  /**
   * The pullback of {@link #sigmoidJvp}: adds into {@code dTZ} what {@link #sigmoidBackward}
   * adds, and into {@code dZ} {@code seed * tZ * s (1 - s) (1 - 2 s)} with {@code s} the output
   * ({@code value}).
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  @DerivativeOf("sigmoidJvp")
  public static void sigmoidJvpBackward(float[] z, @NoDerivative float[] value, float[] tZ,
      float[] seed, float[] dZ, float[] dTZ) {
    checkPullback(z, seed, dZ);
    Shapes.bufferLength("dTZ", dTZ, z.length);
    sigmoidBackward(z, seed, dTZ);
    if (dZ == null || tZ == null) {
      return;
    }
    Shapes.length("value", value, z.length);
    Shapes.length("tZ", tZ, z.length);
    for (int i = 0; i < z.length; i++) {
      float s = value[i];
      dZ[i] += seed[i] * (tZ[i] * ((s * (1f - s)) * (1f - 2f * s)));
    }
  }

  /**
   * The hyperbolic tangent elementwise. Equal to {@code (float) Math.tanh(z)} but computed
   * through {@link Math#exp}, which HotSpot implements with a fast intrinsic.
   *
   * @throws NullPointerException if {@code z} is null
   */
  public static float[] tanh(float[] z) {
    float[] y = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      y[i] = tanh(z[i]);
    }
    return y;
  }

  /**
   * The pullback of {@link #tanh}: adds {@code seed * (1 - t * t)} with {@code t = tanh(z)} into
   * {@code dZ}.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  @DerivativeOf("tanh")
  public static void tanhBackward(float[] z, float[] seed, float[] dZ) {
    checkPullback(z, seed, dZ);
    if (dZ == null) {
      return;
    }
    for (int i = 0; i < z.length; i++) {
      float t = tanh(z[i]);
      dZ[i] += seed[i] * (1f - t * t);
    }
  }

  /**
   * The JVP of {@link #tanh}: {@code tZ * (1 - t * t)} with {@code t} the output.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  @JvpOf("tanh")
  public static float[] tanhJvp(float[] z, float[] value, float[] tZ) {
    float[] t = new float[z.length];
    if (tZ == null) {
      return t;
    }
    Shapes.length("value", value, z.length);
    Shapes.length("tZ", tZ, z.length);
    for (int i = 0; i < z.length; i++) {
      float y = value[i];
      t[i] = tZ[i] * (1f - y * y);
    }
    return t;
  }

  /**
   * The pullback of {@link #tanhJvp}: adds into {@code dTZ} what {@link #tanhBackward} adds, and
   * into {@code dZ} {@code seed * tZ * -2 y (1 - y * y)} with {@code y} the output
   * ({@code value}).
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  @DerivativeOf("tanhJvp")
  public static void tanhJvpBackward(float[] z, @NoDerivative float[] value, float[] tZ,
      float[] seed, float[] dZ, float[] dTZ) {
    checkPullback(z, seed, dZ);
    Shapes.bufferLength("dTZ", dTZ, z.length);
    tanhBackward(z, seed, dTZ);
    if (dZ == null || tZ == null) {
      return;
    }
    Shapes.length("value", value, z.length);
    Shapes.length("tZ", tZ, z.length);
    for (int i = 0; i < z.length; i++) {
      float y = value[i];
      dZ[i] += seed[i] * (tZ[i] * (-2f * y * (1f - y * y)));
    }
  }

  static float sigmoid(float z) {
    if (z >= 0f) {
      return (float) (1.0 / (1.0 + Math.exp(-z)));
    }
    double e = Math.exp(z);
    return (float) (e / (1.0 + e));
  }

  static float tanh(float z) {
    double d = z;
    double a = Math.abs(d);
    if (!(a > 0.01)) {
      // Taylor series, exact to double rounding here; also passes NaN through.
      double d2 = d * d;
      return (float) (d * (1.0 - d2 * (1.0 / 3.0 - d2 * (2.0 / 15.0))));
    }
    // 1 - 2 / (e^2a + 1) loses at most a few of double's bits to cancellation for a > 0.01.
    double t = 1.0 - 2.0 / (Math.exp(2.0 * a) + 1.0);
    return (float) (d < 0 ? -t : t);
  }

  private static void checkPullback(float[] z, float[] seed, float[] dZ) {
    Shapes.length("seed", seed, z.length);
    Shapes.bufferLength("dZ", dZ, z.length);
  }
}
