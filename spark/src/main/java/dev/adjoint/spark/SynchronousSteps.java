package dev.adjoint.spark;

import dev.adjoint.train.GradientStep;
import dev.adjoint.train.StepResult;
import dev.adjoint.train.TrainingSteps;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel SGD as the runtime's {@code Trainer} drives it: step {@code s} of an
 * epoch is global step {@code s}, run as the runtime's {@link GradientStep} on the driver whose
 * gradient comes from the cluster. Each step broadcasts the parameters, has every partition add
 * the gradient of its share of the global batch ({@link PartitionSteps#gradient}), and sums the
 * parts in a fixed order ({@link PartitionSum}, {@link TreeSum}); the step then checks for NaN and
 * runs the driver's optimizer exactly as on one machine.
 */
final class SynchronousSteps implements TrainingSteps {
  private final JavaSparkContext sc;
  private final JavaRDD<Block> data;
  private final PartitionSteps.Run run;
  private final float[][] params;
  private final GradientStep update;
  private final float[][] grads;
  private final int treeAbove;
  private int epoch;

  SynchronousSteps(JavaSparkContext sc, JavaRDD<Block> data, PartitionSteps.Run run,
      float[][] params, GradientStep update, int treeAbove) {
    this.sc = sc;
    this.data = data;
    this.run = run;
    this.params = params;
    this.update = update;
    this.grads = update.gradients();
    this.treeAbove = treeAbove;
  }

  @Override
  public int beginEpoch(int epoch) {
    this.epoch = epoch;
    return run.layout().steps();
  }

  @Override
  public StepResult step(int step) {
    return update.run(run.layout().globalSize(step), () -> gradient(step));
  }

  /** Adds global step {@code step}'s gradient into the zeroed gradients; returns its loss. */
  private double gradient(int step) {
    Broadcast<float[][]> broadcast = sc.broadcast(params);
    try {
      TreeSum.Part total = PartitionSum.run(sc, data, run.layout().partitions(),
          new Gradient(run, broadcast, epoch, step), treeAbove);
      for (int k = 0; k < grads.length; k++) {
        float[] g = grads[k];
        float[] t = total.arrays()[k];
        for (int i = 0; i < g.length; i++) {
          g[i] += t[i];
        }
      }
      return total.scalar();
    } finally {
      broadcast.destroy();
    }
  }

  /** Partition {@code p}'s weighted gradient of one step. */
  private static final class Gradient extends PartitionSum.Task {
    private static final long serialVersionUID = 1L;
    private final PartitionSteps.Run run;
    private final Broadcast<float[][]> params;
    private final int epoch;
    private final int step;

    Gradient(PartitionSteps.Run run, Broadcast<float[][]> params, int epoch, int step) {
      this.run = run;
      this.params = params;
      this.epoch = epoch;
      this.step = step;
    }

    @Override
    TreeSum.Part compute(Block block, int p) {
      return PartitionSteps.gradient(run, block, p, epoch, step, params.value());
    }
  }
}
