package dev.adjoint.optim;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * Seeded parameter initialisation. Every method fills its array completely and gives the same
 * values for the same seed, on every JDK: the generator is {@link Random}, whose algorithm
 * (including {@link Random#nextGaussian()}) is fixed by its specification.
 *
 * <p>Use a different seed for each tensor (for example {@code seed + k} for tensor {@code k}):
 * two same-sized tensors initialised from the same seed get identical values, which keeps their
 * units symmetric. Seeds are scrambled before use, so neighbouring seeds give unrelated values.
 *
 * <pre>{@code
 * float[] w1 = new float[784 * 128];
 * Init.he(w1, 784, seed);          // ReLU layer: normal, std sqrt(2 / 784)
 * float[] b1 = new float[128];     // biases: zeros (new arrays already are)
 * }</pre>
 */
public final class Init {
  private Init() {}

  /**
   * He (Kaiming) initialisation for layers followed by ReLU: normal with mean 0 and standard
   * deviation {@code sqrt(2 / fanIn)}.
   *
   * @param w the weights to fill
   * @param fanIn inputs per unit (for a dense layer, its input width)
   * @param seed the random seed
   */
  public static void he(float[] w, int fanIn, long seed) {
    requirePositive(fanIn, "fanIn");
    normal(w, Math.sqrt(2.0 / fanIn), seed);
  }

  /**
   * Xavier (Glorot) uniform initialisation for layers followed by tanh, sigmoid or nothing:
   * uniform in {@code [-limit, limit)} with {@code limit = sqrt(6 / (fanIn + fanOut))}, which gives
   * variance {@code 2 / (fanIn + fanOut)}.
   *
   * @param w the weights to fill
   * @param fanIn inputs per unit
   * @param fanOut outputs of the layer (units)
   * @param seed the random seed
   */
  public static void xavier(float[] w, int fanIn, int fanOut, long seed) {
    requirePositive(fanIn, "fanIn");
    requirePositive(fanOut, "fanOut");
    uniform(w, Math.sqrt(6.0 / ((double) fanIn + fanOut)), seed);
  }

  /** Sets every element to zero, the usual start for biases. */
  public static void zeros(float[] w) {
    Arrays.fill(Objects.requireNonNull(w, "w"), 0f);
  }

  /**
   * Normal with mean 0 and the given standard deviation.
   *
   * @param w the array to fill
   * @param std the standard deviation, finite and non-negative
   * @param seed the random seed
   */
  public static void normal(float[] w, double std, long seed) {
    Objects.requireNonNull(w, "w");
    if (!(std >= 0) || Double.isInfinite(std)) {
      throw new IllegalArgumentException("std must be finite and >= 0, got " + std);
    }
    Random random = random(seed);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * std);
    }
  }

  /**
   * Uniform in {@code [-limit, limit)}.
   *
   * @param w the array to fill
   * @param limit the half-width, finite and non-negative
   * @param seed the random seed
   */
  public static void uniform(float[] w, double limit, long seed) {
    Objects.requireNonNull(w, "w");
    if (!(limit >= 0) || Double.isInfinite(limit)) {
      throw new IllegalArgumentException("limit must be finite and >= 0, got " + limit);
    }
    Random random = random(seed);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((2 * random.nextDouble() - 1) * limit);
    }
  }

  /**
   * A generator for {@code seed}. Random's own seed scrambling is a single XOR, so generators for
   * consecutive seeds start with correlated values; the SplitMix64 finaliser decorrelates them.
   */
  private static Random random(long seed) {
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new Random(z ^ (z >>> 31));
  }

  private static void requirePositive(int n, String name) {
    if (n <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + n);
    }
  }
}
