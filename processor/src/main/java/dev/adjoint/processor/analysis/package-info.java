/**
 * Stage 3 of the pipeline: facts about a normalised function that decide what its gradient must
 * compute and keep. {@link dev.adjoint.processor.analysis.Activity} (which variables carry a
 * derivative), {@link dev.adjoint.processor.analysis.Loops} (which loops are counted, which
 * locals are recomputed in reverse) and {@link dev.adjoint.processor.analysis.Recording} (which
 * overwritten values and branch directions the reverse sweep needs), with their helpers
 * ({@link dev.adjoint.processor.analysis.Uses} says which variables an expression reads).
 *
 * <p>With {@code -Aadjoint.analyses=off} every analysis answers conservatively (every floating
 * variable is active, every overwrite is saved), to check that the analyses never change a
 * gradient.
 */
package dev.adjoint.processor.analysis;
