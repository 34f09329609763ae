package dev.adjoint.train;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

  /**
   * The last epoch's metrics; empty when no epoch is known (a resumed run that had no epoch
   * left to train and no metrics CSV to read the earlier ones from).
   */
  public Optional<EpochMetrics> last() {
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  /**
   * One line: the epoch count, steps and the last epoch's losses and accuracy, such as {@code
   * TrainingResult[10 epochs, 9380 steps, last: train loss 0.0512, test loss 0.0789, test
   * accuracy 97.62%]}.
   */
  @Override
  public String toString() {
    String last = last().map(m -> String.format(Locale.ROOT,
            ", last: train loss %.4g, test loss %.4g, test accuracy %.2f%%",
            m.trainLoss(), m.testLoss(), 100 * m.testAccuracy()))
        .orElse("");
    return String.format(Locale.ROOT, "TrainingResult[%d epochs, %d steps%s]", history.size(),
        steps, last);
  }
}
