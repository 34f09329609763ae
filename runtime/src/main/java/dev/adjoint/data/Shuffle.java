package dev.adjoint.data;

import java.util.Random;

/**
 * The seeded shuffles of the training data: the order in which {@link Batcher} visits a dataset's
 * examples in an epoch, a function of the seed and the epoch number only, reproducible across JDK
 * versions ({@link Random}'s algorithm is specified). Data-parallel trainers shuffle each part of
 * the data with it, so that one part is shuffled exactly as one machine shuffles the whole.
 *
 * <pre>{@code
 * int[] order = new int[train.size()];
 * Shuffle.epochOrder(order, 42, epoch);         // the examples of new Batcher(train, n, 42)
 * long partSeed = Shuffle.mix(42, -1L - part);  // an unrelated stream of shuffles per part
 * }</pre>
 */
public final class Shuffle {
  private Shuffle() {}

  /**
   * Writes the order of epoch {@code epoch} into {@code order}: a permutation of {@code 0, 1,
   * ..., order.length - 1}, every one equally likely, that {@link Batcher} with this seed visits.
   *
   * @param order receives the permutation; its length is the number of examples
   * @param seed the seed of the shuffles
   * @param epoch the epoch, from 0
   */
  public static void epochOrder(int[] order, long seed, int epoch) {
    epochOrder(order, seed, epoch, new Random());
  }

  /** {@link #epochOrder(int[], long, int)} with a generator to reseed, allocating nothing. */
  static void epochOrder(int[] order, long seed, int epoch, Random rng) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    rng.setSeed(mix(seed, epoch));
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /**
   * A well-mixed seed for stream {@code stream} of a generator seeded with {@code seed} (the
   * SplitMix64 finaliser), so that nearby seeds and streams give unrelated sequences.
   */
  public static long mix(long seed, long stream) {
    long z = seed + (stream + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
