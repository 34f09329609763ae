package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.MathRules;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which variables expressions and statements read, in the senses the analyses need. */
public final class Uses {
  private Uses() {}

  /** Every variable {@code e} reads. */
  public static Set<Var> all(Expr e) {
    Set<Var> out = new LinkedHashSet<>();
    collectAll(e, out);
    return out;
  }

  private static void collectAll(Expr e, Set<Var> out) {
    if (e instanceof Expr.Read r) {
      out.add(r.var());
    } else if (e instanceof Expr.Unary u) {
      collectAll(u.operand(), out);
    } else if (e instanceof Expr.Binary b) {
      collectAll(b.left(), out);
      collectAll(b.right(), out);
    } else if (e instanceof Expr.Cast c) {
      collectAll(c.operand(), out);
    } else if (e instanceof Expr.Conditional c) {
      collectAll(c.condition(), out);
      collectAll(c.ifTrue(), out);
      collectAll(c.ifFalse(), out);
    } else if (e instanceof Expr.LibraryCall c) {
      c.args().forEach(a -> collectAll(a, out));
    } else if (e instanceof Expr.DiffCall c) {
      c.args().forEach(a -> collectAll(a, out));
    } else if (e instanceof Expr.GradCall c) {
      c.args().forEach(a -> collectAll(a, out));
    } else if (e instanceof Expr.Component c) {
      collectAll(c.record(), out);
    }
  }

  /**
   * The variables through which a derivative of {@code e} can flow: reads that reach the value
   * along differentiable operations only (not through conditions, integer casts, comparisons, or
   * {@code @NoDerivative} arguments).
   */
  public static Set<Var> differentiable(Expr e) {
    Set<Var> out = new LinkedHashSet<>();
    collectDifferentiable(e, out);
    return out;
  }

  private static void collectDifferentiable(Expr e, Set<Var> out) {
    if (!e.type().isFloating()) {
      return;
    }
    if (e instanceof Expr.Read r) {
      out.add(r.var());
    } else if (e instanceof Expr.Unary u) {
      collectDifferentiable(u.operand(), out);
    } else if (e instanceof Expr.Binary b) {
      collectDifferentiable(b.left(), out);
      collectDifferentiable(b.right(), out);
    } else if (e instanceof Expr.Cast c) {
      collectDifferentiable(c.operand(), out);
    } else if (e instanceof Expr.Conditional c) {
      collectDifferentiable(c.ifTrue(), out);
      collectDifferentiable(c.ifFalse(), out);
    } else if (e instanceof Expr.LibraryCall c) {
      List<Expr> partials = MathRules.partials(c);
      for (int i = 0; i < partials.size(); i++) {
        if (partials.get(i) != null) {
          collectDifferentiable(c.args().get(i), out);
        }
      }
    } else if (e instanceof Expr.DiffCall c) {
      for (int i = 0; i < c.args().size(); i++) {
        if (c.callee().params().get(i).differentiable()) {
          collectDifferentiable(c.args().get(i), out);
        }
      }
    }
  }

  /** True when {@code e} depends differentiably on one of {@code vars}. */
  public static boolean dependsOn(Expr e, Set<Var> vars) {
    for (Var v : differentiable(e)) {
      if (vars.contains(v)) {
        return true;
      }
    }
    return false;
  }

  /** Variables assigned or declared anywhere in {@code stmts}, nested blocks included. */
  public static Set<Var> assigned(List<Stmt> stmts) {
    Set<Var> out = new LinkedHashSet<>();
    collectAssigned(stmts, out);
    return out;
  }

  private static void collectAssigned(List<Stmt> stmts, Set<Var> out) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d) {
        out.add(d.var());
      } else if (s instanceof Stmt.Assign a) {
        out.add(a.target());
      } else if (s instanceof Stmt.If i) {
        collectAssigned(i.then(), out);
        collectAssigned(i.otherwise(), out);
      }
    }
  }

  /** True for operators whose result is a floating value computed from floating operands. */
  static boolean isArithmetic(BinaryOp op) {
    return op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV
        || op == BinaryOp.REM;
  }
}
