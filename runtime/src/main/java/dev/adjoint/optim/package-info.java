/**
 * Parameter initialisation, optimizers and learning-rate schedules.
 *
 * <p>Optimizers update {@code float} and {@code double} parameters in place from gradients of the
 * same shapes: a record of parameters with the gradient record Adjoint generates for it ({@link
 * dev.adjoint.optim.Optimizer#step(Record, Record)}, which returns the record with its scalar
 * components updated), or scalars, 1-D and 2-D arrays paired with their gradients in {@link
 * dev.adjoint.optim.Parameters}. Their state can be copied out and restored for checkpoints
 * ({@link dev.adjoint.optim.OptimizerState}). Everything here is deterministic: the same seeds
 * and inputs give bit-identical results.
 */
package dev.adjoint.optim;
