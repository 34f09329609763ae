package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Sgd;
import org.junit.jupiter.api.Test;

/** The executors' JIT warm-up: runs the model's step until closed, one per JVM at a time. */
class TaskWarmUpTest {
  @Test
  void runsTheStepUntilClosedOnePerJvmAtATime() {
    float[][] params = Fixtures.params();
    int[] shapes = new int[params.length];
    for (int k = 0; k < params.length; k++) {
      shapes[k] = params[k].length;
    }
    TaskWarmUp warmUp = new TaskWarmUp(MlpModel.of(Fixtures.NET), shapes, 64, 10, 16, 1,
        Sgd::new);
    TaskWarmUp.Running running = warmUp.start();
    assertNotNull(running);
    // A second task of the same JVM shares the first one's compiled code.
    assertNull(warmUp.start());
    while (running.steps() < 20 && running.running()) {
      Thread.onSpinWait();
    }
    running.close();
    assertTrue(running.steps() >= 20, "steps " + running.steps());
    assertFalse(running.running());
    // Closed, it can start again (the next training run in this JVM).
    try (TaskWarmUp.Running again = warmUp.start()) {
      assertNotNull(again);
    }
  }
}
