/**
 * Stage 1 of the pipeline: from javac's trees to the IR, without asking javac to attribute method
 * bodies early. {@link dev.adjoint.processor.frontend.SignatureCheck} checks the annotated method;
 * {@link dev.adjoint.processor.frontend.MethodLowering} lowers its body, statements in
 * {@link dev.adjoint.processor.frontend.StatementLowering} and expressions in
 * {@link dev.adjoint.processor.frontend.ExpressionLowering}, with assignments and {@code ++}
 * (also inside expressions) in {@link dev.adjoint.processor.frontend.AssignmentLowering},
 * {@code switch} as if/else chains in {@link dev.adjoint.processor.frontend.SwitchLowering} and
 * {@code while (n-- > 0)} as a counted loop ({@link dev.adjoint.processor.frontend.CountingWhile});
 * names and calls resolved by
 * {@link dev.adjoint.processor.frontend.NameResolver} and
 * {@link dev.adjoint.processor.frontend.CalleeResolver}.
 * {@link dev.adjoint.processor.frontend.DroppedDerivatives} rejects an argument whose derivative
 * a call would drop without a word; {@link dev.adjoint.processor.frontend.ParameterCopies} lets
 * in-place code work on copies of the parameter arrays it writes, and
 * {@link dev.adjoint.processor.frontend.OutParameters} finds the array a void helper writes.
 * {@link dev.adjoint.processor.frontend.CustomDerivatives} and
 * {@link dev.adjoint.processor.frontend.CustomJvps} register hand-written pullbacks
 * ({@code @DerivativeOf}) and JVPs ({@code @JvpOf}).
 * Anything outside the supported subset
 * becomes a problem on the exact tree, and lowering goes on so that one compilation reports all
 * of them.
 */
package dev.adjoint.processor.frontend;
