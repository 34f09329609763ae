package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.NameAllocator;
import dev.adjoint.processor.rules.MathRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost model's first half: a transcendental call ({@link MathRules#isCostly}) inside a
 * differentiated statement is computed once, into a local declared just before the statement,
 * which both sweeps then read. The reverse sweep needs such a call's value for the partials of
 * the expression around it ({@code s * Math.exp(u)} has partial {@code Math.exp(u)} in
 * {@code s}) and for its own derivative ({@code exp}' is its value): written inline, it was
 * evaluated again for each. A local is recomputed, saved or kept like any other (see
 * {@link dev.adjoint.processor.analysis.Loops}), and the derivative of its declaration reuses
 * it ({@link dev.adjoint.processor.analysis.Recording#reusesOwnValue}).
 *
 * <p>The same call twice in one statement ({@code Math.tanh(s) * Math.tanh(s)}) is bound once.
 * Calls that run only on some paths (a branch of {@code ?:}, the right of {@code &&}) stay
 * where they are, and so do those of statements without reverse work. Values are bit for bit
 * the same: the call runs on the same arguments, once.
 */
public final class SavedCalls {
  private final Activity activity;
  private final NameAllocator names = new NameAllocator();
  /** The calls bound for the statement being rewritten: the same call twice is bound once. */
  private final java.util.Map<Expr, Var> bound = new java.util.HashMap<>();

  private SavedCalls(Function f, Activity activity) {
    this.activity = activity;
    for (Function.Param p : f.params()) {
      names.reserve(p.var().name());
    }
    for (Var v : Uses.assigned(f.body())) {
      names.reserve(v.name());
    }
  }

  /** {@code f} with the costly calls of its differentiated statements bound to locals. */
  public static Function apply(Function f, Activity activity) {
    SavedCalls pass = new SavedCalls(f, activity);
    List<Stmt> body = pass.block(f.body());
    return body == null ? f
        : new Function(f.name(), f.params(), f.returnType(), body, f.source());
  }

  /** The rewritten block, or null when nothing in it changed. */
  private List<Stmt> block(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    boolean changed = false;
    for (Stmt s : stmts) {
      int before = out.size();
      Stmt rewritten = statement(s, out);
      out.add(rewritten);
      changed |= rewritten != s || out.size() != before + 1;
    }
    return changed ? out : null;
  }

  private Stmt statement(Stmt s, List<Stmt> out) {
    bound.clear();
    if (s instanceof Stmt.Declare d && d.init() != null && differentiated(s, d.init())) {
      Expr init = d.init() instanceof Expr.LibraryCall c && MathRules.isCostly(c)
          ? Exprs.mapOperands(c, a -> bind(a, true, out)) // the declaration itself keeps it
          : bind(d.init(), false, out);
      return init == d.init() ? s : new Stmt.Declare(d.var(), init, d.source());
    } else if (s instanceof Stmt.Assign a && differentiated(s, a.value())) {
      Expr value = bind(a.value(), false, out);
      return value == a.value() ? s : new Stmt.Assign(a.target(), a.op(), value, a.source());
    } else if (s instanceof Stmt.Store st && differentiated(s, st.value())) {
      Expr value = bind(st.value(), false, out);
      return value == st.value() ? s : new Stmt.Store(st.target(), st.op(), value, st.source());
    } else if (s instanceof Stmt.Return r && r.value().type().isFloating()
        && r.value().type().dims() == 0 && activity.isActive(r.value())) {
      Expr value = bind(r.value(), false, out);
      return value == r.value() ? s : new Stmt.Return(value, r.source());
    } else if (s instanceof Stmt.If i) {
      List<Stmt> then = block(i.then());
      List<Stmt> otherwise = block(i.otherwise());
      return then == null && otherwise == null ? s : new Stmt.If(i.condition(),
          then == null ? i.then() : then, otherwise == null ? i.otherwise() : otherwise,
          i.source());
    } else if (s instanceof Stmt.Loop l) {
      List<Stmt> body = block(l.body());
      return body == null ? s
          : new Stmt.Loop(l.init(), l.condition(), l.update(), body, l.testFirst(), l.source());
    }
    return s;
  }

  /** True when the reverse sweep differentiates {@code s}, whose right-hand side is {@code e}. */
  private boolean differentiated(Stmt s, Expr e) {
    return e.type().isFloating() && e.type().dims() == 0 && activity.isActive(e)
        && activity.isUseful(s);
  }

  /**
   * {@code e} with each costly call that always runs, and whose value the reverse sweep reads,
   * replaced by a read of a new local, whose declaration goes to {@code out} (inner calls
   * first). The reverse sweep reads a call's value when {@code needed} (an operand of a product,
   * a quotient or another call: their partials mention it) or when its own derivative does
   * ({@code exp}' is its value); {@code s += Math.sin(x)} only needs {@code cos(x)}.
   */
  private Expr bind(Expr e, boolean needed, List<Stmt> out) {
    if (e instanceof Expr.Conditional c) {
      Expr condition = bind(c.condition(), true, out);
      return condition == c.condition() ? e
          : new Expr.Conditional(condition, c.ifTrue(), c.ifFalse(), c.type());
    }
    if (e instanceof Expr.Binary b && (b.op() == BinaryOp.AND || b.op() == BinaryOp.OR)) {
      return e;
    }
    if (e instanceof Expr.Index || e.operands().isEmpty()) {
      return e;
    }
    // Sums, negations and casts pass the adjoint on unchanged: their operands' values are not
    // read unless the whole is.
    boolean linear = e instanceof Expr.Unary || e instanceof Expr.Cast
        || e instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB);
    boolean operandsNeeded = !linear || needed;
    Expr mapped = Exprs.mapOperands(e, a -> bind(a, operandsNeeded, out));
    if (mapped instanceof Expr.LibraryCall c && MathRules.isCostly(c)
        && (needed || usesOwnValue(c))) {
      Var same = bound.get(c);
      if (same != null) {
        return new Expr.Read(same); // the statement's earlier, identical call
      }
      Var v = new Var(names.allocate(c.name() + "Value"), c.name() + "Value", c.type(),
          Var.Kind.LOCAL);
      out.add(new Stmt.Declare(v, c, Source.NONE));
      bound.put(c, v);
      return new Expr.Read(v);
    }
    return sameOperands(mapped, e) ? e : mapped;
  }

  /** True when the derivative rule of {@code c} mentions the call's value. */
  private static boolean usesOwnValue(Expr.LibraryCall c) {
    Var marker = new Var("value", "value", c.type(), Var.Kind.GENERATED);
    for (Expr p : MathRules.partials(c, new Expr.Read(marker))) {
      if (p != null && mentions(p, marker)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentions(Expr e, Var v) {
    return e instanceof Expr.Read r && r.var() == v
        || Exprs.children(e).stream().anyMatch(x -> mentions(x, v));
  }

  private static boolean sameOperands(Expr a, Expr b) {
    List<Expr> x = a.operands();
    List<Expr> y = b.operands();
    for (int k = 0; k < x.size(); k++) {
      if (x.get(k) != y.get(k)) {
        return false;
      }
    }
    return true;
  }
}
