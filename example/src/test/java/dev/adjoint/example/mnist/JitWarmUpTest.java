package dev.adjoint.example.mnist;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Sgd;
import org.junit.jupiter.api.Test;

/** {@link JitWarmUp} trains its own copy of the network until closed, then is gone. */
class JitWarmUpTest {
  @Test
  void runsWholeStepsUntilClosedAndThenStops() {
    Network net = new Network(new int[] {784, 16, 10}, Activation.RELU);
    JitWarmUp warmUp = JitWarmUp.start(net, 8, 16, () -> new Sgd(0.1), MlpTraining::opsLoss);
    long deadline = System.nanoTime() + 60_000_000_000L;
    // Waits for evidence of work (steps and an evaluation), not for a time.
    while (warmUp.steps() < 9 && warmUp.failure() == null && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    warmUp.close();
    assertNull(warmUp.failure(), "the step, the update and the evaluation ran without error");
    assertTrue(warmUp.steps() >= 9, "steps: " + warmUp.steps());
    assertFalse(warmUp.running(), "close() waits for the thread to end");
  }

  @Test
  void theLoopsModelWarmsUpToo() {
    Network net = new Network(new int[] {784, 16, 10}, Activation.RELU);
    JitWarmUp warmUp =
        JitWarmUp.start(net, 1, 256, () -> new Sgd(0.1), MlpTraining::loopsLoss);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (warmUp.steps() < 9 && warmUp.failure() == null && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    warmUp.close();
    assertNull(warmUp.failure());
    assertTrue(warmUp.steps() >= 9, "steps: " + warmUp.steps());
  }
}
