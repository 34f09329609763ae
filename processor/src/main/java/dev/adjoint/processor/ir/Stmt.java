package dev.adjoint.processor.ir;

import java.util.List;

/** Statements of the IR; the same forms describe user code and generated code. */
public sealed interface Stmt {
  /** A local variable declaration; {@code init} may be null for a blank declaration. */
  record Declare(Var var, Expr init, Source source) implements Stmt {}

  /** {@code target op= value}. */
  record Assign(Var target, AssignOp op, Expr value, Source source) implements Stmt {}

  /** {@code if (condition) then else otherwise}; {@code otherwise} is empty when absent. */
  record If(Expr condition, List<Stmt> then, List<Stmt> otherwise, Source source)
      implements Stmt {}

  /** {@code return value}. */
  record Return(Expr value, Source source) implements Stmt {}

  /** A line comment in generated code. */
  record Comment(String text) implements Stmt {}

  /** An empty line in generated code, separating the sweeps. */
  record Blank() implements Stmt {}
}
