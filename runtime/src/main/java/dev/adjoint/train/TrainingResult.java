package dev.adjoint.train;

import java.util.List;

/**
 * The outcome of {@link Trainer#fit()}.
 *
 * @param history one entry per epoch, oldest first; after a resume it also holds the earlier
 *     epochs read back from the metrics CSV, if one was configured
 * @param steps optimizer steps taken in total, including those before a resume
 */
public record TrainingResult(List<EpochMetrics> history, long steps) {
  /** Makes the history unmodifiable. */
  public TrainingResult {
    history = List.copyOf(history);
  }

  /** The last epoch's metrics, or null if no epoch ran. */
  public EpochMetrics last() {
    return history.isEmpty() ? null : history.get(history.size() - 1);
  }
}
