package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The operands of the expressions that user code lowers to, and the same expression rebuilt
 * with its operands mapped; for {@link LoopInterchange}, which renames loop indices and looks
 * for array accesses.
 */
final class Subexpressions {
  private Subexpressions() {}

  /** The direct operands of {@code e}. */
  static List<Expr> of(Expr e) {
    List<Expr> out = new ArrayList<>();
    map(e, x -> {
      out.add(x);
      return x;
    });
    return out;
  }

  /**
   * {@code e} with each direct operand replaced by {@code f} of it, nothing folded (the value
   * must stay bit for bit the same); null for the forms only generated code holds.
   */
  static Expr map(Expr e, UnaryOperator<Expr> f) {
    if (e instanceof Expr.Const || e instanceof Expr.StaticField || e instanceof Expr.Read) {
      return e;
    }
    if (e instanceof Expr.Unary u) {
      return new Expr.Unary(u.op(), f.apply(u.operand()), u.type());
    }
    if (e instanceof Expr.Binary b) {
      Expr l = f.apply(b.left());
      return new Expr.Binary(b.op(), l, f.apply(b.right()), b.type());
    }
    if (e instanceof Expr.Cast c) {
      return new Expr.Cast(c.type(), f.apply(c.operand()), c.explicit());
    }
    if (e instanceof Expr.Conditional c) {
      Expr condition = f.apply(c.condition());
      Expr ifTrue = f.apply(c.ifTrue());
      return new Expr.Conditional(condition, ifTrue, f.apply(c.ifFalse()), c.type());
    }
    if (e instanceof Expr.Index i) {
      Expr array = f.apply(i.array());
      return new Expr.Index(array, f.apply(i.index()), i.type());
    }
    if (e instanceof Expr.Length l) {
      return new Expr.Length(f.apply(l.array()));
    }
    if (e instanceof Expr.LibraryCall c) {
      return new Expr.LibraryCall(c.owner(), c.name(), all(c.args(), f), c.type());
    }
    if (e instanceof Expr.DiffCall c) {
      return new Expr.DiffCall(c.callee(), all(c.args(), f), c.type());
    }
    if (e instanceof Expr.CustomCall c) {
      return new Expr.CustomCall(c.pullback(), all(c.args(), f), c.type());
    }
    if (e instanceof Expr.NewArray n) {
      return new Expr.NewArray(n.type(), all(n.dims(), f),
          n.elements() == null ? null : all(n.elements(), f));
    }
    return null;
  }

  private static List<Expr> all(List<Expr> args, UnaryOperator<Expr> f) {
    List<Expr> out = new ArrayList<>();
    args.forEach(a -> out.add(f.apply(a)));
    return out;
  }
}
