package dev.adjoint.spark;

import dev.adjoint.ops.Finite;
import dev.adjoint.optim.OptimizerState;
import dev.adjoint.train.StepResult;
import dev.adjoint.train.TrainingSteps;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Local SGD with periodic averaging (DL4J's parameter averaging) as the runtime's {@code Trainer}
 * drives it: step {@code r} of an epoch is a round of {@code k} global steps. Every partition
 * starts from the broadcast parameters and optimizer state, takes its own optimizer steps on its
 * shares of the round's global batches ({@link PartitionSteps#localSteps}), and the partitions'
 * parameters and optimizer buffers are averaged with equal weights, summed in a fixed order
 * ({@link PartitionSum}, {@link TreeSum}), then installed on the driver ({@link
 * ParameterAveraging}) unless they or the loss stopped being finite.
 *
 * <p>With {@code k = 1} and plain SGD this is synchronous SGD up to float rounding: the average of
 * {@code w - lr g_p} is {@code w - lr} times the average gradient.
 */
final class AveragingSteps implements TrainingSteps {
  private final JavaSparkContext sc;
  private final JavaRDD<Block> data;
  private final PartitionSteps.Run run;
  private final float[][] params;
  private final ParameterAveraging averaging;
  private final OptimizerFactory factory;
  private final int k;
  private final int treeAbove;
  private int epoch;

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
  public int beginEpoch(int epoch) {
    this.epoch = epoch;
    return (run.layout().steps() + k - 1) / k;
  }

  @Override
  public StepResult step(int round) {
    int first = round * k;
    int last = Math.min(run.layout().steps(), (round + 1) * k);
    int n = 0;
    for (int s = first; s < last; s++) {
      n += run.layout().globalSize(s);
    }
    OptimizerState start = averaging.current();
    PartitionSteps.RoundStart roundStart =
        PartitionSteps.RoundStart.of(params, start, averaging.learningRate());
    Broadcast<PartitionSteps.RoundStart> broadcast = sc.broadcast(roundStart);
    TreeSum.Part total;
    try {
      total = PartitionSum.run(sc, data, run.layout().partitions(),
          new Round(run, broadcast, factory, epoch, first, last), treeAbove);
    } finally {
      broadcast.destroy();
    }
    float[][] sums = total.arrays();
    int contributors = total.contributors();
    if (contributors > 1) {
      float inverse = 1f / contributors;
      for (float[] s : sums) {
        for (int i = 0; i < s.length; i++) {
          s[i] *= inverse;
        }
      }
    }
    double loss = total.scalar() / total.samples();
    String problem = nonFinite(loss, sums);
    if (problem != null) {
      return StepResult.diverged(n, problem);
    }
    float[][] buffers = new float[sums.length - params.length][];
    System.arraycopy(sums, params.length, buffers, 0, buffers.length);
    averaging.install(params, sums, new OptimizerState(start.algorithm(),
        start.steps() + (last - first), averaging.learningRate(), buffers));
    return StepResult.of(loss, n);
  }

  /** What of the round's mean loss and averaged parameters is not finite, or null. */
  private String nonFinite(double loss, float[][] averaged) {
    if (!Double.isFinite(loss)) {
      return "the partitions' mean loss is " + loss;
    }
    for (int p = 0; p < params.length; p++) {
      int i = Finite.firstNonFinite(averaged[p]);
      if (i >= 0) {
        return "averaged parameter " + p + " is " + averaged[p][i] + " at index " + i
            + " (mean loss " + loss + ")";
      }
    }
    return null;
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
