/**
 * The forward-mode transform, beside reverse mode: {@link
 * dev.adjoint.processor.forward.ForwardMode} gives each statement that changes a varied value
 * ({@link dev.adjoint.processor.forward.Variedness}) the update of its tangent, by the rules of
 * {@link dev.adjoint.processor.forward.TangentRules} (reverse mode's derivative tables applied to
 * tangents; calls through the callee's JVP form, its directional derivative in a Hessian-vector
 * product, or a hand-written {@code @JvpOf}), with like terms collected by
 * {@link dev.adjoint.processor.forward.TangentSums} and a common power of two moved out of a
 * tangent that only sums ({@link dev.adjoint.processor.forward.ScaledAccumulators}). Its output
 * is the JVP form, and the directional derivative whose gradient (reverse mode) is the
 * Hessian-vector product.
 */
package dev.adjoint.processor.forward;
