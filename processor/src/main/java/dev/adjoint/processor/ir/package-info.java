/**
 * The intermediate representation every stage works on: typed, side-effect-free expressions
 * ({@link dev.adjoint.processor.ir.Expr}) and structured statements
 * ({@link dev.adjoint.processor.ir.Stmt}) of one {@link dev.adjoint.processor.ir.Function}; the
 * same forms describe user code and generated code. Each expression lists its operands and each
 * statement its expressions, so that walkers reach every node;
 * {@link dev.adjoint.processor.ir.Exprs} builds the expressions of derivative code, folding the
 * trivial cases.
 */
package dev.adjoint.processor.ir;
