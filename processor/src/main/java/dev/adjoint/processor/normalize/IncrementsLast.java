package dev.adjoint.processor.normalize;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Moves a loop's one step of an {@code int} counter to the end of its body, where the
 * counted-loop analysis looks for it: {@code while (i < n) { i++; s += x[i - 1] * x[i]; }}
 * (how {@code s += x[i++] * x[i]} is lowered) becomes {@code while (i < n) { s += x[i] *
 * x[i + 1]; i++; }}, the statements after the step reading {@code i + 1} for {@code i}. Both
 * compute the same values in the same order; the second's reverse loop counts down instead of
 * taping the counter.
 *
 * <p>Applies when the step ({@code i += c} or {@code i -= c} with a constant {@code c}) is a
 * top-level statement of a loop body, nothing else in the body or the header's update assigns
 * {@code i} but other such top-level steps (which join it: {@code a = x[i++]; b = x[i++];}
 * becomes {@code a = x[i]; b = x[i + 1]; i += 2;}), and no statement after the first step can
 * leave the iteration early ({@code break}, {@code continue}, {@code return}), so that the moved
 * step still runs exactly when it did. A second counter of a {@code for} loop
 * ({@code for (k = 0; k < n; k++) s += w[k] * x[i++];}) moves the same way, before the header's
 * update, and so does each of several counters ({@code x[i++] * y[j++]}); steps that end a body
 * are reordered (they commute) so that the one of the counter a {@code while} loop tests stays
 * last.
 */
public final class IncrementsLast {
  private IncrementsLast() {}

  public static Function apply(Function f) {
    return new Function(f.name(), f.params(), f.returnType(), block(f.body()), f.source());
  }

  private static List<Stmt> block(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      Stmt inner = Stmt.withBlocks(s, IncrementsLast::block);
      out.add(inner instanceof Stmt.Loop l ? moved(l) : inner);
    }
    return out;
  }

  private static Stmt.Loop moved(Stmt.Loop l) {
    // One counter at a time, each joined step going to the end: x[i++] and y[j++] in one body.
    for (int round = 0; round < 8; round++) {
      Stmt.Loop next = movedOnce(l);
      if (next == l) {
        return l;
      }
      l = next;
    }
    return l;
  }

  private static Stmt.Loop movedOnce(Stmt.Loop l) {
    List<Stmt> body = l.body();
    int end = trailingSteps(body);
    int at = -1;
    for (int k = 0; k < end; k++) {
      if (body.get(k) instanceof Stmt.Assign a && step(a) != 0) {
        at = k;
        break;
      }
    }
    if (at < 0) {
      return l;
    }
    Stmt.Assign first = (Stmt.Assign) body.get(at);
    Var counter = first.target();
    List<Stmt> before = body.subList(0, at);
    List<Stmt> after = body.subList(at + 1, body.size());
    // A header update runs after the body, as before: it must not step the counter itself.
    if (Uses.assigned(before).contains(counter) || Uses.jumps(after, true)
        || Uses.containsReturn(after) || Uses.assigned(l.update()).contains(counter)) {
      return l;
    }
    // Later steps of the same counter ({@code x[i++]} twice in one body) join the first: the
    // statements after each read the counter plus the steps taken so far.
    int offset = step(first);
    List<Stmt> newBody = new ArrayList<>(before);
    for (Stmt s : after) {
      if (s instanceof Stmt.Assign a && a.target() == counter && step(a) != 0) {
        offset += step(a);
        continue;
      }
      if (Uses.assigned(List.of(s)).contains(counter)) {
        return l;
      }
      newBody.add(substitute(s, counter, Exprs.plusInt(new Expr.Read(counter), offset)));
    }
    if (offset == 0) {
      return l;
    }
    Stmt joined = offset == step(first) ? first
        : new Stmt.Assign(counter, offset > 0 ? AssignOp.ADD : AssignOp.SUB,
            Expr.Const.of(Math.abs(offset), Type.INT), first.source());
    // Into the run of steps that ends the body (of other counters, which commute with it),
    // before the step of a counter the condition reads: that one stays last, where the
    // counted-loop analysis looks for a while loop's index.
    int run = trailingSteps(newBody);
    int put = newBody.size();
    Set<Var> tested = Uses.all(l.condition());
    for (int k = run; k < newBody.size(); k++) {
      if (tested.contains(((Stmt.Assign) newBody.get(k)).target())
          && !tested.contains(counter)) {
        put = k;
        break;
      }
    }
    newBody.add(put, joined);
    return new Stmt.Loop(l.init(), l.condition(), l.update(), newBody, l.testFirst(),
        l.source());
  }

  /**
   * Where the run of constant steps that ends {@code body} starts ({@code body.size()} when
   * the body does not end in one): steps there are last already.
   */
  private static int trailingSteps(List<Stmt> body) {
    int k = body.size();
    while (k > 0 && body.get(k - 1) instanceof Stmt.Assign a && step(a) != 0) {
      k--;
    }
    return k;
  }

  /** The constant step of {@code i += c} or {@code i -= c} for an int {@code i}, else 0. */
  private static int step(Stmt.Assign a) {
    if (!a.target().type().equals(Type.INT) || !(a.value() instanceof Expr.Const c)
        || !c.type().equals(Type.INT)) {
      return 0;
    }
    int k = (int) c.asDouble();
    return a.op() == AssignOp.ADD ? k : a.op() == AssignOp.SUB ? -k : 0;
  }

  /** {@code s} with every read of {@code v} replaced by {@code e}, nested blocks included. */
  private static Stmt substitute(Stmt s, Var v, Expr e) {
    if (s instanceof Stmt.Declare d) {
      return new Stmt.Declare(d.var(), d.init() == null ? null : expr(d.init(), v, e),
          d.source());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.target(), a.op(), expr(a.value(), v, e), a.source());
    }
    if (s instanceof Stmt.Store st) {
      return new Stmt.Store((Expr.Index) expr(st.target(), v, e), st.op(),
          expr(st.value(), v, e), st.source());
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(expr(i.condition(), v, e), block(i.then(), v, e),
          block(i.otherwise(), v, e), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(block(l.init(), v, e), expr(l.condition(), v, e),
          block(l.update(), v, e), block(l.body(), v, e), l.testFirst(), l.source());
    }
    if (s instanceof Stmt.Eval ev) {
      return new Stmt.Eval(expr(ev.expr(), v, e));
    }
    if (s instanceof Stmt.Return r) {
      return new Stmt.Return(r.value() == null ? null : expr(r.value(), v, e), r.source());
    }
    return s; // break, continue, comments: no expressions
  }

  private static List<Stmt> block(List<Stmt> stmts, Var v, Expr e) {
    return stmts.stream().map(s -> substitute(s, v, e)).toList();
  }

  /**
   * {@code x} with reads of {@code v} replaced, an int {@code (i + 1) - 1} folded back to
   * {@code i}.
   */
  private static Expr expr(Expr x, Var v, Expr e) {
    if (x instanceof Expr.Read r) {
      return r.var() == v ? e : x;
    }
    Expr mapped = Exprs.mapOperands(x, o -> expr(o, v, e));
    if (mapped instanceof Expr.Binary b && b.type().equals(Type.INT)
        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)
        && b.right() instanceof Expr.Const c && c.type().equals(Type.INT)) {
      int k = (int) c.asDouble();
      return Exprs.plusInt(b.left(), b.op() == BinaryOp.ADD ? k : -k);
    }
    return mapped;
  }
}
