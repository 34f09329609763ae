package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Adam;
import dev.adjoint.optim.Sgd;
import dev.adjoint.train.TrainingResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.junit.jupiter.api.Test;

/** Local SGD with periodic averaging. */
class LocalSgdTest {
  private final MlpModel model = MlpModel.of(Fixtures.NET);

  /**
   * With one partition the average is that partition's own parameters and optimizer state, so K
   * local steps per round are the single-machine trainer's steps, Adam's moments carried from
   * round to round through the broadcast state.
   */
  @Test
  void onePartitionIsTheSingleMachineTrainerBitForBit() throws Exception {
    float[][] single = Fixtures.params();
    Fixtures.singleMachine(single, new Adam(0.003), 2, 32);
    float[][] spark = Fixtures.params();
    Fixtures.sparkRun(Fixtures.blocks(1), spark, Adam::new, 0.003, 2, 32, 4, model).build()
        .fit();
    for (int k = 0; k < single.length; k++) {
      assertArrayEquals(single[k], spark[k], "parameter " + k);
    }
  }

  /**
   * With K = 1 and plain SGD the average of {@code w - lr g_p} is synchronous SGD's {@code w - lr
   * mean(g)}, up to rounding: parameters agree to float precision after an epoch.
   */
  @Test
  void oneLocalStepWithSgdIsSynchronousSgdUpToRounding() throws Exception {
    float[][] sync = Fixtures.params();
    Fixtures.sparkRun(Fixtures.blocks(2), sync, Sgd::new, 0.1, 1, 32, 0, model).build().fit();
    float[][] local = Fixtures.params();
    Fixtures.sparkRun(Fixtures.blocks(2), local, Sgd::new, 0.1, 1, 32, 1, model).build().fit();
    double largest = 0;
    for (int k = 0; k < sync.length; k++) {
      for (int i = 0; i < sync[k].length; i++) {
        largest = Math.max(largest, Math.abs(sync[k][i] - local[k][i]));
      }
    }
    assertTrue(largest < 1e-5, "largest difference " + largest);
  }

  @Test
  void averagingIsDeterministicAndLearns() throws Exception {
    float[][] first = Fixtures.params();
    TrainingResult a = Fixtures.sparkRun(Fixtures.blocks(3), first, Sgd::new, 0.1, 3, 30, 8,
        model).build().fit();
    float[][] second = Fixtures.params();
    TrainingResult b = Fixtures.sparkRun(Fixtures.blocks(3), second, Sgd::new, 0.1, 3, 30, 8,
        model).build().fit();
    for (int k = 0; k < first.length; k++) {
      assertArrayEquals(first[k], second[k], "parameter " + k);
    }
    assertEquals(Fixtures.losses(a), Fixtures.losses(b));
    assertTrue(a.last().orElseThrow().testAccuracy() > 0.85, "accuracy " + a.last().orElseThrow().testAccuracy());
    // 1438 examples, batch 30: 48 global steps, 6 rounds of 8 per epoch.
    assertEquals(3 * 6, a.steps());
  }

  /**
   * The rounds' jobs carry the run's name (no stack walk per job), and the thread's own call site
   * is back after the run.
   */
  @Test
  void roundsAreNamedJobsAndTheCallersNameIsRestored() throws Exception {
    JavaSparkContext sc = Fixtures.spark();
    List<String> stages = Collections.synchronizedList(new ArrayList<>());
    SparkListener listener = new SparkListener() {
      @Override
      public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        stages.add(submitted.stageInfo().name());
      }
    };
    sc.setLocalProperty(CallSite.SHORT, "the caller's");
    sc.sc().addSparkListener(listener);
    try {
      Fixtures.sparkRun(Fixtures.blocks(2), Fixtures.params(), Sgd::new, 0.1, 1, 64, 4, model)
          .build().fit();
      sc.sc().listenerBus().waitUntilEmpty();
    } finally {
      sc.sc().removeSparkListener(listener);
    }
    assertTrue(stages.contains("adjoint local SGD, 4 steps per round"), stages.toString());
    assertEquals("the caller's", sc.getLocalProperty(CallSite.SHORT));
    assertEquals(null, sc.getLocalProperty(CallSite.LONG));
    sc.setLocalProperty(CallSite.SHORT, null);
  }
}
