package dev.adjoint.processor.ir;

import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.Cast;
import dev.adjoint.processor.ir.Expr.Const;
import dev.adjoint.processor.ir.Expr.Unary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Builders for the expressions of derivative code. They fold the trivial cases (multiplying by
 * one, adding zero, double negation) so that generated code reads like hand-written code.
 */
public final class Exprs {
  private Exprs() {}

  public static Const constant(double value, Type type) {
    return Const.of(value, type);
  }

  public static Expr read(Var v) {
    return new Expr.Read(v);
  }

  public static boolean isConst(Expr e, double value) {
    return e instanceof Const c && c.type().isNumeric() && c.asDouble() == value;
  }

  /** Converts {@code e} to {@code type}: a no-op when equal, constants are retyped. */
  public static Expr convert(Expr e, Type type) {
    if (e.type().equals(type)) {
      return e;
    }
    if (e instanceof Const c && c.type().isNumeric() && type.isNumeric()) {
      double v = c.asDouble();
      if (type.isFloating() || v == Math.rint(v)) {
        return Const.of(v, type);
      }
    }
    return new Cast(type, e, !type.widens(e.type()));
  }

  public static Expr neg(Expr e) {
    if (e instanceof Unary u && u.op() == UnaryOp.NEG) {
      return u.operand();
    }
    if (e instanceof Const c && c.type().isNumeric()) {
      return Const.of(-c.asDouble(), c.type());
    }
    return new Unary(UnaryOp.NEG, e, e.type());
  }

  public static Expr add(Expr a, Expr b) {
    Type t = Type.promote(a.type(), b.type());
    if (isConst(a, 0)) {
      return convert(b, t);
    }
    if (isConst(b, 0)) {
      return convert(a, t);
    }
    if (b instanceof Unary u && u.op() == UnaryOp.NEG) {
      return sub(a, u.operand());
    }
    return new Binary(BinaryOp.ADD, convert(a, t), convert(b, t), t);
  }

  public static Expr sub(Expr a, Expr b) {
    Type t = Type.promote(a.type(), b.type());
    if (isConst(b, 0)) {
      return convert(a, t);
    }
    if (isConst(a, 0)) {
      return convert(neg(b), t);
    }
    return new Binary(BinaryOp.SUB, convert(a, t), convert(b, t), t);
  }

  public static Expr mul(Expr a, Expr b) {
    Type t = Type.promote(a.type(), b.type());
    if (isConst(a, 1)) {
      return convert(b, t);
    }
    if (isConst(b, 1)) {
      return convert(a, t);
    }
    if (isConst(a, -1)) {
      return convert(neg(b), t);
    }
    if (isConst(b, -1)) {
      return convert(neg(a), t);
    }
    // Pull negations out so that "-seed * x" reads as the derivative rule is written.
    if (b instanceof Unary u && u.op() == UnaryOp.NEG) {
      return neg(mul(a, u.operand()));
    }
    if (a instanceof Unary u && u.op() == UnaryOp.NEG) {
      return neg(mul(u.operand(), b));
    }
    return new Binary(BinaryOp.MUL, convert(a, t), convert(b, t), t);
  }

  public static Expr div(Expr a, Expr b) {
    Type t = Type.promote(a.type(), b.type());
    if (isConst(b, 1)) {
      return convert(a, t);
    }
    if (a instanceof Unary u && u.op() == UnaryOp.NEG) {
      return neg(div(u.operand(), b));
    }
    return new Binary(BinaryOp.DIV, convert(a, t), convert(b, t), t);
  }

