package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.Map;

/**
 * Bounds known at compile time of an {@code int} expression, enough to tell when a loop bound
 * such as {@code x.length - 2} cannot wrap around: constants, array lengths (never negative),
 * indices of enclosing counted loops, their maximum and minimum, and those plus or minus a
 * constant.
 *
 * @param lo the least value the expression can take
 * @param hi the greatest
 */
record IntRange(long lo, long hi) {
  /** Every int: nothing known. */
  static final IntRange ALL = new IntRange(Integer.MIN_VALUE, Integer.MAX_VALUE);

  /** The range of {@code e}, given the ranges of some variables; all of int when unknown. */
  static IntRange of(Expr e, Map<Var, IntRange> vars) {
    if (e instanceof Expr.Const c && c.type().equals(Type.INT)) {
      long v = (long) c.asDouble();
      return new IntRange(v, v);
    }
    if (e instanceof Expr.Length) {
      return new IntRange(0, Integer.MAX_VALUE);
    }
    if (e instanceof Expr.Read r) {
      return vars.getOrDefault(r.var(), ALL);
    }
    if (e instanceof Expr.Binary b && b.type().equals(Type.INT)
        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)) {
      IntRange l = of(b.left(), vars);
      IntRange r = of(b.right(), vars);
      if (!l.known() || !r.known()) {
        return ALL; // the int operation may have wrapped around
      }
      IntRange sum = b.op() == BinaryOp.ADD ? new IntRange(l.lo + r.lo, l.hi + r.hi)
          : new IntRange(l.lo - r.hi, l.hi - r.lo);
      return sum.fitsInt() ? sum : ALL;
    }
    if (e instanceof Expr.LibraryCall c && c.owner().equals("Math") && c.args().size() == 2
        && (c.name().equals("max") || c.name().equals("min")) && c.type().equals(Type.INT)) {
      IntRange a = of(c.args().get(0), vars);
      IntRange b = of(c.args().get(1), vars);
      return c.name().equals("max")
          ? new IntRange(Math.max(a.lo, b.lo), Math.max(a.hi, b.hi))
          : new IntRange(Math.min(a.lo, b.lo), Math.min(a.hi, b.hi));
    }
    return ALL;
  }

  /** True when some bound is tighter than all of int (so arithmetic on it did not wrap). */
  boolean known() {
    return lo > Integer.MIN_VALUE || hi < Integer.MAX_VALUE;
  }

  /** True when every value of the range is an int. */
  boolean fitsInt() {
    return lo >= Integer.MIN_VALUE && hi <= Integer.MAX_VALUE;
  }
}
