package dev.adjoint.spark;

import dev.adjoint.optim.Optimizer;
import java.io.Serializable;

/**
 * Makes a fresh optimizer with a given learning rate, on the driver or in a task: {@code
 * Adam::new}, {@code lr -> new Momentum(lr, 0.9)}. Serializable, since local SGD builds one in
 * every task.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
  /** A new optimizer, before its first step. */
  Optimizer create(double learningRate);
}
