package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.UnaryOp;
import dev.adjoint.processor.ir.Var;

/**
 * How an array access moves through memory as loop indices advance: for {@link LoopInterchange},
 * whether an access in a loop over {@code k} inside a loop over {@code j} jumps along memory with
 * {@code k} but would walk it contiguously with {@code j}.
 */
final class Strides {
  /** A coefficient that is not a known constant (such as {@code k * n}); never zero or one. */
  private static final long SYMBOLIC = Long.MIN_VALUE;
  /** Marks an index that is not affine in the variable. */
  private static final long NOT_AFFINE = Long.MIN_VALUE + 1;

  private Strides() {}

  /**
   * The array of an access in {@code e} that steps by one element as {@code j} grows but jumps
   * as {@code k} grows: a flat index {@code k * C + j + ...} with a stride {@code C} other than
   * 0 and ±1, or a matrix element {@code a[..k..][j + ...]} (one row per {@code k}); null when
   * there is none.
   */
  static Var stridedInKContiguousInJ(Expr e, Var j, Var k) {
    if (e instanceof Expr.Index i && coefficient(i.index(), j) == 1) {
      long inK = coefficient(i.index(), k);
      boolean rowPerK = inK == 0 && i.array() instanceof Expr.Index row
          && Uses.all(row.index()).contains(k);
      Expr base = i.array();
      while (base instanceof Expr.Index row) {
        base = row.array();
      }
      if ((rowPerK || inK != 0 && inK != 1 && inK != -1 && inK != NOT_AFFINE)
          && base instanceof Expr.Read r) {
        return r.var();
      }
    }
    for (Expr s : e.operands()) {
      Var found = stridedInKContiguousInJ(s, j, k);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /**
   * The constant by which the int expression {@code e} grows when {@code v} grows by one,
   * {@link #SYMBOLIC} when that is a value that is not a constant, {@link #NOT_AFFINE} when
   * {@code e} is not affine in {@code v}.
   */
  private static long coefficient(Expr e, Var v) {
    if (!Uses.all(e).contains(v)) {
      return 0;
    }
    if (e instanceof Expr.Read) {
      return 1; // the only variable it reads is v
    }
    if (e instanceof Expr.Unary u && u.op() == UnaryOp.NEG) {
      return negate(coefficient(u.operand(), v));
    }
    if (e instanceof Expr.Binary b && b.type().isIntegral()) {
      long l = coefficient(b.left(), v);
      long r = coefficient(b.right(), v);
      switch (b.op()) {
        case ADD, SUB -> {
          long rr = b.op() == BinaryOp.SUB ? negate(r) : r;
          if (l == NOT_AFFINE || rr == NOT_AFFINE) {
            return NOT_AFFINE;
          }
          return l == SYMBOLIC || rr == SYMBOLIC ? SYMBOLIC : l + rr;
        }
        case MUL -> {
          if (l != 0 && r != 0) {
            return NOT_AFFINE; // v times v
          }
          long c = l != 0 ? l : r;
          Expr factor = l != 0 ? b.right() : b.left();
          if (c == NOT_AFFINE) {
            return NOT_AFFINE;
          }
          if (c == SYMBOLIC || !(factor instanceof Expr.Const k)) {
            return SYMBOLIC;
          }
          return c * (long) k.asDouble();
        }
        default -> {
          return NOT_AFFINE;
        }
      }
    }
    return NOT_AFFINE;
  }

  private static long negate(long c) {
    return c == SYMBOLIC || c == NOT_AFFINE ? c : -c;
  }
}
