package dev.adjoint.optim;

/**
 * The learning rate as a function of the epoch, counted from 0. A schedule is a pure function,
 * so a run resumed at epoch {@code e} gets the same rates as one that never stopped.
 *
 * <pre>{@code
 * LearningRateSchedule s = LearningRateSchedule.cosine(1e-3, 1e-5, 20);
 * optimizer.setLearningRate(s.rate(epoch));
 * }</pre>
 */
@FunctionalInterface
public interface LearningRateSchedule {
  /**
   * The learning rate for an epoch.
   *
   * @param epoch the epoch, counting from 0
   */
  double rate(int epoch);

  /** The same rate for every epoch. */
  static LearningRateSchedule constant(double rate) {
    requireRate(rate, "rate");
    return epoch -> {
      requireEpoch(epoch);
      return rate;
    };
  }

  /**
   * Step decay: {@code initial * gamma^floor(epoch / everyEpochs)}, so the rate is multiplied by
   * {@code gamma} after every {@code everyEpochs} epochs (PyTorch's {@code StepLR}).
   *
   * @param initial the rate of epoch 0
   * @param gamma the factor applied at each step, in (0, 1] for a decay
   * @param everyEpochs epochs between steps, positive
   */
  static LearningRateSchedule step(double initial, double gamma, int everyEpochs) {
    requireRate(initial, "initial");
    if (!(gamma > 0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("gamma must be finite and > 0, got " + gamma);
    }
    if (everyEpochs <= 0) {
      throw new IllegalArgumentException("everyEpochs must be positive, got " + everyEpochs);
    }
    return epoch -> {
      requireEpoch(epoch);
      return initial * Math.pow(gamma, epoch / everyEpochs);
    };
  }

  /**
   * Cosine annealing from {@code initial} at epoch 0 to {@code minimum} at epoch {@code
   * totalEpochs}: {@code minimum + (initial - minimum) * (1 + cos(pi * epoch / totalEpochs)) / 2}
   * (PyTorch's {@code CosineAnnealingLR} with {@code T_max = totalEpochs}, without restarts).
   * Epochs past {@code totalEpochs} stay at {@code minimum}. The last epoch of a run of {@code
   * totalEpochs} epochs, number {@code totalEpochs - 1}, is one step above the minimum.
   *
   * @param initial the rate of epoch 0
   * @param minimum the final rate, at most {@code initial}
   * @param totalEpochs the length of the decay, positive
   */
  static LearningRateSchedule cosine(double initial, double minimum, int totalEpochs) {
    requireRate(initial, "initial");
    requireRate(minimum, "minimum");
    if (minimum > initial) {
      throw new IllegalArgumentException(
          "minimum (" + minimum + ") must not exceed initial (" + initial + ")");
    }
    if (totalEpochs <= 0) {
      throw new IllegalArgumentException("totalEpochs must be positive, got " + totalEpochs);
    }
    return epoch -> {
      requireEpoch(epoch);
      int e = Math.min(epoch, totalEpochs);
      return minimum + (initial - minimum) * (1 + Math.cos(Math.PI * e / totalEpochs)) / 2;
    };
  }

  private static void requireRate(double rate, String name) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + rate);
    }
  }

  private static void requireEpoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
  }
}
