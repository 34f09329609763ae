package dev.adjoint.spark;

import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.OptimizerState;
import java.util.Objects;

/**
 * The driver's side of local SGD, in the runtime's {@link Optimizer} shape so that the {@code
 * Trainer} drives it like any other: its "gradient" is the partitions' averaged parameters, which
 * {@link #step} installs, and its state is the partitions' averaged optimizer state (the moments
 * of Adam, the velocity of momentum), saved in checkpoints as a normal state of that algorithm.
 */
final class ParameterAveraging implements Optimizer {
  private OptimizerState state;
  private OptimizerState pending;
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

  /** The averaged state of a round, installed with its parameters by the next {@link #step}. */
  void offer(OptimizerState averaged) {
    this.pending = Objects.requireNonNull(averaged, "averaged");
  }

  /** Installs the averaged parameters ({@code averaged}) and the offered state. */
  @Override
  public void step(float[][] params, float[][] averaged) {
    if (pending == null) {
      throw new IllegalStateException("no averaged state offered for this round");
    }
    for (int k = 0; k < params.length; k++) {
      System.arraycopy(averaged[k], 0, params[k], 0, params[k].length);
    }
    state = pending;
    pending = null;
  }

  /**
   * Not supported: the averaged parameters come as float arrays, in the shape the {@code
   * Trainer} passes them to {@link #step(float[][], float[][])}.
   */
  @Override
  public void step(dev.adjoint.optim.Parameters params) {
    throw new UnsupportedOperationException(
        "local SGD averages float[] parameters; it is stepped with step(float[][], float[][])");
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
    this.pending = null;
  }

  private static float[][] copy(float[][] arrays) {
    float[][] c = new float[arrays.length][];
    for (int i = 0; i < arrays.length; i++) {
      c[i] = arrays[i].clone();
    }
    return c;
  }
}
