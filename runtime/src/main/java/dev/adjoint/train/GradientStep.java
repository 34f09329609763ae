package dev.adjoint.train;

import dev.adjoint.ops.Finite;
import dev.adjoint.ops.Parallelism;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Parameters;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * One optimizer step, the unit of every training loop: zero the gradient arrays, let the caller
 * add a batch's gradient into them, check that the loss and every gradient are finite, and only
 * then let the optimizer update the parameters in place. The {@link Trainer} runs one per batch;
 * a loop of your own, or a {@link TrainingSteps} whose gradient is computed elsewhere, runs the
 * same step and gets the same bits.
 *
 * <pre>{@code
 * GradientStep step = new GradientStep(params, new Adam(1e-3));     // Parameters, or float[][]
 * for (int k = 0; k < batches.batchCount(); k++) {
 *   int n = batches.fill(k);
 *   StepResult r = step.run(n, () -> ModelGrad.loss(w, b, batches.features(),
 *       Arrays.copyOf(batches.labels(), n), gradient));               // adds into the gradients
 *   if (r.diverged()) {
 *     throw new IllegalStateException(r.divergence());
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one per training loop.
 */
public final class GradientStep {
  private static final double[][] NO_DOUBLES = new double[0][];

  private final Optimizer optimizer;
  /** The float parameters and their gradients, for {@code step(float[][], float[][])}. */
  private final float[][] params;
  private final float[][] grads;
  /** The Parameters form, or null for the array form. */
  private final Parameters parameters;
  private final double[][] doubleGrads;

  /**
   * A step over {@code float} parameter arrays, with gradient arrays of its own ({@link
   * #gradients()}), updated by {@link Optimizer#step(float[][], float[][])}.
   *
   * @param params the parameters, updated in place; kept, not copied
   */
  public GradientStep(float[][] params, Optimizer optimizer) {
    this(params, zerosLike(params), optimizer);
  }

  /**
   * A step over {@code float} parameter arrays whose gradients go into the caller's arrays
   * {@code grads} (the same lengths), reused from step to step.
   */
  public GradientStep(float[][] params, float[][] grads, Optimizer optimizer) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(grads, "grads");
    if (params.length != grads.length) {
      throw new IllegalArgumentException(
          params.length + " parameter arrays but " + grads.length + " gradient arrays");
    }
    for (int k = 0; k < params.length; k++) {
      if (params[k].length != grads[k].length) {
        throw new IllegalArgumentException("parameter " + k + " has length " + params[k].length
            + " but its gradient has length " + grads[k].length);
      }
    }
    this.params = params.clone();
    this.grads = grads.clone();
    this.parameters = null;
    this.doubleGrads = NO_DOUBLES;
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
  }

  /**
   * A step over parameters of any shape and type, each paired with its gradient array (typically
   * a generated accumulator's buffers), updated by {@link Optimizer#step(Parameters)}.
   */
  public GradientStep(Parameters params, Optimizer optimizer) {
    this.parameters = Objects.requireNonNull(params, "params");
    this.params = params.floatValues();
    this.grads = params.floatGradients();
    this.doubleGrads = params.doubleGradients();
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
  }

  /**
   * The {@code float} gradient arrays, one per {@code float} parameter array in order (for
   * {@link Parameters}, each row of a 2-D parameter is one array), zeroed by {@link #run} before
   * it calls its gradient.
   */
  public float[][] gradients() {
    return grads.clone();
  }

  /** The optimizer that updates the parameters. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * Runs the step: zeroes every gradient array, calls {@code lossAndGradient} (which adds the
   * batch's gradient into them and returns the batch's mean loss), and updates the parameters
   * unless the loss or a gradient is NaN or infinite.
   *
   * @param samples the examples in the batch, at least 1 (reported, not used)
   * @return the loss and samples, or a divergence naming what is not finite (the parameters and
   *     the optimizer are then as before the step)
   */
  public StepResult run(long samples, DoubleSupplier lossAndGradient) {
    for (float[] g : grads) {
      // Split as the optimizer splits its update: each thread zeroes lines it will read.
      Parallelism.forRange(g.length, (from, to) -> Arrays.fill(g, from, to, 0f));
    }
    for (double[] g : doubleGrads) {
      Parallelism.forRange(g.length, (from, to) -> Arrays.fill(g, from, to, 0d));
    }
    double loss = lossAndGradient.getAsDouble();
    String problem = nonFinite(loss);
    if (problem != null) {
      return StepResult.diverged(samples, problem);
    }
    if (parameters == null) {
      optimizer.step(params, grads);
    } else {
      optimizer.step(parameters);
    }
    return StepResult.of(loss, samples);
  }

  /** Describes what is not finite, or returns null if the loss and all gradients are. */
  private String nonFinite(double loss) {
    if (!Double.isFinite(loss)) {
      return "loss is " + loss;
    }
    for (int k = 0; k < grads.length; k++) {
      float[] g = grads[k];
      int i = Finite.firstNonFinite(g);
      if (i >= 0) {
        return "gradient of parameter " + k + " is " + g[i] + " at index " + i
            + " (loss " + loss + ")";
      }
    }
    for (int k = 0; k < doubleGrads.length; k++) {
      double[] g = doubleGrads[k];
      for (int i = 0; i < g.length; i++) {
        if (!Double.isFinite(g[i])) {
          return "gradient of double parameter " + k + " is " + g[i] + " at index " + i
              + " (loss " + loss + ")";
        }
      }
    }
    return null;
  }

  private static float[][] zerosLike(float[][] params) {
    Objects.requireNonNull(params, "params");
    float[][] grads = new float[params.length][];
    for (int k = 0; k < params.length; k++) {
      grads[k] = new float[Objects.requireNonNull(params[k], "params[" + k + "]").length];
    }
    return grads;
  }
}
