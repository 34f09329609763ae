package dev.adjoint.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void constantIsConstant() {
    LearningRateSchedule s = LearningRateSchedule.constant(0.01);
    assertEquals(0.01, s.rate(0));
    assertEquals(0.01, s.rate(1000));
  }

  @Test
  void stepDecaysEveryFewEpochs() {
    LearningRateSchedule s = LearningRateSchedule.step(0.1, 0.5, 3);
    assertEquals(0.1, s.rate(0));
    assertEquals(0.1, s.rate(2));
    assertEquals(0.05, s.rate(3));
    assertEquals(0.05, s.rate(5));
    assertEquals(0.025, s.rate(6));
    assertEquals(0.1 * Math.pow(0.5, 10), s.rate(31), 1e-18);
  }

  @Test
  void cosineFallsFromInitialToMinimum() {
    LearningRateSchedule s = LearningRateSchedule.cosine(0.1, 0.01, 4);
    assertEquals(0.1, s.rate(0), 1e-15);
    // 0.01 + 0.09 * (1 + cos(pi / 4)) / 2
    assertEquals(0.0868198052, s.rate(1), 1e-10);
    assertEquals(0.055, s.rate(2), 1e-15);
    assertEquals(0.0231801948, s.rate(3), 1e-10);
    assertEquals(0.01, s.rate(4), 1e-15);
    assertEquals(0.01, s.rate(100), 1e-15);
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(-1));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0.1, 0.5, 0));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 0.2, 5));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(1).rate(-1));
  }
}
