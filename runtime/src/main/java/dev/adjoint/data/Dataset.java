package dev.adjoint.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Labelled examples for classification: {@link #size()} examples of {@link #featuresPerExample()}
 * float features each, stored row-major in one array, and an integer label in {@code 0..classes-1}
 * per example.
 *
 * <p>The arrays are shared, not copied, so that a dataset of MNIST's size exists once in memory:
 * {@link #features()} and {@link #labels()} return the arrays this dataset holds. Treat them as
 * read-only; {@link #split(double, long)} and {@link #select(int[])} copy the examples they keep.
 */
public final class Dataset {
  private final float[] features;
  private final int[] labels;
  private final int featuresPerExample;
  private final int classes;

  /**
   * A train/test split of a dataset.
   *
   * @param train the examples to train on
   * @param test the examples held out for evaluation
   */
  public record Split(Dataset train, Dataset test) {
    /** Checks that both parts are present. */
    public Split {
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(test, "test");
    }
  }

  /**
   * A dataset over the given arrays, which are used as they are (not copied).
   *
   * @param features {@code labels.length * featuresPerExample} values, example after example
   * @param labels one label per example, each in {@code 0..classes-1}
   * @param featuresPerExample features in each example, at least 1
   * @param classes number of classes, at least 1
   * @throws IllegalArgumentException if the sizes disagree or a label is out of range
   */
  public Dataset(float[] features, int[] labels, int featuresPerExample, int classes) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    if (featuresPerExample < 1) {
      throw new IllegalArgumentException(
          "featuresPerExample must be at least 1, got " + featuresPerExample);
    }
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be at least 1, got " + classes);
    }
    if (features.length != (long) labels.length * featuresPerExample) {
      throw new IllegalArgumentException(
          String.format(
              "%d features for %d examples of %d features (expected %d)",
              features.length,
              labels.length,
              featuresPerExample,
              (long) labels.length * featuresPerExample));
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of example " + i + " is outside 0.." + (classes - 1));
      }
    }
    this.features = features;
    this.labels = labels;
    this.featuresPerExample = featuresPerExample;
    this.classes = classes;
  }

  /** Number of examples. */
  public int size() {
    return labels.length;
  }

  /** Features in each example ({@code d}). */
  public int featuresPerExample() {
    return featuresPerExample;
  }

  /** Number of classes: labels are in {@code 0..classes-1}. */
  public int classes() {
    return classes;
  }

  /**
   * The features, row-major: example {@code i} occupies {@code [i * d, (i + 1) * d)} where {@code d
   * = featuresPerExample()}. This is the array the dataset holds, not a copy.
   */
  public float[] features() {
    return features;
  }

  /** The labels, one per example. This is the array the dataset holds, not a copy. */
  public int[] labels() {
    return labels;
  }

  /** Label of example {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** Feature {@code j} of example {@code i}. */
  public float feature(int i, int j) {
    Objects.checkIndex(i, labels.length);
    Objects.checkIndex(j, featuresPerExample);
    return features[i * featuresPerExample + j];
  }

  /** How many examples each class has: element {@code c} counts the examples labelled {@code c}. */
  public int[] classCounts() {
    int[] counts = new int[classes];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /**
   * A new dataset of the examples at {@code indices}, in that order, copied.
   *
   * @throws IndexOutOfBoundsException if an index is not in {@code 0..size()-1}
   */
  public Dataset select(int[] indices) {
    int d = featuresPerExample;
    float[] f = new float[Math.multiplyExact(indices.length, d)];
    int[] l = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = Objects.checkIndex(indices[k], labels.length);
      System.arraycopy(features, i * d, f, k * d, d);
      l[k] = labels[i];
    }
    return new Dataset(f, l, d, classes);
  }

  /**
   * Splits the examples at random into a training and a test set, reproducibly: the same seed
   * always gives the same split. The test set has {@code round(size() * testFraction)} examples;
   * both parts keep the examples in their original relative order. Every example lands in exactly
   * one part.
   *
   * @param testFraction share of the examples held out for testing, strictly between 0 and 1
   * @param seed seed of the shuffle
   * @throws IllegalArgumentException if {@code testFraction} is not in {@code (0, 1)} or either
   *     part would be empty
   */
  public Split split(double testFraction, long seed) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException(
          "testFraction must be strictly between 0 and 1, got " + testFraction);
    }
    int n = size();
    int testSize = (int) Math.round(n * testFraction);
    if (testSize < 1 || testSize > n - 1) {
      throw new IllegalArgumentException(
          "a test fraction of " + testFraction + " of " + n + " examples leaves one part empty");
    }
    int[] order = new int[n];
    Shuffle.epochOrder(order, seed, 0);   // the split draws one shuffle, as epoch 0 does
    int[] test = Arrays.copyOfRange(order, 0, testSize);
    int[] train = Arrays.copyOfRange(order, testSize, n);
    Arrays.sort(test);
    Arrays.sort(train);
    return new Split(select(train), select(test));
  }

  /** Size, features per example and classes, for logs. */
  @Override
  public String toString() {
    return String.format(
        "Dataset[%d examples x %d features, %d classes]", size(), featuresPerExample, classes);
  }
}
