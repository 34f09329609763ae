package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.mul;

import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * The power rule for products that repeat a factor: {@code 100 * u * u} has the partial
 * {@code 2 * u * 100} with respect to {@code u}, one propagation through {@code u} instead of one
 * per occurrence (the product rule applied to {@code (100 * u) * u} would walk {@code u}'s
 * derivative twice). Only plain arithmetic factors are grouped, so that evaluating one of them
 * again in a partial is as cheap as the product rule's.
 */
final class RepeatedFactors {
  /**
   * One distinct factor and the product's derivative with respect to it, {@code power} times
   * the product of {@code rest}.
   *
   * @param factor the factor, as it appears in the product
   * @param power how many times it appears
   * @param rest the factor {@code power - 1} times, then the other factors in their order
   */
  record Partial(Expr factor, int power, List<Expr> rest) {
    /**
     * {@code seed} times this partial: {@code c * seed * rest...}, with the constants of
     * {@code rest} folded into the coefficient {@code c} ({@code 2.0 * a * 100.0} reads
     * {@code 200.0 * a}).
     */
    Expr times(Expr seed) {
      double coefficient = power;
      List<Expr> variables = new ArrayList<>();
      for (Expr g : rest) {
        if (g instanceof Expr.Const c) {
          coefficient *= c.asDouble();
        } else {
          variables.add(g);
        }
      }
      Expr d = coefficient == 1 ? seed : mul(Exprs.constant(coefficient, seed.type()), seed);
      for (Expr g : variables) {
        d = mul(d, g);
      }
      return d;
    }
  }

  private RepeatedFactors() {}

  /**
   * The partials of product {@code b} with respect to its distinct active factors, or null when
   * no active factor repeats (the product rule then applies as usual).
   */
  static List<Partial> of(Expr.Binary b, Predicate<Expr> active) {
    List<Expr> factors = new ArrayList<>();
    flatten(b, factors);
    List<Expr> distinct = new ArrayList<>();
    boolean repeats = false;
    for (Expr f : factors) {
      if (!plain(f)) {
        return null;
      }
      if (distinct.contains(f)) {
        repeats |= active.test(f);
      } else {
        distinct.add(f);
      }
    }
    if (!repeats) {
      return null;
    }
    List<Partial> out = new ArrayList<>();
    for (Expr f : distinct) {
      if (!active.test(f)) {
        continue;
      }
      List<Expr> others = factors.stream().filter(g -> !g.equals(f)).toList();
      int power = factors.size() - others.size();
      List<Expr> rest = new ArrayList<>(Collections.nCopies(power - 1, f));
      rest.addAll(others);
      out.add(new Partial(f, power, rest));
    }
    return out;
  }

  /** The factors of a chain of multiplications of one type, left to right. */
  private static void flatten(Expr e, List<Expr> out) {
    if (e instanceof Expr.Binary m && m.op() == BinaryOp.MUL
        && m.left().type().equals(m.type()) && m.right().type().equals(m.type())) {
      flatten(m.left(), out);
      flatten(m.right(), out);
    } else {
      out.add(e);
    }
  }

  /** True for arithmetic on constants, locals and array elements: no calls. */
  private static boolean plain(Expr e) {
    if (e instanceof Expr.Const || e instanceof Expr.Read) {
      return true;
    }
    if (e instanceof Expr.Index i) {
      return plain(i.array()) && plain(i.index());
    }
    if (e instanceof Expr.Unary u) {
      return plain(u.operand());
    }
    if (e instanceof Expr.Cast c) {
      return plain(c.operand());
    }
    if (e instanceof Expr.Binary x) {
      return plain(x.left()) && plain(x.right());
    }
    return false;
  }
}
