package dev.adjoint.spark;

import dev.adjoint.data.Shuffle;
import java.io.Serializable;

/**
 * How a global batch is split over the partitions. Each epoch has {@code ceil(total / batch)}
 * global steps, like one machine's, of {@code batch} examples each (the last may have fewer);
 * partition {@code p}, holding {@code sizes[p]} of the {@code total} examples, contributes the
 * examples {@code from(p, s)} to {@code from(p, s + 1) - 1} of its shuffled order to step {@code
 * s}. {@code from(p, s)} apportions the first {@code s * batch} examples of the epoch to the
 * partitions in proportion to their sizes by largest remainders (ties to the lower partition),
 * so the shares of a step add up to exactly its examples and, over an epoch, every example is
 * used once. With one partition step {@code s} is examples {@code s * batch} onwards, as on one
 * machine.
 *
 * <p>Every partition that has examples must have at least {@code total / batch} of them (at least
 * one example per step on average): then the apportionment only grows from step to step.
 *
 * @param sizes examples per partition, in partition order
 * @param batch examples per global step (the last step of an epoch may have fewer)
 */
record Layout(int[] sizes, int batch) implements Serializable {
  private static final long serialVersionUID = 1L;

  Layout {
    sizes = sizes.clone();
    long total = 0;
    for (int n : sizes) {
      if (n < 0) {
        throw new IllegalArgumentException("negative partition size " + n);
      }
      total += n;
    }
    if (total == 0) {
      throw new IllegalArgumentException("the training data has no examples");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("the batch must be at least 1, got " + batch);
    }
    for (int p = 0; p < sizes.length; p++) {
      if (sizes[p] > 0 && (long) batch * sizes[p] < total) {
        throw new IllegalArgumentException("partition " + p + " holds " + sizes[p]
            + " examples, fewer than one per global step (" + total + " examples / batch "
            + batch + "): use fewer partitions, a larger batch, or repartition the data evenly");
      }
    }
  }

  /** Partitions. */
  int partitions() {
    return sizes.length;
  }

  /** Examples in all partitions. */
  long total() {
    long total = 0;
    for (int n : sizes) {
      total += n;
    }
    return total;
  }

  /** Global steps per epoch. */
  int steps() {
    return (int) ((total() + batch - 1) / batch);
  }

  /** How many of partition {@code p}'s examples the steps before {@code step} use. */
  int from(int p, int step) {
    long total = total();
    long g = Math.min((long) step * batch, total);
    long floors = 0;
    for (int n : sizes) {
      floors += g * n / total;
    }
    long left = g - floors;
    long mine = g * sizes[p] % total;
    int rank = 0;
    for (int q = 0; q < sizes.length; q++) {
      long theirs = g * sizes[q] % total;
      if (theirs > mine || theirs == mine && q < p) {
        rank++;
      }
    }
    return (int) (g * sizes[p] / total + (rank < left ? 1 : 0));
  }

  /**
   * Writes partition {@code partition}'s order of epoch {@code epoch} into {@code order}: the
   * runtime's seeded shuffle ({@link Shuffle}), a function of the seed, the partition and the
   * epoch only, so that a retried task or a resumed run sees exactly the same batches. Partition 0
   * is shuffled exactly as {@link dev.adjoint.data.Batcher} shuffles a dataset: with one partition
   * the batches are those of the single-machine trainer.
   */
  static void order(int[] order, long seed, int partition, int epoch) {
    Shuffle.epochOrder(order, partition == 0 ? seed : Shuffle.mix(seed, -1L - partition), epoch);
  }

  /** Examples of step {@code step} over all partitions: {@code batch}, fewer in the last. */
  int globalSize(int step) {
    return (int) (Math.min((long) (step + 1) * batch, total()) - (long) step * batch);
  }
}
