package dev.adjoint.train;

/**
 * The batches of one dataset, as the {@link Trainer} consumes them: a fixed number of batches per
 * epoch, each copied into buffers that the trainer owns and reuses.
 *
 * <p>Inputs are flat: sample {@code i} of a batch occupies {@code x[i * sampleSize()]} to {@code
 * x[(i + 1) * sampleSize() - 1]} (for a 28×28 image, its 784 pixels in row-major order). Each
 * sample has one integer label, a class index, in {@code y[i]}.
 *
 * <p><b>Shuffling and resuming.</b> The trainer calls {@link #beginEpoch} on a training source
 * before each epoch. A source that shuffles must make the order a pure function of its seed and
 * that epoch number, for example by seeding the shuffle with {@code (seed, epoch)}, never by
 * continuing one random generator from epoch to epoch. A run resumed from a checkpoint at epoch
 * {@code e} then sees exactly the batches that an uninterrupted run sees, and ends with the same
 * parameters bit for bit.
 */
public interface BatchSource {
  /** The number of batches in one epoch, at least 1. */
  int batches();

  /** The largest number of samples in a batch; the trainer allocates buffers for this many. */
  int batchSize();

  /** The number of floats per sample in {@code x}. */
  int sampleSize();

  /**
   * Prepares epoch {@code epoch}, counted from 0: typically reshuffles. Called before the epoch's
   * first {@link #fill}, for training sources only. The default does nothing (no shuffling).
   *
   * @param epoch the epoch about to start; the order of its batches must depend only on this
   *     number and the source's own fixed configuration
   */
  default void beginEpoch(int epoch) {}

  /**
   * Copies one batch into the buffers.
   *
   * @param batch the batch index, from 0 to {@code batches() - 1}
   * @param x receives the inputs, at least {@code batchSize() * sampleSize()} long
   * @param y receives the labels, at least {@code batchSize()} long
   * @return the number of samples written, from 1 to {@code batchSize()} (the last batch of an
   *     epoch may be smaller)
   */
  int fill(int batch, float[] x, int[] y);
}