  /** The int expression {@code e + k}, folding constants ({@code n - 1 - 1} is {@code n - 2}). */
  public static Expr plusInt(Expr e, int k) {
    if (k == 0) {
      return e;
    }
    if (e instanceof Expr.Const c) {
      return Const.of((int) c.asDouble() + k, Type.INT);
    }
    if (e instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)
        && b.right() instanceof Expr.Const c) {
      int folded = (b.op() == BinaryOp.ADD ? (int) c.asDouble() : -(int) c.asDouble()) + k;
      return plusInt(b.left(), folded);
    }
    return k > 0 ? new Expr.Binary(BinaryOp.ADD, e, Const.of(k, Type.INT), Type.INT)
        : new Expr.Binary(BinaryOp.SUB, e, Const.of(-k, Type.INT), Type.INT);
  }

  public static Expr binary(BinaryOp op, Expr a, Expr b, Type type) {
    return new Binary(op, a, b, type);
  }

  /**
   * The arguments of a static call (a library, differentiable, custom, pullback or gradient
   * call), or null when {@code e} is not one.
   */
  public static List<Expr> staticCallArguments(Expr e) {
    if (e instanceof Expr.LibraryCall c) {
      return c.args();
    }
    if (e instanceof Expr.DiffCall c) {
      return c.args();
    }
    if (e instanceof Expr.CustomCall c) {
      return c.args();
    }
    if (e instanceof Expr.PullbackCall c) {
      return c.args();
    }
    if (e instanceof Expr.GradCall c) {
      return c.args();
    }
    if (e instanceof Expr.AccumulatingCall c) {
      return c.args();
    }
    return null;
  }

  /** A call of {@code java.lang.Math.name}, typed {@code type}. */
  public static Expr math(String name, Type type, Expr... args) {
    return new Expr.LibraryCall("Math", name, List.of(args), type);
  }

  public static Expr conditional(Expr c, Expr a, Expr b) {
    Type t = a.type().isNumeric() && b.type().isNumeric() ? Type.promote(a.type(), b.type())
        : a.type();
    return new Expr.Conditional(c, convert(a, t), convert(b, t), t);
  }

  /** True for expressions cheap enough to repeat instead of binding to a local. */
  public static boolean isTrivial(Expr e) {
    return e instanceof Const || e instanceof Expr.Read || e instanceof Expr.StaticField
        || e instanceof Expr.Component
        || (e instanceof Unary u && isTrivial(u.operand()));
  }

  /** True when {@code e} calls nothing but pure library functions. */
  public static boolean pure(Expr e) {
    if (e instanceof Expr.Const || e instanceof Expr.Read || e instanceof Expr.StaticField) {
      return true;
    }
    if (e instanceof Expr.Length l) {
      return pure(l.array());
    }
    if (e instanceof Expr.Unary u) {
      return pure(u.operand());
    }
    if (e instanceof Expr.Binary b) {
      return pure(b.left()) && pure(b.right());
    }
    if (e instanceof Expr.Cast c) {
      return pure(c.operand());
    }
    if (e instanceof Expr.Conditional c) {
      return pure(c.condition()) && pure(c.ifTrue()) && pure(c.ifFalse());
    }
    if (e instanceof Expr.Index i) {
      return pure(i.array()) && pure(i.index());
    }
    return e instanceof Expr.LibraryCall c && c.args().stream().allMatch(Exprs::pure);
  }
  /**
   * {@code e} with every read of {@code v} replaced by {@code replacement}, arithmetic folded
   * again (so that a constant 1 disappears from products).
   */
  public static Expr substitute(Expr e, Var v, Expr replacement) {
    if (e instanceof Expr.Read r) {
      return r.var() == v ? replacement : e;
    }
    if (e instanceof Unary u) {
      Expr o = substitute(u.operand(), v, replacement);
      return u.op() == UnaryOp.NEG ? neg(o) : new Unary(u.op(), o, u.type());
    }
    if (e instanceof Binary b) {
      Expr l = substitute(b.left(), v, replacement);
      Expr r = substitute(b.right(), v, replacement);
      return switch (b.op()) {
        case ADD -> b.type().isFloating() ? add(l, r) : new Binary(b.op(), l, r, b.type());
        case SUB -> b.type().isFloating() ? sub(l, r) : new Binary(b.op(), l, r, b.type());
        case MUL -> b.type().isFloating() ? mul(l, r) : new Binary(b.op(), l, r, b.type());
        case DIV -> b.type().isFloating() ? div(l, r) : new Binary(b.op(), l, r, b.type());
        default -> new Binary(b.op(), l, r, b.type());
      };
    }
    if (e instanceof Cast c) {
      return convert(substitute(c.operand(), v, replacement), c.type());
    }
    if (e instanceof Expr.Conditional c) {
      return new Expr.Conditional(substitute(c.condition(), v, replacement),
          substitute(c.ifTrue(), v, replacement), substitute(c.ifFalse(), v, replacement),
          c.type());
    }
    if (e instanceof Expr.Index i) {
      return new Expr.Index(substitute(i.array(), v, replacement),
          substitute(i.index(), v, replacement), i.type());
    }
    if (e instanceof Expr.LibraryCall c) {
      return new Expr.LibraryCall(c.owner(), c.name(),
          c.args().stream().map(a -> substitute(a, v, replacement)).toList(), c.type());
    }
    if (e instanceof Expr.RuntimeCall c) {
      return new Expr.RuntimeCall(c.receiver(), c.owner(), c.name(),
          c.args().stream().map(a -> substitute(a, v, replacement)).toList(), c.type());
    }
    if (e instanceof Expr.PullbackCall c) {
      return new Expr.PullbackCall(c.pullback(),
          c.args().stream().map(a -> substitute(a, v, replacement)).toList(), c.type());
    }
    if (e instanceof Expr.GradCall c) {
      return new Expr.GradCall(c.callee(),
          c.args().stream().map(a -> substitute(a, v, replacement)).toList());
    }
    if (e instanceof Expr.AccumulatingCall c) {
      return new Expr.AccumulatingCall(c.callee(),
          c.args().stream().map(a -> substitute(a, v, replacement)).toList());
    }
    if (e instanceof Expr.NewAccumulator n) {
      return new Expr.NewAccumulator(n.callee(),
          n.buffers().stream().map(a -> substitute(a, v, replacement)).toList());
    }
    if (e instanceof Expr.Component c) {
      return new Expr.Component(substitute(c.record(), v, replacement), c.name(), c.type());
    }
    return e;
  }

  /**
   * {@code e} with each operand replaced by {@code f} of it, applied in evaluation order, nothing
   * folded (the value stays bit for bit the same).
   */
  public static Expr mapOperands(Expr e, UnaryOperator<Expr> f) {
    List<Expr> mapped = new ArrayList<>();
    for (Expr operand : e.operands()) {
      mapped.add(f.apply(operand));
    }
    return e.withOperands(mapped);
  }

  /**
   * The operands of {@code e} ({@link Expr#operands()}), then its receiver as a read: every
   * expression and variable {@code e} evaluates directly.
   */
  public static List<Expr> children(Expr e) {
    if (e.receiver() == null) {
      return e.operands();
    }
    List<Expr> out = new ArrayList<>(e.operands());
    out.add(new Expr.Read(e.receiver()));
    return out;
  }

  /**
   * The expressions statement {@code s} evaluates itself (an element store's whole target), not
   * those of the blocks nested in it, as a list the caller may change.
   */
  public static List<Expr> ownExpressions(Stmt s) {
    return new ArrayList<>(s.expressions());
  }
}
