package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Within one reverse iteration, adds the contributions to each adjoint element in a local and
 * stores it once at the end: {@code dX[i] -= dB; ...; dX[i] -= dA * x[i];} becomes updates of a
 * local {@code dXAtI} and one {@code dX[i] += dXAtI;}. HotSpot cannot prove an adjoint array
 * distinct from the primal arrays, so each element update would otherwise reload and store.
 *
 * <p>Applies to an adjoint array only when the iteration touches it solely through {@code +=}
 * and {@code -=} on elements whose indices the iteration does not change, and to the elements
 * that surely exist ({@link #existing}); since addition commutes, the result is the same even when two index
 * expressions denote the same element.
 */
final class ElementAccumulators {
  private ElementAccumulators() {}

  static List<Stmt> apply(List<Stmt> body, AdjointContext ctx, Set<Var> adjointArrays) {
    Set<Var> changed = new HashSet<>();
    int prefix = 0;
    while (prefix < body.size() && (body.get(prefix) instanceof Stmt.Declare
        || body.get(prefix) instanceof Stmt.Comment c && c.text().startsWith("recomputed"))) {
      prefix++;
    }
    changed.addAll(Uses.assigned(body.subList(prefix, body.size())));
    Set<Var> eligible = new HashSet<>(adjointArrays);
    new Object() {
      void scan(List<Stmt> stmts, boolean nested) {
        for (Stmt s : stmts) {
          if (s instanceof Stmt.Assign a) {
            // The adjoint of an array variable given another array within the iteration
            // (dA = scratch.doubles(...)): contributions before and after it go to different
            // arrays, so one local per element would mix them.
            eligible.remove(a.target());
          }
          if (s instanceof Stmt.Store st && st.target() != null
              && adjointArrays.contains(root(st.target()))) {
            Var a = root(st.target());
            boolean ok = !nested && (st.op() == AssignOp.ADD || st.op() == AssignOp.SUB)
                && stableIndices(st.target(), changed);
            if (!ok) {
              eligible.remove(a);
            }
            // Any other read of the array in the value or the indices disqualifies it too.
            Uses.all(st.value()).forEach(eligible::remove);
            Uses.indexReads(st.target()).forEach(eligible::remove);
          } else if (s instanceof Stmt.If i) {
            Uses.all(i.condition()).forEach(eligible::remove);
            // (under h != x the whole update is skipped, its load and store too: keep it there)
            boolean skipped = nested || comparesArrays(i.condition());
            scan(i.then(), skipped);
            scan(i.otherwise(), skipped);
          } else if (s instanceof Stmt.Loop l) {
            Uses.all(l.condition()).forEach(eligible::remove);
            scan(l.init(), true);
            scan(l.body(), true);
            scan(l.update(), true);
          } else {
            readsOf(s).forEach(eligible::remove);
          }
        }
      }
    }.scan(body, false);
    if (eligible.isEmpty()) {
      return body;
    }
    Map<Expr, Var> locals = new LinkedHashMap<>();
    List<Stmt> rewritten = rewrite(body.subList(prefix, body.size()),
        existing(body, eligible, ctx), locals, ctx);
    if (locals.isEmpty()) {
      return body;
    }
    List<Stmt> out = new ArrayList<>(body.subList(0, prefix));
    for (Var local : locals.values()) {
      out.add(new Stmt.Declare(local, Exprs.constant(0, local.type()), Source.NONE));
    }
    out.addAll(rewritten);
    for (Map.Entry<Expr, Var> e : locals.entrySet()) {
      out.add(new Stmt.Store((Expr.Index) e.getKey(), AssignOp.ADD, new Expr.Read(e.getValue()),
          Source.NONE));
    }
    return out;
  }

  /**
   * The elements of the {@code eligible} arrays that surely exist when the iteration runs, so
   * that a store after it may touch them: those it updates unconditionally, and those whose
   * primal element (same array shape, same index) it reads unconditionally, as the ReLU's
   * {@code z[i] > 0} guarding {@code dZ[i]}. An element updated only under a condition
   * ({@code x[i + 1]} under {@code i + 1 < n}) may not exist: its updates stay where they are.
   */
  private static Set<Expr> existing(List<Stmt> body, Set<Var> eligible, AdjointContext ctx) {
    Set<Expr> out = new HashSet<>();
    Map<Var, Var> adjointOf = new HashMap<>();
    Set<Var> assigned = Uses.assigned(body);
    for (Var a : eligible) {
      Var primal = ctx.primal(a);
      if (primal != null && !assigned.contains(primal)) {
        adjointOf.put(primal, a);
      }
    }
    for (Stmt s : body) {
      if (s instanceof Stmt.Store st && eligible.contains(root(st.target()))) {
        out.add(st.target());
      }
      for (Expr e : InvariantReads.unconditional(s)) {
        InvariantReads.visitElements(e, i -> {
          Var adjoint = adjointOf.get(root(i));
          if (adjoint != null) {
            out.add(withRoot(i, adjoint));
          }
          return false;
        });
      }
    }
    return out;
  }

  /** {@code e} with its array variable replaced by {@code root}. */
  private static Expr withRoot(Expr e, Var root) {
    return e instanceof Expr.Index i
        ? new Expr.Index(withRoot(i.array(), root), i.index(), i.type())
        : new Expr.Read(root);
  }

  private static List<Stmt> rewrite(List<Stmt> stmts, Set<Expr> targets, Map<Expr, Var> locals,
      AdjointContext ctx) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Store st && targets.contains(st.target())) {
        Var local = locals.computeIfAbsent(st.target(), t -> ctx.newVar(localName(st.target()),
            st.target().type()));
        out.add(new Stmt.Assign(local, st.op(), st.value(), st.source()));
      } else if (s instanceof Stmt.If i) {
        out.add(new Stmt.If(i.condition(), rewrite(i.then(), targets, locals, ctx),
            rewrite(i.otherwise(), targets, locals, ctx), i.source()));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** The name of a local summing the updates of {@code target}: {@code dX[i]} gives dXAtI. */
  static String localName(Expr.Index target) {
    return root(target).name() + "At" + indexWord(target.index());
  }

  /** {@code i} gives I, {@code i + 1} gives IPlus1, anything else nothing (then numbered). */
  private static String indexWord(Expr index) {
    if (index instanceof Expr.Read r) {
      return GradNames.capitalize(r.var().name());
    }
    if (index instanceof Expr.Binary b && b.left() instanceof Expr.Read r
        && b.right() instanceof Expr.Const c
        && (b.op() == dev.adjoint.processor.ir.BinaryOp.ADD
            || b.op() == dev.adjoint.processor.ir.BinaryOp.SUB)) {
      return GradNames.capitalize(r.var().name())
          + (b.op() == dev.adjoint.processor.ir.BinaryOp.ADD ? "Plus" : "Minus") + c.value();
    }
    return "";
  }

  private static Var root(Expr e) {
    Expr x = e;
    while (x instanceof Expr.Index i) {
      x = i.array();
    }
    return x instanceof Expr.Read r ? r.var() : null;
  }

  private static boolean stableIndices(Expr e, Set<Var> changed) {
    Expr x = e;
    while (x instanceof Expr.Index i) {
      for (Var v : Uses.all(i.index())) {
        if (changed.contains(v)) {
          return false;
        }
      }
      x = i.array();
    }
    return true;
  }

  /**
   * True for {@code h != x} (and conjunctions of such): the test of {@link Propagation} that an
   * array variable does not hold an inactive array, whose adjoint updates it guards.
   */
  private static boolean comparesArrays(Expr condition) {
    if (!(condition instanceof Expr.Binary b)) {
      return false;
    }
    return switch (b.op()) {
      case NE -> b.left().type().dims() > 0 && b.right().type().dims() > 0;
      case AND -> comparesArrays(b.left()) && comparesArrays(b.right());
      default -> false;
    };
  }

  private static Set<Var> readsOf(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.init() == null ? Set.of() : Uses.all(d.init());
    }
    if (s instanceof Stmt.Assign a) {
      return Uses.all(a.value());
    }
    if (s instanceof Stmt.Store st) {
      Set<Var> out = new HashSet<>(Uses.all(st.value()));
      out.addAll(Uses.all(st.target()));
      return out;
    }
    if (s instanceof Stmt.Eval e) {
      return Uses.all(e.expr());
    }
    if (s instanceof Stmt.Return r) {
      return Uses.all(r.value());
    }
    return Set.of();
  }
}
