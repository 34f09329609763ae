package dev.adjoint.processor.inline;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOp;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A helper's statements as the caller's ({@link CallInlining}): its variables become fresh locals
 * of the caller, its parameters the arguments they stand for, and the comments of its
 * statements say which helper they were inlined from.
 */
/** The helper's statements in the caller: fresh locals, parameters replaced by arguments. */
final class Renaming {
  private final String method;
  private final Map<Var, Expr> arguments;
  /** The helper's variables and the caller's locals that replace them. */
  final Map<Var, Var> locals;
  private final UnaryOperator<Var> fresh;

  /**
   * @param method the helper's name, which the comments of inlined statements give
   * @param arguments the helper's parameters that stand for the caller's arguments
   * @param locals the helper's variables already given a caller's local
   * @param fresh a new local of the caller for another variable of the helper
   */
  Renaming(String method, Map<Var, Expr> arguments, Map<Var, Var> locals,
      UnaryOperator<Var> fresh) {
    this.method = method;
    this.arguments = arguments;
    this.locals = locals;
    this.fresh = fresh;
  }

  Var local(Var v) {
    return locals.computeIfAbsent(v, fresh);
  }

  Source source(Source s) {
    return s.line() <= 0 ? s : new Source(s.line(), "in " + method + " (inlined): " + s.text());
  }

  Expr expr(Expr e) {
    if (e instanceof Expr.Read r) {
      Expr a = arguments.get(r.var());
      return a != null ? a : new Expr.Read(local(r.var()));
    }
    if (e.operands().isEmpty()) {
      return e;
    }
    return Exprs.mapOperands(e, this::expr);
  }

  List<Stmt> stmts(List<Stmt> in) {
    List<Stmt> out = new ArrayList<>();
    in.forEach(s -> out.add(stmt(s)));
    return out;
  }

  Stmt stmt(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return new Stmt.Declare(local(d.var()), d.init() == null ? null : expr(d.init()),
          source(d.source()));
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(local(a.target()), a.op(), expr(a.value()), source(a.source()));
    }
    if (s instanceof Stmt.Store st) {
      return new Stmt.Store((Expr.Index) expr(st.target()), st.op(), expr(st.value()),
          source(st.source()));
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(expr(i.condition()), stmts(i.then()), stmts(i.otherwise()),
          source(i.source()));
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(stmts(l.init()), expr(l.condition()), stmts(l.update()),
          stmts(l.body()), l.testFirst(), source(l.source()));
    }
    if (s instanceof Stmt.Break b) {
      return new Stmt.Break(source(b.source()));
    }
    if (s instanceof Stmt.Continue c) {
      return new Stmt.Continue(source(c.source()));
    }
    if (s instanceof Stmt.Return r) {
      return new Stmt.Return(expr(r.value()), source(r.source()));
    }
    if (s instanceof Stmt.Eval e) {
      return new Stmt.Eval(expr(e.expr())); // a print
    }
    return s;
  }

  /**
   * A void helper's body in tail form with its returns (of the out-parameter) dropped; null
   * when a return is elsewhere.
   */
  List<Stmt> withoutReturns(List<Stmt> body) {
    if (body.isEmpty()) {
      return body;
    }
    List<Stmt> head = body.subList(0, body.size() - 1);
    if (Uses.containsReturn(head)) {
      return null;
    }
    List<Stmt> out = new ArrayList<>(stmts(head));
    Stmt last = body.get(body.size() - 1);
    if (last instanceof Stmt.If i && Uses.containsReturn(List.of(i))) {
      List<Stmt> then = withoutReturns(i.then());
      List<Stmt> otherwise = withoutReturns(i.otherwise());
      if (then == null || otherwise == null) {
        return null;
      }
      if (then.isEmpty() && !otherwise.isEmpty()) {
        // `if (c) return; rest` inlined: `if (!c) rest`
        out.add(new Stmt.If(new Expr.Unary(UnaryOp.NOT, expr(i.condition()), Type.BOOLEAN),
            otherwise, List.of(), source(i.source())));
      } else if (!then.isEmpty() || !otherwise.isEmpty()) {
        out.add(new Stmt.If(expr(i.condition()), then, otherwise, source(i.source())));
      }
    } else if (!(last instanceof Stmt.Return)) {
      if (Uses.containsReturn(List.of(last))) {
        return null;
      }
      out.add(stmt(last));
    }
    return out;
  }

  /**
   * A body in tail form (every path ends in a return, see {@link ReturnNormalization}) with
   * each {@code return v;} turned into {@code result = v;}; null when a return is elsewhere.
   */
  List<Stmt> tails(List<Stmt> body, Var result) {
    if (body.isEmpty()) {
      return null;
    }
    List<Stmt> out = new ArrayList<>();
    List<Stmt> head = body.subList(0, body.size() - 1);
    if (Uses.containsReturn(head)) {
      return null;
    }
    out.addAll(stmts(head));
    Stmt last = body.get(body.size() - 1);
    if (last instanceof Stmt.Return r) {
      out.add(new Stmt.Assign(result, AssignOp.SET, expr(r.value()), source(r.source())));
    } else if (last instanceof Stmt.If i) {
      List<Stmt> then = tails(i.then(), result);
      List<Stmt> otherwise = tails(i.otherwise(), result);
      if (then == null || otherwise == null) {
        return null;
      }
      out.add(new Stmt.If(expr(i.condition()), then, otherwise, source(i.source())));
    } else {
      return null;
    }
    return out;
  }
}
