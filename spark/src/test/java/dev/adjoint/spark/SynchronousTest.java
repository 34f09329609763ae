package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Adam;
import dev.adjoint.optim.Momentum;
import dev.adjoint.optim.Sgd;
import dev.adjoint.train.GradientStep;
import dev.adjoint.train.TrainingResult;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Synchronous data-parallel SGD against the single-machine trainer. */
class SynchronousTest {
  private final MlpModel model = MlpModel.of(Fixtures.NET);

  @Test
  void onePartitionIsTheSingleMachineTrainerBitForBit() throws Exception {
    for (String optimizer : new String[] {"sgd", "adam"}) {
      float[][] single = Fixtures.params();
      TrainingResult expected = Fixtures.singleMachine(single,
          optimizer.equals("sgd") ? new Sgd(0.1) : new Adam(0.003), 2, 32);
      float[][] spark = Fixtures.params();
      TrainingResult actual = Fixtures.sparkRun(Fixtures.blocks(1), spark,
          optimizer.equals("sgd") ? Sgd::new : Adam::new, optimizer.equals("sgd") ? 0.1 : 0.003,
          2, 32, 0, model).build().fit();
      for (int k = 0; k < single.length; k++) {
        assertArrayEquals(single[k], spark[k], optimizer + ": parameter " + k);
      }
      assertEquals(Fixtures.losses(expected), Fixtures.losses(actual), optimizer);
      assertEquals(expected.last().orElseThrow().testAccuracy(), actual.last().orElseThrow().testAccuracy(), optimizer);
      assertEquals(expected.steps(), actual.steps());
    }
  }

  /**
   * Three partitions: the same bits run to run, whether the parts go to the driver directly or
   * through {@code treeAggregate}, whose merge order varies with the tasks' finishing order.
   */
  @Test
  void threePartitionsAreDeterministicRunToRunAndWithTreeAggregate() throws Exception {
    float[][] first = Fixtures.params();
    Fixtures.sparkRun(Fixtures.blocks(3), first, lr -> new Momentum(lr, 0.9), 0.05, 1, 30, 0,
        model).build().fit();
    float[][] second = Fixtures.params();
    Fixtures.sparkRun(Fixtures.blocks(3), second, lr -> new Momentum(lr, 0.9), 0.05, 1, 30, 0,
        model).treeAggregateAbove(0).build().fit();
    for (int k = 0; k < first.length; k++) {
      assertArrayEquals(first[k], second[k], "parameter " + k);
    }
    assertFalse(Arrays.equals(first[0], Fixtures.params()[0]), "training moved the weights");
  }

  /**
   * Three partitions' gradient of a global batch against one machine's gradient of the same
   * examples. Both are float sums of the same per-example terms, in other orders and with the
   * 1/n of the mean applied at another point, so each element may differ by the textbook bound
   * of reordered summation: {@code gamma * A}, {@code A} the sum of the terms' magnitudes (the
   * mean of the per-example gradients' absolute values) and {@code gamma = 2 n u}, {@code u =
   * 2^-24}. Observed differences are far below it.
   */
  @Test
  void threePartitionsGradientIsOneMachinesWithinFloatRounding() throws Exception {
    int partitions = 3;
    int batch = 48;
    float[][] params = Fixtures.params();
    var data = Fixtures.blocks(partitions).cache();
    Blocks.Summary summary = Blocks.summarize(data);
    Layout layout = new Layout(summary.sizes(), batch);
    PartitionSteps.Run run = new PartitionSteps.Run(data.id(), layout, model, Fixtures.SEED, 1);
    // Learning rate 0: each step leaves the parameters as they are, its gradient in `update`.
    GradientStep update = new GradientStep(params, new Sgd(0));
    SynchronousSteps steps = new SynchronousSteps(Fixtures.spark(), data, run, params, update,
        PartitionSum.TREE_ABOVE);
    var blocks = data.collect();
    double worst = 0;
    for (int step : new int[] {0, 5, layout.steps() - 1}) {
      int epoch = 1;
      steps.beginEpoch(epoch);
      int n = layout.globalSize(step);
      assertEquals(n, steps.step(step).samples());
      float[][] distributed = update.gradients();

      // The same examples on one machine, and the per-example magnitudes.
      float[] x = new float[n * 64];
      int[] y = new int[n];
      int at = 0;
      for (int p = 0; p < partitions; p++) {
        int[] order = new int[blocks.get(p).size()];
        Layout.order(order, Fixtures.SEED, p, epoch);
        int from = layout.from(p, step);
        int to = layout.from(p, step + 1);
        float[] xs = new float[(to - from) * 64];
        int[] ys = new int[to - from];
        blocks.get(p).gather(order, from, to, xs, ys);
        System.arraycopy(xs, 0, x, at * 64, xs.length);
        System.arraycopy(ys, 0, y, at, ys.length);
        at += to - from;
      }
      assertEquals(n, at);
      float[][] single = zeros(params);
      model.loss(params).lossAndGradient(x, y, n, single);
      double[][] magnitude = new double[params.length][];
      for (int k = 0; k < params.length; k++) {
        magnitude[k] = new double[params[k].length];
      }
      for (int i = 0; i < n; i++) {
        float[][] one = zeros(params);
        model.loss(params).lossAndGradient(Arrays.copyOfRange(x, i * 64, (i + 1) * 64),
            new int[] {y[i]}, 1, one);
        for (int k = 0; k < params.length; k++) {
          for (int j = 0; j < one[k].length; j++) {
            magnitude[k][j] += Math.abs(one[k][j]) / n;
          }
        }
      }
      double gamma = 2.0 * n * Math.ulp(1f) / 2;
      boolean differs = false;
      for (int k = 0; k < params.length; k++) {
        for (int j = 0; j < params[k].length; j++) {
          double diff = Math.abs(distributed[k][j] - single[k][j]);
          differs |= diff != 0;
          double bound = gamma * magnitude[k][j];
          assertTrue(diff <= bound, "step " + step + " parameter " + k + "[" + j + "]: "
              + distributed[k][j] + " vs " + single[k][j] + ", bound " + bound);
          if (bound > 0) {
            worst = Math.max(worst, diff / bound);
          }
        }
      }
      assertTrue(differs, "three partitions sum in another order than one machine");
    }
    System.out.printf("3 partitions vs one machine: largest difference %.3f of the bound%n",
        worst);
    data.unpersist();
  }

  private static float[][] zeros(float[][] like) {
    float[][] z = new float[like.length][];
    for (int k = 0; k < like.length; k++) {
      z[k] = new float[like[k].length];
    }
    return z;
  }
}
