package dev.adjoint.spark;

import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Evaluator;
import java.io.Serializable;

/**
 * A model as Spark's tasks need it: serializable, so that it travels to the executors, and able
 * to build its loss over any set of parameter arrays there.
 *
 * <p>{@link #loss} typically wraps a gradient Adjoint generated, in its accumulating form: it is
 * called once per task with the parameters that task reads, and the returned {@link BatchLoss}
 * is then called for every batch of the task with the task's reused buffers.
 *
 * <pre>{@code
 * record Model(int in, int classes) implements SparkModel {
 *   public BatchLoss loss(float[][] p) {
 *     return (x, y, n, grads) -> SoftmaxGrad.loss(p[0], p[1], x, y, n, in, classes,
 *         new SoftmaxGrad.LossAccumulator(grads[0], grads[1]));
 *   }
 *   public Evaluator evaluator(float[][] p) { ... }
 * }
 * }</pre>
 */
public interface SparkModel extends Serializable {
  /**
   * The mean loss over a batch and its gradient with respect to {@code params}, added into the
   * gradient arrays the caller passes (see {@link BatchLoss}).
   *
   * @param params the parameter arrays the loss reads; they may change between calls (local SGD
   *     updates them in place)
   */
  BatchLoss loss(float[][] params);

  /** The loss and a predicted class per example, for held-out data (see {@link Evaluator}). */
  Evaluator evaluator(float[][] params);
}
