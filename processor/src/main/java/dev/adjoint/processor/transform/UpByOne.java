package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.List;

/**
 * A loop header {@code for (int index = start; index < bound; index++)} (or
 * {@code bound > index}): the loops whose iterations {@link LoopInterchange} spreads over three
 * loops of the same header, with one slot of a buffer per iteration.
 */
record UpByOne(Var index, Expr start, Expr bound) {
  /** The header of {@code l} when it has this form, else null. */
  static UpByOne of(Stmt.Loop l) {
    if (!l.testFirst() || l.init().size() != 1
        || !(l.init().get(0) instanceof Stmt.Declare d) || d.init() == null
        || !d.var().type().equals(Type.INT) || l.update().size() != 1
        || !(l.update().get(0) instanceof Stmt.Assign u) || u.target() != d.var()
        || u.op() != AssignOp.ADD || !(u.value() instanceof Expr.Const c) || c.asDouble() != 1
        || !(l.condition() instanceof Expr.Binary cond)) {
      return null;
    }
    Var index = d.var();
    Expr bound = cond.op() == BinaryOp.LT && isRead(cond.left(), index) ? cond.right()
        : cond.op() == BinaryOp.GT && isRead(cond.right(), index) ? cond.left() : null;
    if (bound == null || Uses.all(bound).contains(index) || Uses.all(d.init()).contains(index)) {
      return null;
    }
    return new UpByOne(index, d.init(), bound);
  }

  /**
   * True for int arithmetic of constants, variables and array lengths: nothing that throws
   * (given arrays that are not null).
   */
  private static boolean cannotThrow(Expr e) {
    return e instanceof Expr.Const || e instanceof Expr.Read
        || e instanceof Expr.Length l && l.array() instanceof Expr.Read
        || e instanceof Expr.Binary b && e.type().equals(Type.INT)
            && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB || b.op() == BinaryOp.MUL)
            && cannotThrow(b.left()) && cannotThrow(b.right());
  }

  private static boolean isRead(Expr e, Var v) {
    return e instanceof Expr.Read r && r.var() == v;
  }

  /**
   * The number of iterations, as the length of a buffer with one slot per iteration: never
   * negative ({@code Math.max(bound - start, 0)} unless that is known); null when the loop never
   * runs, or when the bounds could throw (they are evaluated before the loop, maybe where the
   * loop would not run).
   */
  Expr count() {
    if (!cannotThrow(start) || !cannotThrow(bound)) {
      return null;
    }
    boolean fromZero = start instanceof Expr.Const s && s.asDouble() == 0;
    Expr count = fromZero ? bound : new Expr.Binary(BinaryOp.SUB, bound, start, Type.INT);
    if (start instanceof Expr.Const s && bound instanceof Expr.Const b) {
      long n = (long) b.asDouble() - (long) s.asDouble();
      return n > 0 ? new Expr.Const((int) n, Type.INT) : null;
    }
    if (fromZero && bound instanceof Expr.Length) {
      return count;
    }
    return new Expr.LibraryCall("Math", "max", List.of(count, new Expr.Const(0, Type.INT)),
        Type.INT);
  }

  /** The slot of {@code buffer} for the iteration where {@code i} is the index. */
  Expr.Index slot(Var buffer, Var i) {
    Expr at = start instanceof Expr.Const s && s.asDouble() == 0 ? new Expr.Read(i)
        : new Expr.Binary(BinaryOp.SUB, new Expr.Read(i), start, Type.INT);
    return new Expr.Index(new Expr.Read(buffer), at, buffer.type().component());
  }

  /** The same header over {@code i}, running {@code body}. */
  Stmt.Loop loop(Var i, Stmt body, Source source) {
    return new Stmt.Loop(List.of(new Stmt.Declare(i, start, source)),
        new Expr.Binary(BinaryOp.LT, new Expr.Read(i), bound, Type.BOOLEAN),
        List.of(new Stmt.Assign(i, AssignOp.ADD, new Expr.Const(1, Type.INT), source)),
        List.of(body), true, source);
  }
}
