package dev.adjoint.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingResultTest {
  private static EpochMetrics epoch(int n, double accuracy) {
    return new EpochMetrics(n, 0.25 / n, 0.5 / n, accuracy, 0.1, 1.5, 40_000);
  }

  @Test
  void lastIsEmptyWhenNoEpochIsKnown() {
    TrainingResult none = new TrainingResult(List.of(), 120);
    assertTrue(none.last().isEmpty());
    assertEquals("TrainingResult[0 epochs, 120 steps]", none.toString());
  }

  @Test
  void toStringIsOneShortLineWhateverTheHistory() {
    List<EpochMetrics> many = new java.util.ArrayList<>();
    for (int n = 1; n <= 500; n++) {
      many.add(epoch(n, 0.9 + n / 10_000.0));
    }
    TrainingResult r = new TrainingResult(many, 9380);
    assertEquals(many.get(499), r.last().orElseThrow());
    assertEquals("TrainingResult[500 epochs, 9380 steps, last: train loss 0.0005000, test loss "
        + "0.001000, test accuracy 95.00%]", r.toString());
  }
}
