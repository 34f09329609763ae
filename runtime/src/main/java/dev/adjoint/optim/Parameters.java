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
  private static final String[] NO_NAMES = new String[0];

  final float[][] floats;
  final float[][] floatGrads;
  final double[][] doubles;
  final double[][] doubleGrads;
  /** What each array is, for messages: {@code "parameter 2, row 1"}, {@code "Mlp.w[1]"}. */
  final String[] floatNames;
  final String[] doubleNames;

  private Parameters(
      float[][] floats, float[][] floatGrads, double[][] doubles, double[][] doubleGrads,
      String[] floatNames, String[] doubleNames) {
    this.floats = floats;
    this.floatGrads = floatGrads;
    this.doubles = doubles;
    this.doubleGrads = doubleGrads;
    this.floatNames = floatNames;
    this.doubleNames = doubleNames;
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

  /**
   * The arrays of a record of parameters, each paired with the same component of its gradient
   * record: every {@code float} and {@code double} array component, 1-D or 2-D, at any depth of
   * nested records, in declaration order. Other components (integral, boolean, their arrays)
   * and components marked {@code @NoDerivative} in the record's header are left alone.
   *
   * <p>For a model record whose floating components are all arrays, the usual case, built once
   * with the accumulator's field: the accumulator adds into the same arrays every step.
   *
   * <pre>{@code
   * ClassifierGrad.LossAccumulator gradient = ClassifierGrad.LossAccumulator.zerosLike(model);
   * Parameters params = Parameters.of(model, gradient.self);   // w with gradient.self.w(), b...
   * for (int step = 0; step < 10; step++) {
   *   gradient.clear();
   *   ClassifierGrad.loss(model, x, labels, gradient);
   *   optimizer.step(params);
   * }
   * }</pre>
   *
   * <p>A record with {@code float} or {@code double} scalar components cannot be updated in
   * place (records are immutable): step it with {@link Optimizer#step(Record, Record)}, which
   * returns the record with its new scalars.
   *
   * @param <R> the record type
   * @param params the parameters
   * @param grads their gradient, a record of the same type with arrays of the same shapes (an
   *     Adjoint gradient's component named like the parameter, {@code self} for a record method)
   * @return the parameters, which keep references to the records' arrays
   * @throws IllegalArgumentException if the records differ in type or shape, or hold a scalar
   *     component to step
   * @throws NullPointerException if a record or an array or record component is null
   */
  public static <R extends Record> Parameters of(R params, R grads) {
    RecordParameters.Flat flat = RecordParameters.flatten(params, grads);
    if (flat.hasScalars()) {
      throw new IllegalArgumentException(
          flat.firstScalar() + " is a scalar, which a record cannot update in place: step the"
              + " record itself, params = optimizer.step(params, grads), which returns it with"
              + " its new scalars");
    }
    return flat.parameters();
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
    private final List<String> floatNames = new ArrayList<>();
    private final List<String> doubleNames = new ArrayList<>();
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
      floatNames.add("parameter " + added);
      added++;
      return this;
    }

    /** A 1-D {@code float} parameter named {@code name} in messages (a record's component). */
    Builder add(float[] param, float[] grad, String name) {
      checkNamed(name, param.length, grad.length);
      floats.add(param);
      floatGrads.add(grad);
      floatNames.add(name);
      added++;
      return this;
    }

    /** A 1-D {@code double} parameter named {@code name} in messages. */
    Builder add(double[] param, double[] grad, String name) {
      checkNamed(name, param.length, grad.length);
      doubles.add(param);
      doubleGrads.add(grad);
      doubleNames.add(name);
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
        floatNames.add("parameter " + added + ", row " + i);
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
      doubleNames.add("parameter " + added);
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
        doubleNames.add("parameter " + added + ", row " + i);
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
          doubleGrads.toArray(NO_DOUBLES),
          floatNames.toArray(NO_NAMES),
          doubleNames.toArray(NO_NAMES));
    }

    private static void checkNamed(String name, int paramLength, int gradLength) {
      if (paramLength != gradLength) {
        throw new IllegalArgumentException(
            name + " has length " + paramLength + " but its gradient has length " + gradLength);
      }
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
