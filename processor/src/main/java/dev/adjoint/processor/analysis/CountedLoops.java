package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recognises counted loops by what they do, whatever the spelling. A loop is counted when
 *
 * <ul>
 *   <li>its index, an {@code int}, is changed only by one update by a constant step
 *       ({@code i++}, {@code ++i}, {@code i += c}, {@code i = i + c}, {@code i = c + i},
 *       {@code i--}, {@code i -= c}, ...), in the header or as the last statement of the body
 *       of a {@code while} or {@code for (;;)} (then with no {@code continue} that would skip
 *       it);
 *   <li>its start is known: the header declares or assigns the index, or an earlier statement
 *       of the same block does, with nothing assigning the index or what the start reads in
 *       between;
 *   <li>its condition compares the index, possibly plus or minus a constant, on either side,
 *       with a value the body does not change ({@code i < n}, {@code i + 1 < n},
 *       {@code n - 1 > i}, ...), in the direction of the step;
 *   <li>no {@code break} or {@code return} leaves it early.
 * </ul>
 *
 * <p>A {@code do}/{@code while} loop (also {@code while (true) { ...; i++; if (i >= n) break; }},
 * see {@code ExitTests}) is counted by the same rules, its update last in the body; its first
 * iteration runs before any test, so its last index is at least its start.
 *
 * <p>{@code i != n} stepping by one from a start that provably does not lie beyond the bound
 * ({@code for (int i = 0; i != x.length; i++)}) runs exactly as {@code i < n}. Any other
 * {@code !=} loop is counted too, by what its termination means: a loop that ended through its
 * condition stopped with {@code i + offset == bound} exactly, so its last index is
 * {@code bound - offset - step} in int arithmetic (wrap-around included), and its reverse loop
 * counts down with {@code !=} to {@code start - step} (see {@link Loops.Counted#exact()}).
 */
final class CountedLoops {
  private CountedLoops() {}

  /**
   * The counted-loop facts of {@code l}, or null.
   *
   * @param before the statements of the block that precede {@code l}
   * @param ranges what is known of enclosing counted indices
   */
  static Loops.Counted of(Stmt.Loop l, List<Stmt> before, Map<Var, IntRange> ranges) {
    boolean updateInBody = l.update().isEmpty();
    if (!l.testFirst() && !updateInBody) {
      return null;
    }
    Stmt last = updateInBody ? (l.body().isEmpty() ? null : l.body().get(l.body().size() - 1))
        : l.update().size() == 1 ? l.update().get(0) : null;
    if (!(last instanceof Stmt.Assign update) || !update.target().type().equals(Type.INT)) {
      return null;
    }
    Var index = update.target();
    int step = step(update);
    if (step == 0 || Uses.jumps(l.body(), updateInBody)) {
      return null; // a break ends the loop early: the trip count is not known from the bounds
    }
    List<Stmt> rest = updateInBody ? l.body().subList(0, l.body().size() - 1) : l.body();
    Set<Var> changed = Uses.assigned(rest);
    if (changed.contains(index)) {
      return null;
    }

    // The start, and whether the reverse sweep before the loop reads the index after it.
    Expr start;
    boolean own = false;
    boolean restores = false;
    if (l.init().size() == 1 && l.init().get(0) instanceof Stmt.Declare d
        && d.var() == index && d.init() != null) {
      start = d.init();
      // Without an update the header prints as a declaration before a while loop: the index
      // then outlives the loop, like one declared before it.
      own = !updateInBody;
    } else if (l.init().size() == 1) {
      start = startAssigned(l.init().get(0), index);
    } else if (l.init().isEmpty()) {
      int at = before.size() - 1;
      while (at >= 0 && !Uses.assigned(List.of(before.get(at))).contains(index)) {
        at--;
      }
      start = at < 0 ? null : startAssigned(before.get(at), index);
      if (start != null) {
        List<Stmt> between = before.subList(at + 1, before.size());
        Set<Var> assignedBetween = Uses.assigned(between);
        if (Uses.all(start).stream().anyMatch(assignedBetween::contains)) {
          return null;
        }
        restores = Uses.reads(between).contains(index);
      }
    } else {
      return null;
    }
    if (start == null || Uses.all(start).contains(index)
        || Uses.all(start).stream().anyMatch(changed::contains)) {
      return null;
    }

    // The condition, as index + offset cmp bound.
    if (!(l.condition() instanceof Expr.Binary cond)) {
      return null;
    }
    boolean indexLeft = Uses.all(cond.left()).contains(index);
    boolean indexRight = Uses.all(cond.right()).contains(index);
    if (indexLeft == indexRight) {
      return null;
    }
    Expr indexSide = indexLeft ? cond.left() : cond.right();
    Expr bound = indexLeft ? cond.right() : cond.left();
    BinaryOp op = indexLeft ? cond.op() : cond.op().mirrored();
    Integer offset = offset(indexSide, index);
    if (offset == null || op == null || Uses.all(bound).stream().anyMatch(changed::contains)) {
      return null;
    }
    if (op == BinaryOp.NE) {
      if (!l.testFirst()) {
        return null;
      }
      if (!inOrder(LastIndex.plus(start, offset), bound, step, ranges)) {
        Expr lastIndex = LastIndex.plus(bound, -offset - step);
        return new Loops.Counted(index, start, bound, step, lastIndex, update, own, restores,
            true);
      }
      op = step > 0 ? BinaryOp.LT : BinaryOp.GT;
    }
    boolean fits = step > 0 ? op == BinaryOp.LT || op == BinaryOp.LE
        : op == BinaryOp.GT || op == BinaryOp.GE;
    if (!fits) {
      return null;
    }
    Expr lastIndex = LastIndex.of(start, offset, op, bound, step, ranges);
    if (!l.testFirst()) {
      // A do/while runs its first iteration before any test: at least the start.
      lastIndex = LastIndex.atLeastStart(start, lastIndex, step);
    }
    return new Loops.Counted(index, start, bound, step, lastIndex, update, own, restores,
        false);
  }

  /** What is known of the index's values in the loop's iterations. */
  static IntRange range(Loops.Counted c, Map<Var, IntRange> ranges) {
    if (c.exact()) {
      return IntRange.ALL; // it may have run through the wrap-around of int
    }
    IntRange a = IntRange.of(c.start(), ranges);
    IntRange b = IntRange.of(c.last(), ranges);
    return new IntRange(Math.min(a.lo(), b.lo()), Math.max(a.hi(), b.hi()));
  }

  /** The value {@code s} gives {@code index} ({@code int i = e} or {@code i = e}), or null. */
  private static Expr startAssigned(Stmt s, Var index) {
    if (s instanceof Stmt.Declare d && d.var() == index) {
      return d.init();
    }
    if (s instanceof Stmt.Assign a && a.target() == index && a.op() == AssignOp.SET) {
      return a.value();
    }
    return null;
  }

  /** The constant step of an update of its target, or 0 when it is not one. */
  private static int step(Stmt.Assign u) {
    Var v = u.target();
    Expr e = u.value();
    if ((u.op() == AssignOp.ADD || u.op() == AssignOp.SUB) && intConstant(e) != null) {
      int c = intConstant(e);
      return u.op() == AssignOp.ADD ? c : -c;
    }
    if (u.op() == AssignOp.SET && e instanceof Expr.Binary b) {
      Integer offset = offset(b, v);
      return offset == null ? 0 : offset;
    }
    return 0;
  }

  /**
   * The constant {@code k} when {@code e} is {@code index}, {@code index + k}, {@code k + index}
   * or {@code index - k}; else null.
   */
  private static Integer offset(Expr e, Var index) {
    if (e instanceof Expr.Read r) {
      return r.var() == index ? 0 : null;
    }
    if (!(e instanceof Expr.Binary b) || !b.type().equals(Type.INT)) {
      return null;
    }
    boolean leftIndex = b.left() instanceof Expr.Read r && r.var() == index;
    boolean rightIndex = b.right() instanceof Expr.Read r && r.var() == index;
    if (b.op() == BinaryOp.ADD && leftIndex && intConstant(b.right()) != null) {
      return intConstant(b.right());
    }
    if (b.op() == BinaryOp.ADD && rightIndex && intConstant(b.left()) != null) {
      return intConstant(b.left());
    }
    if (b.op() == BinaryOp.SUB && leftIndex && intConstant(b.right()) != null) {
      return -intConstant(b.right());
    }
    return null;
  }

  private static Integer intConstant(Expr e) {
    return e instanceof Expr.Const c && c.type().equals(Type.INT) ? (int) c.asDouble() : null;
  }

  /**
   * True when a {@code !=} loop stepping by one provably starts on the near side of its bound
   * ({@code 0 != x.length} counting up), so that it stops at the bound.
   */
  private static boolean inOrder(Expr start, Expr bound, int step,
      Map<Var, IntRange> ranges) {
    if (Math.abs(step) != 1) {
      return false;
    }
    IntRange s = IntRange.of(start, ranges);
    IntRange b = IntRange.of(bound, ranges);
    return step > 0 ? s.hi() <= b.lo() : s.lo() >= b.hi();
  }
}
