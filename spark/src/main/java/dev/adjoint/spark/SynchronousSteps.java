package dev.adjoint.spark;

import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.BatchSource;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel SGD as the runtime's {@code Trainer} sees it: a batch source whose
 * batch {@code s} is global step {@code s}, and a loss that computes that step's gradient on the
 * cluster. Each call broadcasts the parameters, has every partition add the gradient of its share
 * of the global batch ({@link PartitionSteps#gradient}), and sums the parts with {@code
 * treeAggregate} in a fixed order ({@link PartitionSum}, {@link TreeSum}). The trainer then runs the optimizer on the
 * driver, checks for NaN, reports, checkpoints, exactly as for one machine.
 */
final class SynchronousSteps implements BatchSource, BatchLoss {
  private final JavaSparkContext sc;
  private final JavaRDD<Block> data;
  private final PartitionSteps.Run run;
  private final float[][] params;
  private final int treeAbove;
  private int epoch;
  private int step;

  SynchronousSteps(JavaSparkContext sc, JavaRDD<Block> data, PartitionSteps.Run run,
      float[][] params, int treeAbove) {
    this.sc = sc;
    this.data = data;
    this.run = run;
    this.params = params;
    this.treeAbove = treeAbove;
  }

  @Override
  public int batches() {
    return run.layout().steps();
  }

  @Override
  public int batchSize() {
    return run.layout().batch();
  }

  /** The trainer's own buffers are not used: the examples stay in the partitions. */
  @Override
  public int sampleSize() {
    return 1;
  }

  @Override
  public void beginEpoch(int epoch) {
    this.epoch = epoch;
  }

  @Override
  public int fill(int batch, float[] x, int[] y) {
    this.step = batch;
    return run.layout().globalSize(batch);
  }

  @Override
  public double lossAndGradient(float[] x, int[] y, int n, float[][] grads) {
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
