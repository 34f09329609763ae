package dev.adjoint.spark;

import java.util.Random;

/**
 * The order in which a partition visits its examples in an epoch: a seeded Fisher-Yates shuffle,
 * a function of the seed, the partition and the epoch only, so that a retried task or a resumed
 * run sees exactly the same batches.
 *
 * <p>Partition 0 is shuffled exactly as {@link dev.adjoint.data.Batcher} shuffles a dataset
 * (same generator, same mixing of seed and epoch): with one partition the batches are those of
 * the single-machine trainer. The tests check this against {@code Batcher} itself.
 */
final class PartitionOrder {
  private PartitionOrder() {}

  /** Writes partition {@code partition}'s order of epoch {@code epoch} into {@code order}. */
  static void fill(int[] order, long seed, int partition, int epoch) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    long partitionSeed = partition == 0 ? seed : mix(seed, -1L - partition);
    Random rng = new Random(mix(partitionSeed, epoch));
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /** The SplitMix64 finaliser of {@code dev.adjoint.data.Shuffle.mix}, bit for bit. */
  static long mix(long seed, long stream) {
    long z = seed + (stream + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
