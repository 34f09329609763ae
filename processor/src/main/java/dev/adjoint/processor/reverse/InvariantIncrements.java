package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adjoint elements that every iteration of a counted reverse loop adds into at the same index
 * ({@code dX[i] += e} in a loop over {@code j}) are summed in a local across the loop and stored
 * once after it, as a hand-written gradient keeps {@code gi} for {@code gradient[i]}: each
 * element update would otherwise load and store the element, since HotSpot cannot prove the
 * adjoint array distinct from the arrays the loop reads.
 *
 * <p>Applies to an adjoint array only when the loop touches it solely through {@code +=} and
 * {@code -=}: addition commutes, so the sum is the same even when another update of the loop
 * ({@code dX[j]}) reaches the same element. The index must read nothing the loop changes. The
 * loop, the sums and their stores run under a guard that the loop runs at all, since the index
 * may be out of bounds otherwise.
 */
final class InvariantIncrements {
  /**
   * A reverse loop body with its invariant increments summed in locals.
   *
   * @param ran true when the loop runs at least once (null when nothing is hoisted)
   * @param before the declarations of the locals, to go before the loop
   * @param body the loop body, adding into the locals
   * @param after the stores of the locals, to go after the loop
   */
  record Hoisted(Expr ran, List<Stmt> before, List<Stmt> body, List<Stmt> after) {
    /**
     * The reverse loop {@code loop} of {@link #body} with the locals around it, all under
     * {@link #ran}; {@code loop} itself when nothing is hoisted.
     */
    List<Stmt> around(List<Stmt> loop) {
      if (ran == null) {
        return loop;
      }
      List<Stmt> guarded = new ArrayList<>(before);
      guarded.addAll(loop);
      guarded.addAll(after);
      return surely(ran) ? guarded
          : List.of(new Stmt.If(ran, guarded, List.of(), Source.NONE));
    }
  }

  private InvariantIncrements() {}

  /**
   * Hoists the invariant increments out of {@code body}, the reverse body of {@code l}, when
   * {@code l} is counted with its own index (so that the reverse loop runs under a guard as
   * it is) and its reverse iterations commute.
   */
  static Hoisted apply(Stmt.Loop l, Loops.Counted c, List<Stmt> body, AdjointContext ctx,
      Set<Var> adjointArrays) {
    Hoisted none = new Hoisted(null, List.of(), body, List.of());
    if (c == null || !c.ownIndex() || c.restoresIndex() || !l.testFirst()
        || !IterationOrder.commutes(body)) {
      return none;
    }
    Set<Var> eligible = new HashSet<>(adjointArrays);
    Uses.all(l.condition()).forEach(eligible::remove);
    excludeOtherUses(body, eligible);
    if (eligible.isEmpty()) {
      return none;
    }
    Set<Var> changed = Uses.assigned(body);
    changed.add(c.index());
    Map<Expr.Index, Var> sums = new LinkedHashMap<>();
    String over = GradNames.capitalize(c.index().name());
    List<Stmt> rewritten = rewrite(body, eligible, changed, sums, over, ctx);
    if (sums.isEmpty()) {
      return none;
    }
    List<Stmt> before = new ArrayList<>();
    List<Stmt> after = new ArrayList<>();
    for (Map.Entry<Expr.Index, Var> e : sums.entrySet()) {
      Var sum = e.getValue();
      before.add(new Stmt.Declare(sum, Exprs.constant(0, sum.type()), Source.NONE));
      after.add(new Stmt.Store(e.getKey(), AssignOp.ADD, Exprs.read(sum), Source.NONE));
    }
    return new Hoisted(ran(l, c), before, rewritten, after);
  }

  /**
   * True when the counted loop {@code l} runs at least once: its condition at the start (the
   * constant true when it compares constants that satisfy it).
   */
  static Expr ran(Stmt.Loop l, Loops.Counted c) {
    Expr ran = Exprs.substitute(l.condition(), c.index(), c.start());
    if (ran instanceof Expr.Binary b && b.left() instanceof Expr.Const x
        && b.right() instanceof Expr.Const y && x.type().equals(Type.INT)
        && y.type().equals(Type.INT)) {
      double p = x.asDouble();
      double q = y.asDouble();
      Boolean holds = switch (b.op()) {
        case LT -> p < q;
        case LE -> p <= q;
        case GT -> p > q;
        case GE -> p >= q;
        case EQ -> p == q;
        case NE -> p != q;
        default -> null;
      };
      if (Boolean.TRUE.equals(holds)) {
        return new Expr.Const(true, Type.BOOLEAN);
      }
    }
    return ran;
  }

  /** True when {@code ran} (from {@link #ran}) is known to hold. */
  static boolean surely(Expr ran) {
    return ran instanceof Expr.Const k && Boolean.TRUE.equals(k.value());
  }

  /** Removes from {@code eligible} the arrays {@code stmts} use other than as added into. */
  private static void excludeOtherUses(List<Stmt> stmts, Set<Var> eligible) {
    for (Stmt s : Stmt.all(stmts, true)) {
      if (s instanceof Stmt.Store st) {
        if (st.op() != AssignOp.ADD && st.op() != AssignOp.SUB) {
          eligible.remove(Uses.storeBase(st));
        }
        Uses.all(st.value()).forEach(eligible::remove);
        Uses.indexReads(st.target()).forEach(eligible::remove);
      } else if (s instanceof Stmt.If i) {
        Uses.all(i.condition()).forEach(eligible::remove);
      } else if (s instanceof Stmt.Loop l) {
        Uses.all(l.condition()).forEach(eligible::remove);
      } else {
        Uses.reads(List.of(s)).forEach(eligible::remove);
        if (s instanceof Stmt.Assign a) {
          eligible.remove(a.target());
        } else if (s instanceof Stmt.Declare d) {
          eligible.remove(d.var());
        }
      }
    }
  }

  private static List<Stmt> rewrite(List<Stmt> stmts, Set<Var> eligible, Set<Var> changed,
      Map<Expr.Index, Var> sums, String over, AdjointContext ctx) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Store st && eligible.contains(Uses.storeBase(st))
          && Uses.indexReads(st.target()).stream().noneMatch(changed::contains)) {
        Var sum = sums.computeIfAbsent(st.target(), t -> ctx.newVar(
            ElementAccumulators.localName(t) + "Over" + over, t.type()));
        out.add(new Stmt.Assign(sum, st.op(), st.value(), st.source()));
      } else if (s instanceof Stmt.If i) {
        out.add(new Stmt.If(i.condition(), rewrite(i.then(), eligible, changed, sums, over, ctx),
            rewrite(i.otherwise(), eligible, changed, sums, over, ctx), i.source()));
      } else {
        out.add(s);
      }
    }
    return out;
  }
}
