package dev.adjoint.optim;

import dev.adjoint.ops.Parallelism;
import java.util.Objects;

/**
 * What every optimizer here shares: the learning rate, weight decay, the step counter, shape
 * checks and per-parameter buffers allocated once. Subclasses only write the update rule, once
 * for {@code float} and once for {@code double} parameters.
 */
abstract class AbstractOptimizer implements Optimizer {
  private static final float[][] NO_FLOATS = new float[0][];
  private static final double[][] NO_DOUBLES = new double[0][];

  private final String algorithm;
  private final int kinds;
  /** L2 penalty coefficient: the gradient used is {@code g + weightDecay * p}. */
  protected final double weightDecay;

  private double learningRate;
  private long steps;
  /** Lengths of the float and double parameter arrays seen by the first step or restore. */
  private int[] lengths;
  private int[] doubleLengths;
  /** {@code kinds * n} buffers, laid out as in {@link OptimizerState}; null before allocation. */
  private float[][] buffers;
  private double[][] doubleBuffers;
  /** The last records stepped, taken apart, reused while they come back (no scalars). */
  private RecordParameters.Flat lastRecords;

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
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(grads, "grads");
    step(params, grads, NO_DOUBLES, NO_DOUBLES);
  }

  @Override
  public final void step(Parameters params) {
    Objects.requireNonNull(params, "params");
    step(params.floats, params.floatGrads, params.doubles, params.doubleGrads,
        params.floatNames, params.doubleNames);
  }

  @Override
  public final <R extends Record> R step(R params, R grads) {
    RecordParameters.Flat flat = lastRecords;
    if (flat == null || !flat.isFor(params, grads)) {
      lastRecords = null;
      flat = RecordParameters.flatten(params, grads);
      if (!flat.hasScalars()) {
        lastRecords = flat;   // the same records next step: the same arrays, nothing to redo
      }
    }
    step(flat.parameters());
    return flat.updated();
  }

  private void step(float[][] params, float[][] grads, double[][] dParams, double[][] dGrads) {
    step(params, grads, dParams, dGrads, null, null);
  }

  private void step(float[][] params, float[][] grads, double[][] dParams, double[][] dGrads,
      String[] names, String[] doubleNames) {
    checkShapes(params, grads, dParams, dGrads, names, doubleNames);
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
    for (int k = 0; k < dParams.length; k++) {
      int index = k;
      double[] p = dParams[k];
      double[] g = dGrads[k];
      if (Parallelism.splits(p.length)) {
        Parallelism.forRange(p.length, (from, to) -> update(index, p, g, lr, t, from, to));
      } else {
        update(k, p, g, lr, t, 0, p.length);
      }
    }
  }

  /**
   * Updates elements {@code [from, to)} of float parameter {@code k} in place. Each element's
   * update must depend on that element alone: ranges of one array may run on different threads.
   *
   * @param t the number of this step, counting from 1
   */
  protected abstract void update(int k, float[] p, float[] g, double lr, long t, int from,
      int to);

  /** The {@code double} counterpart of the float update, computed in {@code double}. */
  protected abstract void update(int k, double[] p, double[] g, double lr, long t, int from,
      int to);

  /** Buffer {@code kind} of float parameter {@code k}. */
  protected final float[] buffer(int kind, int k) {
    return buffers[kind * lengths.length + k];
  }

  /** Buffer {@code kind} of double parameter {@code k}. */
  protected final double[] doubleBuffer(int kind, int k) {
    return doubleBuffers[kind * doubleLengths.length + k];
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
    double[][] doubleCopy = new double[doubleBuffers == null ? 0 : doubleBuffers.length][];
    for (int i = 0; i < doubleCopy.length; i++) {
      doubleCopy[i] = doubleBuffers[i].clone();
    }
    return new OptimizerState(algorithm, steps, learningRate, copy, doubleCopy);
  }

  @Override
  public final void restore(OptimizerState state) {
    Objects.requireNonNull(state, "state");
    if (!state.algorithm().equals(algorithm)) {
      throw new IllegalArgumentException(
          "cannot restore " + state.algorithm() + " state into a " + algorithm + " optimizer");
    }
    float[][] source = state.buffers();
    double[][] doubleSource = state.doubleBuffers();
    int[] newLengths = null;
    int[] newDoubleLengths = null;
    float[][] newBuffers = null;
    double[][] newDoubleBuffers = null;
    // No buffers means "before the first step" (and always for stateless algorithms).
    if (source.length > 0 || doubleSource.length > 0) {
      if (kinds == 0 || source.length % kinds != 0 || doubleSource.length % kinds != 0) {
        throw new IllegalArgumentException(
            algorithm + " keeps " + kinds + " buffer(s) per parameter, the state has "
                + source.length + " float and " + doubleSource.length + " double buffers");
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
      int m = doubleSource.length / kinds;
      newDoubleLengths = new int[m];
      newDoubleBuffers = new double[doubleSource.length][];
      for (int i = 0; i < doubleSource.length; i++) {
        int k = i % m;
        if (i < m) {
          newDoubleLengths[k] = doubleSource[i].length;
        } else if (doubleSource[i].length != newDoubleLengths[k]) {
          throw new IllegalArgumentException(
              "double state buffer " + i + " has length " + doubleSource[i].length
                  + ", expected " + newDoubleLengths[k]
                  + " like the other buffers of double parameter " + k);
        }
        newDoubleBuffers[i] = doubleSource[i].clone();
      }
    }
    setLearningRate(state.learningRate());
    this.steps = state.steps();
    this.lengths = newLengths;
    this.doubleLengths = newDoubleLengths;
    this.buffers = newBuffers;
    this.doubleBuffers = newDoubleBuffers;
  }

  /** Validates the arrays and, on the first call, records their shapes and allocates buffers. */
  private void checkShapes(float[][] params, float[][] grads, double[][] dParams,
      double[][] dGrads, String[] names, String[] doubleNames) {
    checkPairs("", params.length, grads.length, lengths, names);
    checkPairs("double ", dParams.length, dGrads.length, doubleLengths, doubleNames);
    for (int k = 0; k < params.length; k++) {
      if (params[k] == null || grads[k] == null) {
        throw new NullPointerException("params[" + k + "] or grads[" + k + "] is null");
      }
      checkLength("", k, params[k].length, grads[k].length, lengths, names);
    }
    for (int k = 0; k < dParams.length; k++) {
      checkLength("double ", k, dParams[k].length, dGrads[k].length, doubleLengths,
          doubleNames);
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
    if (doubleLengths == null) {
      doubleLengths = new int[dParams.length];
      doubleBuffers = new double[kinds * dParams.length][];
      for (int k = 0; k < dParams.length; k++) {
        doubleLengths[k] = dParams[k].length;
        for (int j = 0; j < kinds; j++) {
          doubleBuffers[j * dParams.length + k] = new double[dParams[k].length];
        }
      }
    }
  }

  private static void checkPairs(String type, int params, int grads, int[] expected,
      String[] names) {
    if (params != grads) {
      throw new IllegalArgumentException(
          params + " " + type + "parameter arrays but " + grads + " gradient arrays");
    }
    if (expected != null && expected.length != params) {
      throw new IllegalArgumentException(
          "this optimizer was set up for " + expected.length + " " + type
              + "parameter arrays, got " + params + listed(names));
    }
  }

  /** The names of the arrays, for a message about their number: the first eight. */
  private static String listed(String[] names) {
    if (names == null || names.length == 0) {
      return "";
    }
    int shown = Math.min(names.length, 8);
    return " (" + String.join(", ", java.util.Arrays.copyOf(names, shown))
        + (shown < names.length ? ", ..." : "") + ")";
  }

  private static void checkLength(String type, int k, int param, int grad, int[] expected,
      String[] names) {
    if (param != grad) {
      throw new IllegalArgumentException(
          name(type, k, names) + " has length " + param + " but "
              + (names == null ? "grads[" + k + "]" : "its gradient") + " has " + grad);
    }
    if (expected != null && expected[k] != param) {
      throw new IllegalArgumentException(
          name(type, k, names) + " has length " + param + ", this optimizer was set up for "
              + expected[k] + (names == null ? "" : " (" + type + "parameter array " + k + ")"));
    }
  }

  private static String name(String type, int k, String[] names) {
    return names == null ? type + "params[" + k + "]" : names[k];
  }

  /** Checks a decay-style coefficient in [0, 1). */
  static double requireUnitInterval(double beta, String name) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
    }
    return beta;
  }
}
