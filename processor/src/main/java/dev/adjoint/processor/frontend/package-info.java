/**
 * Stage 1 of the pipeline: from javac's trees to the IR, without asking javac to attribute method
 * bodies early. {@link dev.adjoint.processor.frontend.SignatureCheck} checks the annotated method;
 * {@link dev.adjoint.processor.frontend.MethodLowering} lowers its body, statements in
 * {@link dev.adjoint.processor.frontend.StatementLowering} and expressions in
 * {@link dev.adjoint.processor.frontend.ExpressionLowering}, names and calls resolved by
 * {@link dev.adjoint.processor.frontend.NameResolver} and
 * {@link dev.adjoint.processor.frontend.CalleeResolver}. Anything outside the supported subset
 * becomes a problem on the exact tree, and lowering goes on so that one compilation reports all
 * of them.
 */
package dev.adjoint.processor.frontend;
