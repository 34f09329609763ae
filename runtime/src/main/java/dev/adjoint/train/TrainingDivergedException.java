package dev.adjoint.train;

/**
 * Training stopped because a batch's loss or gradient became NaN or infinite. The parameters are
 * left as they were before that batch (its update is not applied), and the last checkpoint, if
 * any, is from the end of the previous epoch.
 *
 * <p>Usual causes: a learning rate too high for the model, a log or division of zero in the loss,
 * or bad input data; {@link #epoch()} and {@link #batch()} identify the batch to inspect.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The epoch index, from 0. */
  private final int epoch;
  /** The batch index, from 0. */
  private final int batch;
  /** Optimizer steps before the failing batch. */
  private final long step;

  TrainingDivergedException(
      int epoch, int epochs, int batch, int batches, long step, String problem) {
    super(
        String.format(
            "training diverged in epoch %d/%d, batch %d/%d: %s (epoch index %d and batch index %d"
                + " as passed to BatchSource.beginEpoch and fill; %d optimizer steps taken;"
                + " the parameters are as before this batch)",
            epoch + 1, epochs, batch + 1, batches, problem, epoch, batch, step));
    this.epoch = epoch;
    this.batch = batch;
    this.step = step;
  }

  /** The epoch index, counted from 0 as passed to {@link BatchSource#beginEpoch}. */
  public int epoch() {
    return epoch;
  }

  /** The batch index, counted from 0 as passed to {@link BatchSource#fill}. */
  public int batch() {
    return batch;
  }

  /** Optimizer steps taken before the failing batch. */
  public long step() {
    return step;
  }
}
