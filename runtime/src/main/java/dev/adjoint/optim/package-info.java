/**
 * Parameter initialisation, optimizers and learning-rate schedules for models whose parameters
 * are plain {@code float[]} arrays, one per tensor, in row-major order.
 *
 * <p>Optimizers update parameters in place from gradient arrays of the same shapes ({@link
 * dev.adjoint.optim.Optimizer#step}); their state can be copied out and restored for checkpoints
 * ({@link dev.adjoint.optim.OptimizerState}). Everything here is deterministic: the same seeds and
 * inputs give bit-identical results.
 */
package dev.adjoint.optim;
