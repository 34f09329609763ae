/**
 * Stage 5 of the pipeline: clean-up passes over the generated gradient body, so that it reads
 * like a hand-written gradient and runs as fast: constant adjoints propagated
 * ({@link dev.adjoint.processor.cleanup.ConstantAdjoints}), adjoints declared with their first
 * contribution ({@link dev.adjoint.processor.cleanup.FirstUpdates}), resets nothing reads dropped
 * ({@link dev.adjoint.processor.cleanup.DeadResets}) and negations folded into constants
 * ({@link dev.adjoint.processor.cleanup.NegationFolding}). Each pass keeps the values the
 * gradient computes; {@code ReverseMode} runs them in that order.
 */
package dev.adjoint.processor.cleanup;
