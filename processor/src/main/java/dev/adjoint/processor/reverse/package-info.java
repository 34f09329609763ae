/**
 * Stage 4 of the pipeline: the reverse-mode transform, from a normalised, analysed function to the
 * body of its gradient method ({@link dev.adjoint.processor.reverse.ReverseMode}). Each block that
 * ends in a return becomes its forward sweep ({@link dev.adjoint.processor.reverse.ForwardSweep}:
 * the user's code plus what the reverse sweep needs recorded) followed by its reverse sweep
 * ({@link dev.adjoint.processor.reverse.ReverseSweep}: the chain rule, statement by statement
 * backwards, through {@link dev.adjoint.processor.reverse.Propagation} and the rules of
 * {@code rules}); loops run backwards ({@link dev.adjoint.processor.reverse.LoopReversal}), fused
 * with their forward loop where they can ({@link dev.adjoint.processor.reverse.LoopFusion}).
 */
package dev.adjoint.processor.reverse;
