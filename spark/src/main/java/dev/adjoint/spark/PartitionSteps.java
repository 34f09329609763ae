package dev.adjoint.spark;

import dev.adjoint.ops.Parallelism;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.OptimizerState;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.GradientStep;
import dev.adjoint.train.StepResult;
import java.io.Serializable;

/**
 * What one task does with its partition's cached {@link Block}: the gradient of its share of a
 * global batch (synchronous mode), or several local optimizer steps (local SGD). Both gather the
 * share's examples into the thread's reused buffers and call the model's accumulating gradient
 * once per batch.
 */
final class PartitionSteps {
  private PartitionSteps() {}

  /**
   * The fixed inputs of every task of one training run.
   *
   * @param rddId the cached data's RDD, keying the partitions' orders
   * @param layout how global batches are shared
   * @param model the model
   * @param seed the shuffling seed
   * @param threads threads for the ops inside a task
   */
  record Run(int rddId, Layout layout, SparkModel model, long seed, int threads)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Partition {@code p}'s weighted contribution to the gradient of global step {@code step}: its
   * share's mean gradient times {@code share / globalSize}, and its mean loss likewise, so that
   * the partitions' parts add up to the global batch's mean. A partition that has the whole batch
   * (one partition) returns its gradient as computed, unscaled.
   */
  static TreeSum.Part gradient(Run run, Block block, int p, int epoch, int step,
      float[][] params) {
    Parallelism.setThreads(run.threads());
    Layout layout = run.layout();
    int from = layout.from(p, step);
    int to = layout.from(p, step + 1);
    int share = to - from;
    if (share == 0) {
      return TreeSum.Part.empty();
    }
    int[] order = TaskBuffers.order(run.rddId(), p, block.size(), run.seed(), epoch);
    TaskBuffers buffers = TaskBuffers.get();
    int d = block.featuresPerExample();
    float[] x = buffers.x(share * d);
    int[] y = buffers.y(share);
    block.gather(order, from, to, x, y);
    float[][] grads = buffers.zeroGradients(params);
    double loss = run.model().loss(params).lossAndGradient(x, y, share, grads);

    int n = layout.globalSize(step);
    float[][] out = new float[grads.length][];
    if (share == n) {
      for (int k = 0; k < grads.length; k++) {
        out[k] = grads[k].clone();
      }
      return TreeSum.Part.of(out, loss, share);
    }
    double weight = (double) share / n;
    float w = (float) weight;
    for (int k = 0; k < grads.length; k++) {
      float[] g = grads[k];
      float[] o = out[k] = new float[g.length];
      for (int i = 0; i < g.length; i++) {
        o[i] = g[i] * w;
      }
    }
    return TreeSum.Part.of(out, loss * weight, share);
  }

  /**
   * The parameters to start a round of local SGD from, the optimizer's state and learning rate:
   * what every task of the round reads from the broadcast.
   */
  record RoundStart(float[][] params, String algorithm, long steps, double learningRate,
      float[][] buffers) implements Serializable {
    private static final long serialVersionUID = 1L;

    static RoundStart of(float[][] params, OptimizerState state, double learningRate) {
      return new RoundStart(params, state.algorithm(), state.steps(), learningRate,
          state.buffers());
    }

    OptimizerState state() {
      return new OptimizerState(algorithm, steps, learningRate, buffers);
    }
  }

  /**
   * Runs partition {@code p}'s local steps {@code first} to {@code last - 1} of epoch {@code
   * epoch} (its shares of those global steps) from the round's start, and returns its parameters
   * and optimizer buffers, in that order, with its summed loss ({@code mean loss x share} per
   * step) and sample count. A partition with no examples in the round returns an empty part.
   */
  static TreeSum.Part localSteps(Run run, Block block, int p, int epoch, int first, int last,
      RoundStart start, OptimizerFactory factory) {
    Parallelism.setThreads(run.threads());
    Layout layout = run.layout();
    if (layout.from(p, first) == layout.from(p, last)) {
      return TreeSum.Part.empty();
    }
    int[] order = TaskBuffers.order(run.rddId(), p, block.size(), run.seed(), epoch);
    TaskBuffers buffers = TaskBuffers.get();
    // The broadcast value may be the driver's own arrays (local mode): work on a copy.
    float[][] params = buffers.copyOfParameters(start.params());
    Optimizer optimizer = factory.create(start.learningRate());
    optimizer.restore(start.state());
    optimizer.setLearningRate(start.learningRate());
    BatchLoss loss = run.model().loss(params);
    float[][] grads = buffers.gradients(params);
    GradientStep update = new GradientStep(params, grads, optimizer);
    int d = block.featuresPerExample();
    double lossSum = 0;
    long samples = 0;
    for (int step = first; step < last; step++) {
      int from = layout.from(p, step);
      int share = layout.from(p, step + 1) - from;
      if (share == 0) {
        continue;
      }
      float[] x = buffers.x(share * d);
      int[] y = buffers.y(share);
      block.gather(order, from, from + share, x, y);
      StepResult result = update.run(share, () -> loss.lossAndGradient(x, y, share, grads));
      samples += share;
      if (result.diverged()) {
        // The driver sees a NaN loss and stops the run, naming the round.
        lossSum = Double.NaN;
        break;
      }
      lossSum += share * result.loss();
    }
    float[][] state = optimizer.state().buffers();
    float[][] out = new float[params.length + state.length][];
    for (int k = 0; k < params.length; k++) {
      out[k] = params[k].clone();
    }
    System.arraycopy(state, 0, out, params.length, state.length);
    return TreeSum.Part.of(out, lossSum, samples);
  }
}
