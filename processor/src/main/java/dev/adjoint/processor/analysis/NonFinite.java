package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.FiniteRules;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which values can be non-finite (infinite or NaN) although the function's arguments are finite,
 * and so which pullbacks can meet {@code 0 * Infinity = NaN}.
 *
 * <p>A value computed before its domain is checked ({@code r = Math.sqrt(x); if (x <= 0) return
 * 0; return r;}) does not reach the result on some paths; there its adjoint is 0, and a pullback
 * multiplying that 0 by a non-finite partial ({@code 0.5 / Math.sqrt(x)} at {@code x = -1})
 * would make the gradient NaN where the function is constant. The reverse sweep therefore runs
 * such a pullback only when the adjoint is non-zero. A partial can be non-finite when the
 * right-hand side divides by a non-constant, calls a function of {@link FiniteRules} that is not
 * finite, calls another differentiable or hand-derived function (whose partials are not known
 * here), or reads a variable that can hold a non-finite value: one assigned such an expression
 * anywhere (flow-insensitively, so arrays count as a whole). Parameters are taken to be finite.
 * Every other pullback (sums, products and finite functions of finite values: the dense layers,
 * dot products and activations of a training step) runs unguarded, at no cost.
 */
public final class NonFinite {
  private final Set<Var> variables;

  private NonFinite(Set<Var> variables) {
    this.variables = variables;
  }

  /** Analyses {@code f}'s body. */
  public static NonFinite of(Function f) {
    Set<Var> vars = new HashSet<>();
    NonFinite result = new NonFinite(vars);
    boolean changed = true;
    while (changed) {
      changed = result.visit(f.body());
    }
    return result;
  }

  /** True when {@code v} can hold a non-finite value (or, for an array, an element can). */
  public boolean canBeNonFinite(Var v) {
    return variables.contains(v);
  }

  /**
   * True when the value of {@code e}, or one of its partial derivatives, can be non-finite while
   * the variables this analysis deems finite are finite. Conditions and indices do not count.
   */
  public boolean canBeNonFinite(Expr e) {
    if (e instanceof Expr.Const || e instanceof Expr.StaticField || e instanceof Expr.Length
        || e instanceof Expr.Null) {
      return false;
    }
    if (e instanceof Expr.Read r) {
      return variables.contains(r.var());
    }
    if (e instanceof Expr.Index i) {
      return canBeNonFinite(i.array());
    }
    if (e instanceof Expr.Unary u) {
      return canBeNonFinite(u.operand());
    }
    if (e instanceof Expr.Cast c) {
      return c.type().isFloating() && canBeNonFinite(c.operand());
    }
    if (e instanceof Expr.Conditional c) {
      return canBeNonFinite(c.ifTrue()) || canBeNonFinite(c.ifFalse());
    }
    if (e instanceof Expr.Binary b) {
      if (b.op().isComparisonOrLogical() || !b.type().isFloating()) {
        return false;
      }
      if ((b.op() == BinaryOp.DIV || b.op() == BinaryOp.REM) && !nonZeroConstant(b.right())) {
        return true;
      }
      return canBeNonFinite(b.left()) || canBeNonFinite(b.right());
    }
    if (e instanceof Expr.LibraryCall c) {
      if (!c.type().isFloating()) {
        return false;
      }
      if (FiniteRules.canBeNonFinite(c.name())) {
        return true;
      }
      for (Expr a : c.args()) {
        if (canBeNonFinite(a)) {
          return true;
        }
      }
      return false;
    }
    if (e instanceof Expr.NewArray n) {
      if (n.elements() == null) {
        return false;
      }
      for (Expr a : n.elements()) {
        if (canBeNonFinite(a)) {
          return true;
        }
      }
      return false;
    }
    if (e instanceof Expr.RuntimeCall) {
      // Buffers of the scratch arena (the partial sums of interchanged loops): zeros.
      return false;
    }
    // Calls of other differentiable or hand-derived functions, whose values and partials are
    // not known here.
    return e.type().isDifferentiable() || e.type().dims() > 0;
  }

  /**
   * True when a partial derivative of {@code e} with respect to a variable it reads can be
   * non-finite: a sum's partials are 1 whatever its terms hold, a product's are its other
   * factors, a function's are evaluated at its arguments.
   */
  public boolean partialsCanBeNonFinite(Expr e) {
    if (e instanceof Expr.Const || e instanceof Expr.StaticField || e instanceof Expr.Length
        || e instanceof Expr.Null || e instanceof Expr.Read || e instanceof Expr.Index) {
      return false;
    }
    if (e instanceof Expr.Unary u) {
      return partialsCanBeNonFinite(u.operand());
    }
    if (e instanceof Expr.Cast c) {
      return c.type().isFloating() && partialsCanBeNonFinite(c.operand());
    }
    if (e instanceof Expr.Conditional c) {
      return partialsCanBeNonFinite(c.ifTrue()) || partialsCanBeNonFinite(c.ifFalse());
    }
    if (e instanceof Expr.Binary b) {
      if (b.op().isComparisonOrLogical() || !b.type().isFloating()) {
        return false;
      }
      return switch (b.op()) {
        case ADD, SUB -> partialsCanBeNonFinite(b.left()) || partialsCanBeNonFinite(b.right());
        case MUL -> canBeNonFinite(b.left()) || canBeNonFinite(b.right())
            || partialsCanBeNonFinite(b.left()) || partialsCanBeNonFinite(b.right());
        default -> !nonZeroConstant(b.right()) || canBeNonFinite(b.left())
            || partialsCanBeNonFinite(b.left());
      };
    }
    if (e instanceof Expr.LibraryCall c && c.type().isFloating()
        && !FiniteRules.canBeNonFinite(c.name())) {
      boolean readsArguments = FiniteRules.partialsReadArguments(c.name());
      for (Expr a : c.args()) {
        if (readsArguments && canBeNonFinite(a) || partialsCanBeNonFinite(a)) {
          return true;
        }
      }
      return false;
    }
    return canBeNonFinite(e);
  }

  private static boolean nonZeroConstant(Expr e) {
    return e instanceof Expr.Const c && c.asDouble() != 0 && Double.isFinite(c.asDouble());
  }

  private boolean visit(List<Stmt> stmts) {
    boolean changed = false;
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d) {
        if (d.init() != null && canBeNonFinite(d.init())) {
          changed |= variables.add(d.var());
        }
        // A row alias shares its elements with the array it is a row of.
        if (d.init() instanceof Expr.Index i && d.var().type().dims() > 0
            && variables.contains(d.var())) {
          changed |= variables.addAll(Uses.all(i.array()));
        }
      } else if (s instanceof Stmt.Assign a) {
        if (canBeNonFinite(a.value())
            || (a.op() == AssignOp.DIV || a.op() == AssignOp.REM) && !nonZeroConstant(a.value())) {
          changed |= variables.add(a.target());
        }
      } else if (s instanceof Stmt.Store st) {
        if (canBeNonFinite(st.value())
            || (st.op() == AssignOp.DIV || st.op() == AssignOp.REM)
                && !nonZeroConstant(st.value())) {
          changed |= variables.add(Uses.storeBase(st));
        }
      } else if (s instanceof Stmt.If i) {
        changed |= visit(i.then());
        changed |= visit(i.otherwise());
      } else if (s instanceof Stmt.Loop l) {
        changed |= visit(l.init());
        changed |= visit(l.body());
        changed |= visit(l.update());
      }
    }
    return changed;
  }
}
