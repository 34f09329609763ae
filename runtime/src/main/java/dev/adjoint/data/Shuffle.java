package dev.adjoint.data;

import java.util.Random;

/** Seeded Fisher-Yates shuffles, reproducible across JDK versions ({@link Random} is specified). */
final class Shuffle {
  private Shuffle() {}

  /** Shuffles {@code a} in place, every permutation equally likely. */
  static void shuffle(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Fills {@code a} with {@code 0, 1, ..., a.length - 1}. */
  static void identity(int[] a) {
    for (int i = 0; i < a.length; i++) {
      a[i] = i;
    }
  }

  /**
   * A well-mixed seed for stream {@code stream} of a generator seeded with {@code seed} (the
   * SplitMix64 finaliser), so that nearby seeds and streams give unrelated sequences.
   */
  static long mix(long seed, long stream) {
    long z = seed + (stream + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
