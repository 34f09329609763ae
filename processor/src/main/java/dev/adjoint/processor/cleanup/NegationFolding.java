package dev.adjoint.processor.cleanup;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.UnaryOp;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Negations carried by a constant factor, as a hand-written gradient writes {@code -2 * b}
 * where the reverse sweep would negate: a generated value {@code -(2.0 * dA * x)} becomes
 * {@code -2.0 * dA * x}, and a generated local declared as such a product whose only use is
 * its negation as the value of a later statement of its block ({@code double dB = 2.0 * b; ...
 * double dXAtI = -dB;}) is computed there instead ({@code double dXAtI = -2.0 * b;}).
 *
 * <p>Negating one factor of a product negates the product exactly in IEEE arithmetic, and
 * multiplication commutes exactly, so every value stays bit for bit what it was.
 */
public final class NegationFolding {
  private NegationFolding() {}

  public static List<Stmt> apply(List<Stmt> block) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      out.add(Stmt.withBlocks(s, NegationFolding::apply));
    }
    for (int k = 0; k < out.size(); k++) {
      if (inline(out, k)) {
        k = Math.max(-1, k - 2); // it removed out[k], perhaps a comment before it
      }
    }
    out.replaceAll(NegationFolding::folded);
    return out;
  }

  /**
   * Moves the product that {@code block.get(at)} declares into the only use of its variable, a
   * negation, and drops the declaration; false when that is not sound. Between the two, the
   * block may only declare and assign locals other than those the product reads, calling
   * nothing but pure functions, so the product has the same value where it moves.
   */
  private static boolean inline(List<Stmt> block, int at) {
    if (!(block.get(at) instanceof Stmt.Declare d) || !generated(d.var()) || d.init() == null
        || negated(d.init()) == null || !Exprs.pure(d.init())) {
      return false;
    }
    Var v = d.var();
    Set<Var> inputs = Uses.all(d.init());
    for (int j = at + 1; j < block.size(); j++) {
      Stmt s = block.get(j);
      if (mentions(List.of(s), v)) {
        if (!(value(s) instanceof Expr.Unary u && u.op() == UnaryOp.NEG
            && u.operand() instanceof Expr.Read r && r.var() == v)
            || target(s) == v || mentions(block.subList(j + 1, block.size()), v)) {
          return false;
        }
        block.set(j, withValue(s, negated(d.init())));
        block.remove(at);
        // A line comment left with no code under it goes too.
        if (at > 0 && block.get(at - 1) instanceof Stmt.Comment c && c.text().startsWith("line ")
            && (at == block.size() || block.get(at) instanceof Stmt.Comment)) {
          block.remove(at - 1);
        }
        return true;
      }
      boolean harmless = s instanceof Stmt.Comment || s instanceof Stmt.Blank
          || (s instanceof Stmt.Declare || s instanceof Stmt.Assign)
          && (value(s) == null || Exprs.pure(value(s)))
          && !inputs.contains(target(s));
      if (!harmless) {
        return false;
      }
    }
    return false;
  }

  /** {@code s} with a negated product as its value carrying the sign in a constant. */
  private static Stmt folded(Stmt s) {
    if (value(s) instanceof Expr.Unary u && u.op() == UnaryOp.NEG && generated(target(s))) {
      Expr product = negated(u.operand());
      return product == null ? s : withValue(s, product);
    }
    return s;
  }

  /**
   * The negation of {@code e} as a product with one constant factor negated (moved to the front
   * when it is the last factor), or null when {@code e} is no floating product with a constant
   * factor there.
   */
  private static Expr negated(Expr e) {
    if (!(e instanceof Expr.Binary b) || b.op() != BinaryOp.MUL || !b.type().isFloating()) {
      return null;
    }
    if (number(b.left()) instanceof Expr.Const c) {
      return new Expr.Binary(BinaryOp.MUL, minus(c), b.right(), b.type());
    }
    Expr left = negated(b.left());
    if (left != null) {
      return new Expr.Binary(BinaryOp.MUL, left, b.right(), b.type());
    }
    if (number(b.right()) instanceof Expr.Const c) {
      return new Expr.Binary(BinaryOp.MUL, minus(c), b.left(), b.type());
    }
    return null;
  }

  /** {@code e} when it is a floating constant other than NaN (whose sign nobody can fold). */
  private static Expr number(Expr e) {
    return e instanceof Expr.Const c && c.type().isFloating() && !Double.isNaN(c.asDouble())
        ? e : null;
  }

  private static Expr minus(Expr.Const c) {
    return Expr.Const.of(-c.asDouble(), c.type());
  }

  private static boolean mentions(List<Stmt> stmts, Var v) {
    return Uses.reads(stmts).contains(v) || Uses.assigned(stmts).contains(v);
  }

  private static boolean generated(Var v) {
    return v != null && v.kind() == Var.Kind.GENERATED && v.type().isFloating()
        && v.type().dims() == 0;
  }

  private static Expr value(Stmt s) {
    return s instanceof Stmt.Declare d ? d.init() : s instanceof Stmt.Assign a ? a.value() : null;
  }

  private static Var target(Stmt s) {
    return s instanceof Stmt.Declare d ? d.var() : s instanceof Stmt.Assign a ? a.target() : null;
  }

  private static Stmt withValue(Stmt s, Expr value) {
    return s instanceof Stmt.Declare d ? new Stmt.Declare(d.var(), value, d.source())
        : s instanceof Stmt.Assign a ? new Stmt.Assign(a.target(), a.op(), value, a.source())
        : s;
  }
}
