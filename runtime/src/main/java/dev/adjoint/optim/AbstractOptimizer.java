package dev.adjoint.optim;

import dev.adjoint.ops.Parallelism;
import java.util.Objects;

/**
 * What every optimizer here shares: the learning rate, weight decay, the step counter, shape
 * checks and per-parameter buffers allocated once. Subclasses only write the update rule.
 */
abstract class AbstractOptimizer implements Optimizer {
  private final String algorithm;
  private final int kinds;
  /** L2 penalty coefficient: the gradient used is {@code g + weightDecay * p}. */
  protected final double weightDecay;

  private double learningRate;
  private long steps;
  /** Parameter lengths seen by the first step or restore; null before. */
  private int[] lengths;
  /** {@code kinds * n} buffers, laid out as in {@link OptimizerState}; null before allocation. */
  private float[][] buffers;

  AbstractOptimizer(String algorithm, int kinds, double learningRate, double weightDecay) {
    this.algorithm = algorithm;
    this.kinds = kinds;
    setLearningRate(learningRate);
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
    }
    this.weightDecay = weightDecay;
  }

  @Override
  public final void step(float[][] params, float[][] grads) {
    checkShapes(params, grads);
    steps++;
    double lr = learningRate;
    long t = steps;
    for (int k = 0; k < params.length; k++) {
      int index = k;
      float[] p = params[k];
      float[] g = grads[k];
      if (Parallelism.splits(p.length)) {
        // Element-wise, so large arrays are updated by all threads, each in its own range.
        Parallelism.forRange(p.length, (from, to) -> update(index, p, g, lr, t, from, to));
      } else {
        update(k, p, g, lr, t, 0, p.length); // without the lambda: small steps allocate nothing
      }
    }
  }

  /**
   * Updates elements {@code [from, to)} of parameter {@code k} in place. Each element's update
   * must depend on that element alone: ranges of one array may run on different threads.
   *
   * @param t the number of this step, counting from 1
   */
  protected abstract void update(int k, float[] p, float[] g, double lr, long t, int from,
      int to);

  /** Buffer {@code kind} of parameter {@code k}. */
  protected final float[] buffer(int kind, int k) {
    return buffers[kind * lengths.length + k];
  }

  @Override
  public final double learningRate() {
    return learningRate;
  }

  @Override
  public final void setLearningRate(double learningRate) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be finite and >= 0, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  @Override
  public final long steps() {
    return steps;
  }

  @Override
  public final OptimizerState state() {
    float[][] copy = new float[buffers == null ? 0 : buffers.length][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = buffers[i].clone();
    }
    return new OptimizerState(algorithm, steps, learningRate, copy);
  }

  @Override
  public final void restore(OptimizerState state) {
    Objects.requireNonNull(state, "state");
    if (!state.algorithm().equals(algorithm)) {
      throw new IllegalArgumentException(
          "cannot restore " + state.algorithm() + " state into a " + algorithm + " optimizer");
    }
    float[][] source = state.buffers();
    int[] newLengths = null;
    float[][] newBuffers = null;
    // No buffers means "before the first step" (and always for stateless algorithms).
    if (source.length > 0) {
      if (kinds == 0 || source.length % kinds != 0) {
        throw new IllegalArgumentException(
            algorithm + " keeps " + kinds + " buffer(s) per parameter, the state has "
                + source.length + " buffers");
      }
      int n = source.length / kinds;
      newLengths = new int[n];
      newBuffers = new float[source.length][];
      for (int i = 0; i < source.length; i++) {
        int k = i % n;
        if (i < n) {
          newLengths[k] = source[i].length;
        } else if (source[i].length != newLengths[k]) {
          throw new IllegalArgumentException(
              "state buffer " + i + " has length " + source[i].length + ", expected "
                  + newLengths[k] + " like the other buffers of parameter " + k);
        }
        newBuffers[i] = source[i].clone();
      }
    }
    setLearningRate(state.learningRate());
    this.steps = state.steps();
    this.lengths = newLengths;
    this.buffers = newBuffers;
  }

  /** Validates the arrays and, on the first call, records their shapes and allocates buffers. */
  private void checkShapes(float[][] params, float[][] grads) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(grads, "grads");
    if (params.length != grads.length) {
      throw new IllegalArgumentException(
          params.length + " parameter arrays but " + grads.length + " gradient arrays");
    }
    if (lengths != null && lengths.length != params.length) {
      throw new IllegalArgumentException(
          "this optimizer was set up for " + lengths.length + " parameter arrays, got "
              + params.length);
    }
    for (int k = 0; k < params.length; k++) {
      if (params[k] == null || grads[k] == null) {
        throw new NullPointerException("params[" + k + "] or grads[" + k + "] is null");
      }
      if (params[k].length != grads[k].length) {
        throw new IllegalArgumentException(
            "params[" + k + "] has length " + params[k].length + " but grads[" + k + "] has "
                + grads[k].length);
      }
      if (lengths != null && lengths[k] != params[k].length) {
        throw new IllegalArgumentException(
            "params[" + k + "] has length " + params[k].length + ", this optimizer was set up for "
                + lengths[k]);
      }
    }
    if (lengths == null) {
      lengths = new int[params.length];
      buffers = new float[kinds * params.length][];
      for (int k = 0; k < params.length; k++) {
        lengths[k] = params[k].length;
        for (int j = 0; j < kinds; j++) {
          buffers[j * params.length + k] = new float[params[k].length];
        }
      }
    }
  }

  /** Checks a decay-style coefficient in [0, 1). */
  static double requireUnitInterval(double beta, String name) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
    }
    return beta;
  }
}
