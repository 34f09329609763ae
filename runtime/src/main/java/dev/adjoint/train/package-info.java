/**
 * Training loop, checkpoints, metrics log and plots for models whose parameters are plain {@code
 * float[]} arrays.
 *
 * <p>{@link dev.adjoint.train.Trainer} runs the epochs: it takes batches from a {@link
 * dev.adjoint.train.BatchSource}, asks a {@link dev.adjoint.train.BatchLoss} for the loss and
 * gradient, updates the parameters with a {@link dev.adjoint.optim.Optimizer}, evaluates with an
 * {@link dev.adjoint.train.Evaluator}, reports progress, and can save a {@link
 * dev.adjoint.train.Checkpoint} after each epoch and resume from it with bit-identical results.
 */
package dev.adjoint.train;
