package dev.adjoint.data;

import dev.adjoint.train.BatchSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * Shuffled mini-batches of a {@link Dataset} without allocation per batch: the batcher owns one
 * feature buffer of {@code batchSize * d} floats and one label buffer of {@code batchSize} ints,
 * and {@link #fill(int)} copies batch {@code k} of the current epoch into them.
 *
 * <p>Each epoch visits every example exactly once, in an order drawn from the seed and the epoch
 * number alone: the same seed gives the same batches, whatever happened before. The last batch of
 * an epoch is smaller when the batch size does not divide the dataset size; {@link #fill(int)}
 * returns the actual size, also available from {@link #size()}.
 *
 * <pre>{@code
 * Batcher batches = new Batcher(train, 32, 42);
 * for (int epoch = 0; epoch < 3; epoch++) {
 *   batches.startEpoch(epoch);
 *   for (int k = 0; k < batches.batchCount(); k++) {
 *     int n = batches.fill(k);                  // rows 0..n-1 are the batch
 *     gradient.clear();
 *     loss = ModelGrad.loss(w, b, batches.features(), Arrays.copyOf(batches.labels(), n),
 *         gradient);
 *     optimizer.step(params);
 *   }
 * }
 * }</pre>
 *
 * <p>A batcher is also the {@link BatchSource} a {@link dev.adjoint.train.Trainer} reads: {@code
 * Trainer.builder().trainData(new Batcher(train, 64, seed))}; there {@link #beginEpoch} reshuffles
 * and {@link #fill(int, float[], int[])} copies a batch into the trainer's buffers.
 *
 * <p>Not thread-safe: one batcher per training loop.
 */
public final class Batcher implements BatchSource {
  private final Dataset data;
  private final int batchSize;
  private final long seed;
  private final int[] order;
  private final float[] features;
  private final int[] labels;
  private final Random rng = new Random();
  private int epoch = -1;

  /** Index of the batch last filled. */
  private int batch;

  /** Examples in the batch last filled, 0 if none has been filled in this epoch. */
  private int size;

  /**
   * A batcher over {@code data}, positioned at epoch 0 (already shuffled) with no batch filled.
   *
   * @param data the examples to batch
   * @param batchSize examples per batch, at least 1
   * @param seed seed of the shuffles
   * @throws IllegalArgumentException if {@code batchSize} is less than 1
   */
  public Batcher(Dataset data, int batchSize, long seed) {
    this.data = Objects.requireNonNull(data, "data");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    this.seed = seed;
    this.order = new int[data.size()];
    this.features = new float[Math.multiplyExact(batchSize, data.featuresPerExample())];
    this.labels = new int[batchSize];
    startEpoch(0);
  }

  /**
   * Shuffles the examples into the order of epoch {@code epoch}, a function of the seed and the
   * epoch number only. Allocates nothing.
   *
   * @param epoch the epoch number, from 0
   * @throws IllegalArgumentException if {@code epoch} is negative
   */
  public void startEpoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be at least 0, got " + epoch);
    }
    if (epoch == this.epoch) {
      return;
    }
    Shuffle.epochOrder(order, seed, epoch, rng);
    this.epoch = epoch;
    this.size = 0;
  }

  /**
   * Copies batch {@code k} of the current epoch into {@link #features()} and {@link #labels()}.
   * Rows past the returned size (in the last, smaller batch) are set to zero features and label 0;
   * ignore them.
   *
   * @param k batch index, {@code 0 <= k < batchCount()}
   * @return the number of examples in the batch: {@code batchSize()}, or fewer for the last one
   * @throws IndexOutOfBoundsException if {@code k} is out of range
   */
  public int fill(int k) {
    Objects.checkIndex(k, batchCount());
    int d = data.featuresPerExample();
    float[] source = data.features();
    int[] sourceLabels = data.labels();
    int first = k * batchSize;
    int n = Math.min(batchSize, order.length - first);
    for (int r = 0; r < n; r++) {
      int i = order[first + r];
      System.arraycopy(source, i * d, features, r * d, d);
      labels[r] = sourceLabels[i];
    }
    if (n < batchSize) {
      Arrays.fill(features, n * d, features.length, 0f);
      Arrays.fill(labels, n, batchSize, 0);
    }
    batch = k;
    size = n;
    return n;
  }

  /**
   * Dataset index of row {@code row} of the batch last filled.
   *
   * @throws IndexOutOfBoundsException if {@code row} is not below {@link #size()}
   */
  public int exampleIndex(int row) {
    Objects.checkIndex(row, size);
    return order[batch * batchSize + row];
  }

  /** Batches per epoch: {@code ceil(size / batchSize)}, 0 for an empty dataset. */
  public int batchCount() {
    return (order.length + batchSize - 1) / batchSize;
  }

  /** Examples per full batch, as given to the constructor. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Number of examples in the batch last filled, 0 before the first {@link #fill(int)} of an epoch.
   */
  public int size() {
    return size;
  }

  /** The current epoch, as last passed to {@link #startEpoch(int)} (0 after construction). */
  public int epoch() {
    return epoch;
  }

  /** The dataset being batched. */
  public Dataset dataset() {
    return data;
  }

  /**
   * The feature buffer, {@code batchSize() * d} floats, row-major; rows {@code 0..size()-1} hold
   * the batch last filled. Always the same array: it is overwritten by every {@link #fill(int)}.
   */
  public float[] features() {
    return features;
  }

  /**
   * The label buffer, {@code batchSize()} ints; elements {@code 0..size()-1} hold the batch last
   * filled. Always the same array: it is overwritten by every {@link #fill(int)}.
   */
  public int[] labels() {
    return labels;
  }

  /** {@link BatchSource} view: the same as {@link #batchCount()}. */
  @Override
  public int batches() {
    return batchCount();
  }

  /** {@link BatchSource} view: the dataset's features per example. */
  @Override
  public int sampleSize() {
    return data.featuresPerExample();
  }

  /** {@link BatchSource} view: the same as {@link #startEpoch(int)}. */
  @Override
  public void beginEpoch(int epoch) {
    startEpoch(epoch);
  }

  /**
   * {@link BatchSource} view: fills batch {@code batch} as {@link #fill(int)} does, then copies its
   * rows into {@code x} and {@code y}.
   */
  @Override
  public int fill(int batch, float[] x, int[] y) {
    int n = fill(batch);
    System.arraycopy(features, 0, x, 0, n * data.featuresPerExample());
    System.arraycopy(labels, 0, y, 0, n);
    return n;
  }
}
