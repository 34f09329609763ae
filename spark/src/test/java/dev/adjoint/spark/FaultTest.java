package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Momentum;
import dev.adjoint.optim.Sgd;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Checkpoint;
import dev.adjoint.train.Evaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed tasks and a failed driver. */
class FaultTest {
  /** Calls of the model's loss in tasks of partition 1; a test arms a failure at one of them. */
  static final AtomicInteger CALLS = new AtomicInteger();
  static volatile int failAt = -1;
  static volatile boolean everyAttempt;
  static final AtomicInteger FAILURES = new AtomicInteger();

  /**
   * The digits model, failing the {@code failAt}-th task of partition 1 (its first attempt: the
   * retry is the next call), or with {@code everyAttempt} every task from it on.
   */
  record Failing(MlpModel model) implements SparkModel {
    @Override
    public BatchLoss loss(float[][] params) {
      TaskContext task = TaskContext.get();
      if (task != null && task.partitionId() == 1) {
        int call = CALLS.getAndIncrement();
        if (failAt >= 0 && (everyAttempt ? call >= failAt : call == failAt)) {
          FAILURES.incrementAndGet();
          throw new IllegalStateException("injected failure of task " + task.taskAttemptId());
        }
      }
      return model.loss(params);
    }

    @Override
    public Evaluator evaluator(float[][] params) {
      return model.evaluator(params);
    }
  }

  private final MlpModel model = MlpModel.of(Fixtures.NET);

  private static void arm(int at, boolean always) {
    CALLS.set(0);
    FAILURES.set(0);
    everyAttempt = always;
    failAt = at;
  }

  @Test
  void aTaskFailingOnItsFirstAttemptIsRetriedWithTheSameResult() throws Exception {
    for (int localSteps : new int[] {0, 4}) {
      float[][] clean = Fixtures.params();
      Fixtures.sparkRun(Fixtures.blocks(2), clean, lr -> new Momentum(lr, 0.9), 0.05, 1, 64,
          localSteps, model).build().fit();
      arm(2, false);
      float[][] retried = Fixtures.params();
      try {
        Fixtures.sparkRun(Fixtures.blocks(2), retried, lr -> new Momentum(lr, 0.9), 0.05, 1, 64,
            localSteps, new Failing(model)).build().fit();
      } finally {
        failAt = -1;
      }
      assertEquals(1, FAILURES.get(), "one task failed and was retried");
      for (int k = 0; k < clean.length; k++) {
        assertArrayEquals(clean[k], retried[k], "mode " + localSteps + ", parameter " + k);
      }
    }
  }

  /**
   * The driver's run dies in epoch 3 (a task that fails on every attempt aborts the job); a new
   * driver, with fresh parameter arrays and optimizer, resumes from the checkpoint of epoch 2
   * and ends where an uninterrupted run ends, bit for bit.
   */
  @Test
  void aDriverThatDiesResumesFromItsLastCheckpoint(@TempDir Path dir) throws Exception {
    Path checkpoint = dir.resolve("checkpoint.bin");
    Path csv = dir.resolve("metrics.csv");
    float[][] uninterrupted = Fixtures.params();
    Fixtures.sparkRun(Fixtures.blocks(2), uninterrupted, Sgd::new, 0.1, 4, 64, 0, model)
        .build().fit();

    // Partition 1 has one loss call per step: 12 steps per epoch at batch 64 (1438 examples).
    int stepsPerEpoch = (1438 + 63) / 64;
    arm(2 * stepsPerEpoch + 7, true);
    float[][] dying = Fixtures.params();
    try {
      SparkException e = assertThrows(SparkException.class,
          () -> Fixtures.sparkRun(Fixtures.blocks(2), dying, Sgd::new, 0.1, 4, 64, 0,
              new Failing(model)).checkpoint(checkpoint).metricsCsv(csv).build().fit());
      assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
    } finally {
      failAt = -1;
    }
    assertEquals(2, Checkpoint.load(checkpoint).epoch());

    float[][] resumed = Fixtures.params();
    var result = Fixtures.sparkRun(Fixtures.blocks(2), resumed, Sgd::new, 0.1, 4, 64, 0, model)
        .checkpoint(checkpoint).metricsCsv(csv).resumeFrom(checkpoint).build().fit();
    for (int k = 0; k < resumed.length; k++) {
      assertArrayEquals(uninterrupted[k], resumed[k], "parameter " + k);
    }
    assertEquals(4, result.history().size());
    assertEquals(5, Files.readAllLines(csv).size(), "header and four epochs");
    assertEquals(4, Checkpoint.load(checkpoint).epoch());
  }
}
