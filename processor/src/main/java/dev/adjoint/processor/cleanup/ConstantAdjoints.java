package dev.adjoint.processor.cleanup;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * Propagates adjoints whose value is a known constant: for {@code return sum;} the adjoint of
 * {@code sum} is 1 for the rest of the reverse sweep, so {@code dA += dSum * a * 100.0} becomes
 * {@code dA += a * 100.0}. The adjoint's declaration and update stay, for the reader.
 */
public final class ConstantAdjoints {
  private ConstantAdjoints() {}

  public static List<Stmt> apply(List<Stmt> body, List<Var> adjoints) {
    // Only adjoints updated by a constant at the top level can qualify: find them in one pass.
    java.util.Set<Var> candidates = new java.util.HashSet<>();
    java.util.Set<Var> wanted = new java.util.HashSet<>(adjoints);
    for (Stmt s : body) {
      if (s instanceof Stmt.Assign a && a.op() == AssignOp.ADD && a.value() instanceof Expr.Const
          && wanted.contains(a.target())) {
        candidates.add(a.target());
      }
    }
    List<Stmt> out = body;
    for (Var v : candidates) {
      out = apply(out, v);
    }
    return out;
  }

  private static List<Stmt> apply(List<Stmt> body, Var v) {
    int declared = -1;
    int assigned = -1;
    for (int k = 0; k < body.size(); k++) {
      Stmt s = body.get(k);
      if (s instanceof Stmt.Declare d && d.var() == v) {
        if (!(d.init() instanceof Expr.Const c) || c.asDouble() != 0) {
          return body;
        }
        declared = k;
      } else if (s instanceof Stmt.Assign a && a.target() == v) {
        if (assigned >= 0 || declared < 0 || a.op() != AssignOp.ADD
            || !(a.value() instanceof Expr.Const)) {
          return body;
        }
        assigned = k;
      } else if (writes(s, v) || assigned < 0 && Uses.reads(List.of(s)).contains(v)) {
        return body;
      }
    }
    if (assigned < 0) {
      return body;
    }
    Expr constant = ((Stmt.Assign) body.get(assigned)).value();
    List<Stmt> out = new ArrayList<>(body.subList(0, assigned + 1));
    for (Stmt s : body.subList(assigned + 1, body.size())) {
      out.add(substitute(s, v, constant));
    }
    return out;
  }

  /** True when {@code s} assigns {@code v} anywhere inside it. */
  private static boolean writes(Stmt s, Var v) {
    return Uses.assigned(List.of(s)).contains(v) && !(s instanceof Stmt.Declare d
        && d.var() == v);
  }

  private static Stmt substitute(Stmt s, Var v, Expr c) {
    if (s instanceof Stmt.Declare d) {
      return d.init() == null ? d
          : new Stmt.Declare(d.var(), Exprs.substitute(d.init(), v, c), d.source());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.target(), a.op(), Exprs.substitute(a.value(), v, c), a.source());
    }
    if (s instanceof Stmt.Store st) {
      return new Stmt.Store((Expr.Index) Exprs.substitute(st.target(), v, c), st.op(),
          Exprs.substitute(st.value(), v, c), st.source());
    }
    if (s instanceof Stmt.Eval e) {
      return new Stmt.Eval(Exprs.substitute(e.expr(), v, c));
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(Exprs.substitute(i.condition(), v, c), substituteAll(i.then(), v, c),
          substituteAll(i.otherwise(), v, c), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(substituteAll(l.init(), v, c), Exprs.substitute(l.condition(), v, c),
          substituteAll(l.update(), v, c), substituteAll(l.body(), v, c), l.testFirst(),
          l.source());
    }
    return s;
  }

  private static List<Stmt> substituteAll(List<Stmt> stmts, Var v, Expr c) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      out.add(substitute(s, v, c));
    }
    return out;
  }
}
