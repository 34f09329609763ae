/**
 * Stage 2 of the pipeline: puts a lowered function into the shape the analyses and the reverse
 * transform expect. {@link dev.adjoint.processor.normalize.ReturnNormalization} moves every jump
 * ({@code return}, {@code break}, {@code continue}) to the end of a path, with flags
 * ({@link dev.adjoint.processor.normalize.JumpFlags}) and deferred returns
 * ({@link dev.adjoint.processor.normalize.DeferredReturns}) where a jump cannot stay where it is
 * written, so that each path through a block is a straight sequence the reverse sweep can walk
 * back. {@link dev.adjoint.processor.normalize.UnreachableEnds} then drops the paths javac proved
 * can never reach the end of the method (after a {@code while (true)} that only a return leaves).
 * {@link dev.adjoint.processor.normalize.CountedForms} then, in every form and with the analyses
 * on or off, gives a {@code while (true)} the condition its exit test first or last in the body
 * stands for ({@link dev.adjoint.processor.normalize.ExitTests}) and moves a loop's steps of its
 * counters to the end of the body as one ({@link dev.adjoint.processor.normalize.IncrementsLast}),
 * where the counted-loop analysis finds them.
 */
package dev.adjoint.processor.normalize;
