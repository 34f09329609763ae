/**
 * Stage 1b of the pipeline, between the front end and normalisation: calls of small
 * {@code @Differentiable} helpers whose source is in this compilation are replaced by the
 * helper's lowered body ({@link dev.adjoint.processor.inline.CallInlining}), so that the gradient
 * of a caller that calls a helper in a loop costs what the body written inline costs: the
 * helper's forward pass runs once, and the reverse sweep differentiates its statements with the
 * caller's. Other calls (recursive ones, large or precompiled helpers, calls inside a branch of
 * {@code ?:}, {@code &&}, {@code ||} or in a loop header) keep calling the helper's generated
 * gradient.
 */
package dev.adjoint.processor.inline;
