/**
 * Derivative rules, as tables with one entry per function or operator, in the manner of JAX's
 * {@code defjvp} registry: {@link dev.adjoint.processor.rules.MathRules} for the
 * {@code java.lang.Math} functions (their partials, and whether the pullback reuses the value),
 * {@link dev.adjoint.processor.rules.OperatorRules} for the arithmetic operators. The reverse
 * transform multiplies a seed by these partials; a forward mode would apply the same entries to
 * tangents.
 */
package dev.adjoint.processor.rules;
