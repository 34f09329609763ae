package dev.adjoint.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The parameters an {@link Optimizer} updates, each paired with the array that holds its gradient:
 * {@code float} and {@code double} parameters of any shape ({@link Scalar} and {@link FloatScalar}
 * for scalars, 1-D and 2-D arrays), in any mix.
 *
 * <p>Build it once, before the training loop: it keeps references to the arrays, not copies, so
 * each {@link Optimizer#step(Parameters)} reads the gradients as they are then and updates the
 * parameters in place. The gradient arrays are typically the buffers of an Adjoint-generated
 * accumulator:
 *
 * <pre>{@code
 * ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
 * Parameters params = Parameters.builder().add(w, gradient.w).add(b, gradient.b).build();
 * for (int step = 0; step < 10; step++) {
 *   gradient.clear();
 *   ModelGrad.loss(w, b, x, labels, gradient);
 *   optimizer.step(params);
 * }
 * }</pre>
 *
 * <p>The optimizer treats every row of a 2-D array as its own tensor (updates are element-wise,
 * so this changes nothing), and remembers the shapes of the first step: later steps must pass
 * parameters of the same shapes, in the same order.
 */
public final class Parameters {
  private static final float[][] NO_FLOATS = new float[0][];
  private static final double[][] NO_DOUBLES = new double[0][];

  final float[][] floats;
  final float[][] floatGrads;
  final double[][] doubles;
  final double[][] doubleGrads;

  private Parameters(
      float[][] floats, float[][] floatGrads, double[][] doubles, double[][] doubleGrads) {
    this.floats = floats;
    this.floatGrads = floatGrads;
    this.doubles = doubles;
    this.doubleGrads = doubleGrads;
  }

  /** Starts an empty list of parameters. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code float} tensors and their gradients, {@code grads[k]} for {@code params[k]}: the form
   * {@link Optimizer#step(float[][], float[][])} takes.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Parameters of(float[][] params, float[][] grads) {
    return builder().add(params, grads).build();
  }

  /**
   * {@code double} tensors and their gradients, {@code grads[k]} for {@code params[k]}.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static Parameters of(double[][] params, double[][] grads) {
    return builder().add(params, grads).build();
  }

  /** The number of scalar parameters, over every array. */
  public long count() {
    long n = 0;
    for (float[] p : floats) {
      n += p.length;
    }
    for (double[] p : doubles) {
      n += p.length;
    }
    return n;
  }

  /**
   * The {@code float} parameter arrays in the order added, each row of a 2-D parameter being one
   * array: a new outer array whose elements are the parameters' own arrays.
   */
  public float[][] floatValues() {
    return floats.clone();
  }

  /** The gradient arrays of {@link #floatValues()}, in the same order: the arrays given. */
  public float[][] floatGradients() {
    return floatGrads.clone();
  }

  /** The {@code double} parameter arrays, as {@link #floatValues()} lists the float ones. */
  public double[][] doubleValues() {
    return doubles.clone();
  }

  /** The gradient arrays of {@link #doubleValues()}, in the same order: the arrays given. */
  public double[][] doubleGradients() {
    return doubleGrads.clone();
  }

  @Override
  public String toString() {
    return "Parameters[" + count() + " values in " + floats.length + " float and "
        + doubles.length + " double arrays]";
  }

  /** Collects parameters with their gradients; every {@code add} checks that the shapes agree. */
  public static final class Builder {
    private final List<float[]> floats = new ArrayList<>();
    private final List<float[]> floatGrads = new ArrayList<>();
    private final List<double[]> doubles = new ArrayList<>();
    private final List<double[]> doubleGrads = new ArrayList<>();
    /** Calls of {@code add} so far, to name a parameter in messages. */
    private int added;

    private Builder() {}

    /**
     * A 1-D {@code float} parameter.
     *
     * @param param the values, updated in place
     * @param grad its gradient, of the same length
     * @return this builder
     */
    public Builder add(float[] param, float[] grad) {
      check(param == null || grad == null, lengthOf(param), lengthOf(grad), "");
      floats.add(param);
      floatGrads.add(grad);
      added++;
      return this;
    }

    /**
     * A 2-D {@code float} parameter (rows may differ in length).
     *
     * @param param the values, updated in place
     * @param grad its gradient, of the same shape
     * @return this builder
     */
    public Builder add(float[][] param, float[][] grad) {
      check(param == null || grad == null, lengthOf(param), lengthOf(grad), "");
      for (int i = 0; i < param.length; i++) {
        check(param[i] == null || grad[i] == null, lengthOf(param[i]), lengthOf(grad[i]),
            "row " + i + " ");
      }
      for (int i = 0; i < param.length; i++) {
        floats.add(param[i]);
        floatGrads.add(grad[i]);
      }
      added++;
      return this;
    }

    /**
     * A 1-D {@code double} parameter.
     *
     * @param param the values, updated in place
     * @param grad its gradient, of the same length
     * @return this builder
     */
    public Builder add(double[] param, double[] grad) {
      check(param == null || grad == null, lengthOf(param), lengthOf(grad), "");
      doubles.add(param);
      doubleGrads.add(grad);
      added++;
      return this;
    }

    /**
     * A 2-D {@code double} parameter (rows may differ in length).
     *
     * @param param the values, updated in place
     * @param grad its gradient, of the same shape
     * @return this builder
     */
    public Builder add(double[][] param, double[][] grad) {
      check(param == null || grad == null, lengthOf(param), lengthOf(grad), "");
      for (int i = 0; i < param.length; i++) {
        check(param[i] == null || grad[i] == null, lengthOf(param[i]), lengthOf(grad[i]),
            "row " + i + " ");
      }
      for (int i = 0; i < param.length; i++) {
        doubles.add(param[i]);
        doubleGrads.add(grad[i]);
      }
      added++;
      return this;
    }

    /**
     * A scalar {@code double} parameter; its gradient is {@link Scalar#grad()}.
     *
     * @param param the parameter, updated in place
     * @return this builder
     */
    public Builder add(Scalar param) {
      Objects.requireNonNull(param, "param");
      return add(param.value, param.grad);
    }

    /**
     * A scalar {@code float} parameter; its gradient is {@link FloatScalar#grad()}.
     *
     * @param param the parameter, updated in place
     * @return this builder
     */
    public Builder add(FloatScalar param) {
      Objects.requireNonNull(param, "param");
      return add(param.value, param.grad);
    }

    /** The parameters added so far, in order. */
    public Parameters build() {
      return new Parameters(
          floats.toArray(NO_FLOATS),
          floatGrads.toArray(NO_FLOATS),
          doubles.toArray(NO_DOUBLES),
          doubleGrads.toArray(NO_DOUBLES));
    }

    private void check(boolean isNull, int paramLength, int gradLength, String where) {
      if (isNull) {
        throw new NullPointerException(
            "parameter " + added + ": " + where + "the parameter or its gradient is null");
      }
      if (paramLength != gradLength) {
        throw new IllegalArgumentException(
            "parameter " + added + ": " + where + "has length " + paramLength
                + " but its gradient has length " + gradLength);
      }
    }

    private static int lengthOf(Object array) {
      return array == null ? -1 : java.lang.reflect.Array.getLength(array);
    }
  }
}
