package dev.adjoint.spark;

import java.io.Serializable;

/**
 * How a global batch is split over the partitions. Each epoch has {@code ceil(total / batch)}
 * global steps, like one machine's; partition {@code p}, holding {@code sizes[p]} of the {@code
 * total} examples, contributes the examples {@code from(p, s)} to {@code from(p, s + 1) - 1} of
 * its shuffled order to step {@code s}: a share of the batch in proportion to its size, and over
 * an epoch every example exactly once. With one partition step {@code s} is examples {@code s *
 * batch} onwards, as on one machine.
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
    if (batch < sizes.length) {
      throw new IllegalArgumentException("a global batch of " + batch + " cannot be shared by "
          + sizes.length + " partitions: use a batch of at least " + sizes.length
          + " or fewer partitions");
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

  /** Where partition {@code p}'s share of step {@code step} starts in its order. */
  int from(int p, int step) {
    return (int) Math.min(sizes[p], (long) step * batch * sizes[p] / total());
  }

  /** Examples of step {@code step} over all partitions, from 1 to {@code batch}. */
  int globalSize(int step) {
    int n = 0;
    for (int p = 0; p < sizes.length; p++) {
      n += from(p, step + 1) - from(p, step);
    }
    return n;
  }
}
