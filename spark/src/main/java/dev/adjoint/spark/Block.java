package dev.adjoint.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * One partition's examples packed into two arrays, the form in which training data is cached:
 * {@code features} holds the examples one after another, {@code featuresPerExample} floats each,
 * and {@code labels} their classes. A cached block is read in place by every step, so training
 * touches no {@code Row} and allocates nothing per example.
 */
public final class Block implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] features;
  private final int[] labels;
  private final int featuresPerExample;

  /**
   * A block over these arrays, which it keeps (not copies).
   *
   * @throws IllegalArgumentException if the lengths disagree or a label is negative
   */
  public Block(float[] features, int[] labels, int featuresPerExample) {
    this.features = Objects.requireNonNull(features, "features");
    this.labels = Objects.requireNonNull(labels, "labels");
    if (featuresPerExample < 0
        || features.length != (long) labels.length * featuresPerExample) {
      throw new IllegalArgumentException(features.length + " features for " + labels.length
          + " examples of " + featuresPerExample);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("label " + labels[i] + " of example " + i
            + " is negative: labels are class indices 0, 1, ...");
      }
    }
    this.featuresPerExample = featuresPerExample;
  }

  /** Examples in the block. */
  public int size() {
    return labels.length;
  }

  /** Floats per example; 0 only for an empty block that never saw an example. */
  public int featuresPerExample() {
    return featuresPerExample;
  }

  /** The packed features (the array itself). */
  public float[] features() {
    return features;
  }

  /** The labels (the array itself). */
  public int[] labels() {
    return labels;
  }

  /** The largest label, or -1 for an empty block. */
  public int maxLabel() {
    int max = -1;
    for (int label : labels) {
      max = Math.max(max, label);
    }
    return max;
  }

  /**
   * Copies examples {@code order[from]} to {@code order[to - 1]} into rows {@code 0, 1, ...} of
   * {@code x} and {@code y}.
   */
  void gather(int[] order, int from, int to, float[] x, int[] y) {
    int d = featuresPerExample;
    for (int r = 0, k = from; k < to; r++, k++) {
      int i = order[k];
      System.arraycopy(features, i * d, x, r * d, d);
      y[r] = labels[i];
    }
  }
}
