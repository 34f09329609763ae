package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.MathRules;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which variables expressions and statements read or write, in the senses the analyses need. */
public final class Uses {
  private Uses() {}

  /**
   * Every variable whose value {@code e} reads; for an array, reading any element counts as
   * reading the array. {@code a.length} reads nothing for an array variable that keeps its
   * array, and {@code a} for one that is given others ({@link Var#isReassignedArray}); {@code
   * w[i].length} reads {@code i} (the rows of a matrix may differ in length).
   */
  public static Set<Var> all(Expr e) {
    Set<Var> out = new LinkedHashSet<>();
    collectAll(e, out);
    return out;
  }

  private static void collectAll(Expr e, Set<Var> out) {
    if (e instanceof Expr.Read r) {
      out.add(r.var());
    } else if (e instanceof Expr.Length l) {
      Expr x = l.array();
      for (; x instanceof Expr.Index i; x = i.array()) {
        collectAll(i.index(), out);
      }
      if (x instanceof Expr.Read r && r.var().isReassignedArray()) {
        out.add(r.var()); // its length changes with the array it holds
      }
    } else {
      // A receiver (the tape, an accumulator) is not a value the function computes with.
      e.operands().forEach(a -> collectAll(a, out));
    }
  }

  /** The variables {@code stmts} declare, at any depth. */
  public static Set<Var> declared(List<Stmt> stmts) {
    Set<Var> out = new LinkedHashSet<>();
    for (Stmt s : Stmt.all(stmts, true)) {
      if (s instanceof Stmt.Declare d) {
        out.add(d.var());
      }
    }
    return out;
  }

  /**
   * The variables through which a derivative of {@code e} can flow: reads that reach the value
   * along differentiable operations only (not through conditions, indices, integer casts,
   * comparisons, or {@code @NoDerivative} arguments). An array counts when one of its elements
   * does.
   */
  public static Set<Var> differentiable(Expr e) {
    Set<Var> out = new LinkedHashSet<>();
    collectDifferentiable(e, out);
    return out;
  }

  private static void collectDifferentiable(Expr e, Set<Var> out) {
    if (!e.type().isDifferentiable()) {
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
    } else if (e instanceof Expr.CustomCall c) {
      for (int i = 0; i < c.args().size(); i++) {
        if (c.pullback().params().get(i).differentiable()) {
          collectDifferentiable(c.args().get(i), out);
        }
      }
    } else if (e instanceof Expr.Index i) {
      collectDifferentiable(i.array(), out);
    } else if (e instanceof Expr.NewArray n && n.elements() != null) {
      n.elements().forEach(a -> collectDifferentiable(a, out));
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

  /** Every variable the statements read, nested blocks included. */
  public static Set<Var> reads(List<Stmt> stmts) {
    Set<Var> out = new LinkedHashSet<>();
    for (Stmt s : Stmt.all(stmts, true)) {
      if (s instanceof Stmt.Declare d && d.init() != null) {
        out.addAll(all(d.init()));
      } else if (s instanceof Stmt.Assign a) {
        out.addAll(all(a.value()));
        if (a.op() != AssignOp.SET) {
          out.add(a.target());
        }
      } else if (s instanceof Stmt.Store st) {
        out.addAll(all(st.value()));
        out.addAll(all(st.target()));
      } else if (s instanceof Stmt.Eval e) {
        out.addAll(all(e.expr()));
      } else if (s instanceof Stmt.If i) {
        out.addAll(all(i.condition()));
      } else if (s instanceof Stmt.Loop l) {
        out.addAll(all(l.condition()));
      }
    }
    return out;
  }

  /** Variables read by the indices of an element expression ({@code i, j} in {@code a[i][j]}). */
  public static Set<Var> indexReads(Expr e) {
    Set<Var> out = new LinkedHashSet<>();
    Expr x = e;
    while (x instanceof Expr.Index i) {
      out.addAll(all(i.index()));
      x = i.array();
    }
    return out;
  }

  /** The variable an element store writes through ({@code a} in {@code a[i][j] = v}). */
  public static Var storeBase(Stmt.Store s) {
    Expr e = s.target();
    while (e instanceof Expr.Index i) {
      e = i.array();
    }
    return ((Expr.Read) e).var();
  }

  /**
   * Variables assigned or declared anywhere in {@code stmts}, nested blocks and loops included;
   * an element store counts as an assignment of its array.
   */
  public static Set<Var> assigned(List<Stmt> stmts) {
    Set<Var> out = new LinkedHashSet<>();
    for (Stmt s : Stmt.all(stmts, true)) {
      if (s instanceof Stmt.Declare d) {
        out.add(d.var());
      } else if (s instanceof Stmt.Assign a) {
        out.add(a.target());
      } else if (s instanceof Stmt.Store st) {
        out.add(storeBase(st));
      }
    }
    return out;
  }

  /** True when a {@code continue} in {@code body} continues the loop {@code body} belongs to. */
  public static boolean continues(List<Stmt> body) {
    for (Stmt s : body) {
      if (s instanceof Stmt.Continue
          || s instanceof Stmt.If i && (continues(i.then()) || continues(i.otherwise()))) {
        return true;
      }
    }
    return false;
  }

  /** True when a {@code break}, {@code continue} or {@code return} occurs in {@code stmts}. */
  public static boolean jumps(List<Stmt> stmts, boolean includeContinue) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Break || s instanceof Stmt.Return
          || includeContinue && s instanceof Stmt.Continue) {
        return true;
      }
      if (s instanceof Stmt.If i
          && (jumps(i.then(), includeContinue) || jumps(i.otherwise(), includeContinue))) {
        return true;
      }
      if (s instanceof Stmt.Loop l && containsReturn(l.body())) {
        return true;
      }
    }
    return false;
  }

  /** True when a {@code return} occurs anywhere in {@code stmts}. */
  public static boolean containsReturn(List<Stmt> stmts) {
    return Stmt.any(stmts, false, s -> s instanceof Stmt.Return);
  }
}
