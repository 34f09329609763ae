/**
 * Stage 6 of the pipeline: from IR to the generated {@code FooGrad} class, as Java source written
 * with JavaPoet ({@link dev.adjoint.processor.backend.GradClassWriter},
 * {@link dev.adjoint.processor.backend.StmtPrinter},
 * {@link dev.adjoint.processor.backend.ExprPrinter}). A gradient method too large for HotSpot to
 * compile, or for the JVM's limits, is split into parts
 * ({@link dev.adjoint.processor.backend.MethodSplitting}), guided by conservative estimates of
 * its bytecode and constant pool.
 */
package dev.adjoint.processor.backend;
