package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.constant;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Declarations moved to the top of the enclosing tail block. The reverse sweep of a branch or
 * loop body runs outside that branch or body (after the whole forward sweep of the tail block),
 * so a variable it reads must be declared where both sweeps see it; the forward code then only
 * assigns it.
 */
final class Hoisting {
  /** Per tail block being built, innermost first: the declarations moved to its top. */
  private final Deque<List<Stmt>> targets = new ArrayDeque<>();
  /** How many branches and loop bodies (blocks whose reverse runs elsewhere) enclose us. */
  private int splitDepth;

  /** Starts a tail block: later hoisted declarations go to its top. */
  void openBlock() {
    targets.push(new ArrayList<>());
  }

  /** Ends the innermost tail block; returns the declarations hoisted to its top. */
  List<Stmt> closeBlock() {
    return targets.pop();
  }

  /** Enters a branch or loop body, whose reverse sweep runs outside it. */
  void enterSplitBlock() {
    splitDepth++;
  }

  void leaveSplitBlock() {
    splitDepth--;
  }

  boolean insideSplitBlock() {
    return splitDepth > 0;
  }

  /** Declares a generated variable, hoisting it when the block's reverse runs elsewhere. */
  void declare(Var v, Expr init, List<Stmt> out) {
    if (insideSplitBlock()) {
      hoist(v);
      out.add(new Stmt.Assign(v, AssignOp.SET, init, Source.NONE));
    } else {
      out.add(new Stmt.Declare(v, init, Source.NONE));
    }
  }

  /** Declares {@code v}, with a zero, at the top of the innermost tail block. */
  void hoist(Var v) {
    if (targets.isEmpty()) {
      throw new IllegalStateException("nowhere to declare " + v);
    }
    List<Stmt> target = targets.peek();
    for (Stmt s : target) {
      if (s instanceof Stmt.Declare d && d.var() == v) {
        return; // a copy of the same declaration, made by jump normalisation
      }
    }
    Expr zero = v.type().dims() > 0 ? new Expr.Null(v.type())
        : v.type().equals(Type.BOOLEAN) ? new Expr.Const(false, Type.BOOLEAN)
        : constant(0, v.type());
    target.add(new Stmt.Declare(v, zero, Source.NONE));
  }
}
