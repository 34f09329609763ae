package dev.adjoint.spark;

import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.OptimizerState;
import java.util.Objects;

/**
 * The driver's side of local SGD, in the runtime's {@link Optimizer} shape so that the {@code
 * Trainer} sets its learning rate every epoch and checkpoints it like any other: its state is the
 * partitions' averaged optimizer state (the moments of Adam, the velocity of momentum), saved in
 * checkpoints as a normal state of that algorithm. {@link AveragingSteps} installs each round's
 * averaged parameters and state ({@link #install}); it takes no gradient steps itself.
 */
final class ParameterAveraging implements Optimizer {
  private OptimizerState state;
  private double learningRate;

  /** Starts from a fresh optimizer of the algorithm the tasks run. */
  ParameterAveraging(Optimizer fresh) {
    this.state = fresh.state();
    this.learningRate = fresh.learningRate();
  }

  /** The state the next round starts from. */
  OptimizerState current() {
    return state;
  }

  /** Installs a round's averaged parameters into {@code params} and its averaged state. */
  void install(float[][] params, float[][] averaged, OptimizerState averagedState) {
    for (int k = 0; k < params.length; k++) {
      System.arraycopy(averaged[k], 0, params[k], 0, params[k].length);
    }
    state = Objects.requireNonNull(averagedState, "averagedState");
  }

  /** Not supported: local SGD's rounds install averages, they take no gradient step here. */
  @Override
  public void step(float[][] params, float[][] grads) {
    throw new UnsupportedOperationException(
        "local SGD installs averaged parameters (install); it takes no gradient steps");
  }

  /** Not supported, as {@link #step(float[][], float[][])}. */
  @Override
  public void step(dev.adjoint.optim.Parameters params) {
    throw new UnsupportedOperationException(
        "local SGD installs averaged parameters (install); it takes no gradient steps");
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public void setLearningRate(double learningRate) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be finite and >= 0, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  @Override
  public long steps() {
    return state.steps();
  }

  @Override
  public OptimizerState state() {
    return new OptimizerState(state.algorithm(), state.steps(), learningRate,
        copy(state.buffers()));
  }

  @Override
  public void restore(OptimizerState saved) {
    if (!saved.algorithm().equals(state.algorithm())) {
      throw new IllegalArgumentException(
          "cannot restore " + saved.algorithm() + " state into local SGD with "
              + state.algorithm());
    }
    this.state = new OptimizerState(saved.algorithm(), saved.steps(), saved.learningRate(),
        copy(saved.buffers()));
    this.learningRate = saved.learningRate();
  }

  private static float[][] copy(float[][] arrays) {
    float[][] c = new float[arrays.length][];
    for (int i = 0; i < arrays.length; i++) {
      c[i] = arrays[i].clone();
    }
    return c;
  }
}
