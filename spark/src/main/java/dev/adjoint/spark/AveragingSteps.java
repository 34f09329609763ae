package dev.adjoint.spark;

import dev.adjoint.optim.OptimizerState;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.BatchSource;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Local SGD with periodic averaging (DL4J's parameter averaging) as the runtime's {@code Trainer}
 * sees it: a batch source whose batch {@code r} is a round of {@code k} global steps, and a
 * "loss" that runs the round. Every partition starts from the broadcast parameters and optimizer
 * state, takes its own optimizer steps on its shares of the round's global batches ({@link
 * PartitionSteps#localSteps}), and the partitions' parameters and optimizer buffers are averaged
 * with equal weights, summed in a fixed order ({@link PartitionSum}, {@link TreeSum}). The average goes to {@link
 * ParameterAveraging}, which the trainer steps with it.
 *
 * <p>With {@code k = 1} and plain SGD this is synchronous SGD up to float rounding: the average of
 * {@code w - lr g_p} is {@code w - lr} times the average gradient.
 */
final class AveragingSteps implements BatchSource, BatchLoss {
  private final JavaSparkContext sc;
  private final JavaRDD<Block> data;
  private final PartitionSteps.Run run;
  private final float[][] params;
  private final ParameterAveraging averaging;
  private final OptimizerFactory factory;
  private final int k;
  private final int treeAbove;
  private int epoch;
  private int round;

  AveragingSteps(JavaSparkContext sc, JavaRDD<Block> data, PartitionSteps.Run run,
      float[][] params, ParameterAveraging averaging, OptimizerFactory factory, int k,
      int treeAbove) {
    if (k < 1) {
      throw new IllegalArgumentException("local SGD needs at least 1 step between averages, got "
          + k);
    }
    this.sc = sc;
    this.data = data;
    this.run = run;
    this.params = params;
    this.averaging = averaging;
    this.factory = factory;
    this.k = k;
    this.treeAbove = treeAbove;
  }

  @Override
  public int batches() {
    return (run.layout().steps() + k - 1) / k;
  }

  @Override
  public int batchSize() {
    return Math.multiplyExact(k, run.layout().batch());
  }

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
    this.round = batch;
    int n = 0;
    for (int s = first(); s < last(); s++) {
      n += run.layout().globalSize(s);
    }
    return n;
  }

  private int first() {
    return round * k;
  }

  private int last() {
    return Math.min(run.layout().steps(), (round + 1) * k);
  }

  @Override
  public double lossAndGradient(float[] x, int[] y, int n, float[][] averaged) {
    OptimizerState start = averaging.current();
    PartitionSteps.RoundStart roundStart =
        PartitionSteps.RoundStart.of(params, start, averaging.learningRate());
    Broadcast<PartitionSteps.RoundStart> broadcast = sc.broadcast(roundStart);
    TreeSum.Part total;
    try {
      total = PartitionSum.run(sc, data, run.layout().partitions(),
          new Round(run, broadcast, factory, epoch, first(), last()), treeAbove);
    } finally {
      broadcast.destroy();
    }
    float[][] sums = total.arrays();
    int contributors = total.contributors();
    float inverse = 1f / contributors;
    for (float[] s : sums) {
      if (contributors > 1) {
        for (int i = 0; i < s.length; i++) {
          s[i] *= inverse;
        }
      }
    }
    for (int p = 0; p < averaged.length; p++) {
      float[] a = averaged[p];
      float[] s = sums[p];
      for (int i = 0; i < a.length; i++) {
        a[i] += s[i];
      }
    }
    float[][] buffers = new float[sums.length - params.length][];
    System.arraycopy(sums, params.length, buffers, 0, buffers.length);
    averaging.offer(new OptimizerState(start.algorithm(), start.steps() + (last() - first()),
        averaging.learningRate(), buffers));
    return total.scalar() / total.samples();
  }

  /** Partition {@code p}'s parameters and optimizer state after its local steps of a round. */
  private static final class Round extends PartitionSum.Task {
    private static final long serialVersionUID = 1L;
    private final PartitionSteps.Run run;
    private final Broadcast<PartitionSteps.RoundStart> start;
    private final OptimizerFactory factory;
    private final int epoch;
    private final int first;
    private final int last;

    Round(PartitionSteps.Run run, Broadcast<PartitionSteps.RoundStart> start,
        OptimizerFactory factory, int epoch, int first, int last) {
      this.run = run;
      this.start = start;
      this.factory = factory;
      this.epoch = epoch;
      this.first = first;
      this.last = last;
    }

    @Override
    TreeSum.Part compute(Block block, int p) {
      return PartitionSteps.localSteps(run, block, p, epoch, first, last, start.value(), factory);
    }
  }
}
