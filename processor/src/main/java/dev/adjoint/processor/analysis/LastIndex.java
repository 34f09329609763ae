package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.List;
import java.util.Map;

/**
 * The index of the last iteration of a counted loop {@code for (i = start; i + offset cmp bound;
 * i += step)}, from which its reverse loop counts back down to {@code start}: below
 * {@code start} (above, for a decreasing loop) when the loop ran no iteration.
 *
 * <p>When the bounds are known not to wrap around (constants, array lengths, indices of
 * enclosing counted loops, and those plus or minus constants), the plain form is used, e.g.
 * {@code x.length - 2} for {@code i + 1 < x.length}. Otherwise the bound is first clamped to
 * the start, {@code Math.max(0, n) - 1} for {@code i < n}, so that a loop that ran no iteration
 * (even with {@code n == Integer.MIN_VALUE}) gives an index before the start rather than one
 * wrapped around to the top of int. A step other than 1 further assumes that the distance from
 * start to bound fits in an int, as it does for every loop over array indices.
 */
final class LastIndex {
  private LastIndex() {}

  /** The last index; {@code comparison} is one of LT, LE (step above 0), GT, GE (below 0). */
  static Expr of(Expr start, int offset, BinaryOp comparison, Expr bound, int step,
      Map<Var, IntRange> ranges) {
    boolean up = step > 0;
    boolean inclusive = comparison == BinaryOp.LE || comparison == BinaryOp.GE;
    // The greatest value of index + offset an iteration may take (least, going down).
    Expr extreme = inclusive ? bound : plus(bound, up ? -1 : 1);
    if (!wraps(start, plus(extreme, -offset), step, ranges)) {
      return fromExtreme(start, offset, extreme, step);
    }
    Expr startPlus = plus(start, offset);
    extreme = up
        ? (inclusive ? max(plus(startPlus, -1), bound) : plus(max(startPlus, bound), -1))
        : (inclusive ? min(plus(startPlus, 1), bound) : plus(min(startPlus, bound), 1));
    return fromExtreme(start, offset, extreme, step);
  }

  /**
   * The last index of a loop that runs its first iteration before testing ({@code do}/{@code
   * while}), from {@code last}, that of the same loop testing first: {@code start} when that one
   * would run no iteration.
   */
  static Expr atLeastStart(Expr start, Expr last, int step) {
    return step > 0 ? max(start, last) : min(start, last);
  }

  /** True unless the plain form's arithmetic is known not to wrap around. */
  private static boolean wraps(Expr start, Expr last, int step, Map<Var, IntRange> ranges) {
    return !IntRange.of(last, ranges).known()
        || Math.abs(step) != 1 && !IntRange.of(span(start, last, step), ranges).known();
  }

  /** The last index given the extreme value of index + offset. */
  private static Expr fromExtreme(Expr start, int offset, Expr extreme, int step) {
    Expr last = plus(extreme, -offset);
    int size = Math.abs(step);
    if (size == 1) {
      return last;
    }
    // start + floorDiv(last - start, step) * step, mirrored for a decreasing loop
    Expr steps = new Expr.Binary(BinaryOp.MUL, new Expr.LibraryCall("Math", "floorDiv",
        List.of(span(start, last, step), constant(size)), Type.INT), constant(size), Type.INT);
    return new Expr.Binary(step > 0 ? BinaryOp.ADD : BinaryOp.SUB, start, steps, Type.INT);
  }

  private static Expr span(Expr start, Expr last, int step) {
    return step > 0 ? sub(last, start) : sub(start, last);
  }

  /** {@code e + k}, folding the constant into one already there ({@code n - 1 - 1} is n - 2). */
  static Expr plus(Expr e, int k) {
    return Exprs.plusInt(e, k);
  }

  private static Expr sub(Expr a, Expr b) {
    if (b instanceof Expr.Const c) {
      return plus(a, -(int) c.asDouble());
    }
    return new Expr.Binary(BinaryOp.SUB, a, b, Type.INT);
  }

  private static Expr max(Expr a, Expr b) {
    return new Expr.LibraryCall("Math", "max", List.of(a, b), Type.INT);
  }

  private static Expr min(Expr a, Expr b) {
    return new Expr.LibraryCall("Math", "min", List.of(a, b), Type.INT);
  }

  private static Expr constant(int v) {
    return Expr.Const.of(v, Type.INT);
  }
}
