/**
 * Adjoint's annotation processor: a small compiler from {@code @Differentiable} methods to their
 * generated gradients. {@link dev.adjoint.processor.AdjointProcessor} wires the stages, one
 * package each: {@code frontend} (javac trees to IR), {@code normalize} (jumps to the ends of
 * paths), {@code transform} (loop interchange), {@code analysis} (activity, loops,
 * to-be-recorded), {@code reverse} (the reverse-mode transform, with the derivative tables of
 * {@code rules}), {@code cleanup} (tidying the gradient body) and {@code backend} (IR to Java
 * source). {@code ir} is what they share, {@code diagnostics} what users are told,
 * {@code naming} the names of generated code.
 */
package dev.adjoint.processor;
