package dev.adjoint.processor.backend;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites generated code so that the variables the parts of a split method share live in
 * fields of the object holding the parts: each such variable is replaced by a variable named
 * like the field ({@code parts.field} outside the object), which prints as the field access, and
 * its declarations become assignments. A blank declaration disappears: the field starts at zero,
 * and Java's definite assignment rules already made the code write before it reads.
 */
final class SharedFields {
  private final Map<Var, Var> fields;
  private final Var receiver;

  private SharedFields(Map<Var, Var> fields, Var receiver) {
    this.fields = fields;
    this.receiver = receiver;
  }

  /**
   * {@code stmts} with every variable that is a key of {@code fields} replaced by its field, and
   * the parts called on {@code receiver} (null: on the same object).
   */
  static List<Stmt> rewrite(List<Stmt> stmts, Map<Var, Var> fields, Var receiver) {
    return new SharedFields(fields, receiver).block(stmts);
  }

  private List<Stmt> block(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>(stmts.size());
    for (Stmt s : stmts) {
      Stmt r = stmt(s);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** The rewritten statement, or null when it disappears. */
  private Stmt stmt(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      Var field = fields.get(d.var());
      if (field == null) {
        return d.init() == null ? d : new Stmt.Declare(d.var(), expr(d.init()), d.source());
      }
      return d.init() == null ? null
          : new Stmt.Assign(field, AssignOp.SET, expr(d.init()), d.source());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(var(a.target()), a.op(), expr(a.value()), a.source());
    }
    if (s instanceof Stmt.Store st) {
      return new Stmt.Store((Expr.Index) expr(st.target()), st.op(), expr(st.value()),
          st.source());
    }
    if (s instanceof Stmt.Eval e) {
      return new Stmt.Eval(expr(e.expr()));
    }
    if (s instanceof Stmt.Return r) {
      return new Stmt.Return(expr(r.value()), r.source());
    }
    if (s instanceof Stmt.CallPart c) {
      return new Stmt.CallPart(receiver, c.method(), exprs(c.args()));
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(expr(i.condition()), block(i.then()), block(i.otherwise()), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(block(l.init()), expr(l.condition()), block(l.update()),
          block(l.body()), l.testFirst(), l.source());
    }
    return s; // break, continue, comments, blank lines
  }

  private Var var(Var v) {
    return fields.getOrDefault(v, v);
  }

  private List<Expr> exprs(List<Expr> es) {
    List<Expr> out = new ArrayList<>(es.size());
    for (Expr e : es) {
      out.add(expr(e));
    }
    return out;
  }

  private Expr expr(Expr e) {
    if (e instanceof Expr.Read r) {
      return fields.containsKey(r.var()) ? new Expr.Read(var(r.var())) : e;
    }
    Expr rewritten = e.withOperands(exprs(e.operands()));
    // Receivers are variables, not operands: a call or field of a shared one goes through its
    // field too.
    if (rewritten instanceof Expr.RuntimeCall c && c.receiver() != null) {
      return new Expr.RuntimeCall(var(c.receiver()), c.owner(), c.name(), c.args(), c.type());
    }
    if (rewritten instanceof Expr.Field f) {
      return new Expr.Field(var(f.receiver()), f.name(), f.type());
    }
    return rewritten;
  }
}
