package dev.adjoint.processor.forward;

import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects like terms of a tangent: the product rule gives {@code tX * x + x * tX} for
 * {@code x * x} and {@code tA * 100 * a + tA * (100 * a)} for {@code 100 * a * a}, which a person
 * writes {@code 2.0 * tX * x} and {@code 200.0 * tA * a}. A tangent is read as a sum of
 * products, each a constant coefficient times factors; products with the same factors (in any
 * order) are added into one. Sums inside a factor are collected on their own; nothing is
 * distributed, so a tangent never grows. A tangent with no like terms is kept exactly as it was.
 */
final class TangentSums {
  private TangentSums() {}

  /** A product: {@code coefficient} times the factors, in the order first met. */
  private record Term(double coefficient, List<Expr> factors) {}

  /** {@code t} with its like terms collected, or {@code t} itself when it has none. */
  static Expr collect(Expr t) {
    if (t == null || !t.type().isFloating()
        || !(t instanceof Expr.Binary || t instanceof Expr.Unary)) {
      return t;
    }
    List<Term> terms = new ArrayList<>();
    boolean[] changed = {false};
    terms(t, 1, t.type(), terms, changed);
    Map<List<String>, Term> merged = new LinkedHashMap<>();
    for (Term term : terms) {
      List<String> key = term.factors().stream().map(Expr::toString).sorted().toList();
      Term previous = merged.get(key);
      merged.put(key, previous == null ? term
          : new Term(previous.coefficient() + term.coefficient(), previous.factors()));
    }
    if (merged.size() == terms.size() && !changed[0]) {
      return t;
    }
    Expr sum = null;
    for (Term term : merged.values()) {
      if (term.coefficient() == 0) {
        continue;
      }
      boolean negative = term.coefficient() < 0 && sum != null;
      Expr product = product(negative ? -term.coefficient() : term.coefficient(),
          term.factors(), t.type());
      sum = sum == null ? product : negative ? Exprs.sub(sum, product) : Exprs.add(sum, product);
    }
    return sum == null ? Exprs.constant(0, t.type()) : Exprs.convert(sum, t.type());
  }

  /** Adds the products of {@code e}, times {@code sign}, to {@code out}. */
  private static void terms(Expr e, double sign, Type type, List<Term> out, boolean[] changed) {
    if (e.type().equals(type) && e instanceof Expr.Binary b
        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)) {
      terms(b.left(), sign, type, out, changed);
      terms(b.right(), b.op() == BinaryOp.SUB ? -sign : sign, type, out, changed);
      return;
    }
    if (e.type().equals(type) && e instanceof Expr.Unary u && u.op() == UnaryOp.NEG) {
      terms(u.operand(), -sign, type, out, changed);
      return;
    }
    Term p = product(e, type, changed);
    out.add(new Term(sign * p.coefficient(), p.factors()));
  }

  /** {@code e} as one product. */
  private static Term product(Expr e, Type type, boolean[] changed) {
    if (e.type().equals(type) && e instanceof Expr.Binary b && b.op() == BinaryOp.MUL) {
      Term l = product(b.left(), type, changed);
      Term r = product(b.right(), type, changed);
      List<Expr> factors = new ArrayList<>(l.factors());
      factors.addAll(r.factors());
      if (l.coefficient() != 1 && r.coefficient() != 1) {
        changed[0] = true; // two constants multiplied into one
      }
      return new Term(l.coefficient() * r.coefficient(), factors);
    }
    if (e.type().equals(type) && e instanceof Expr.Unary u && u.op() == UnaryOp.NEG) {
      Term p = product(u.operand(), type, changed);
      return new Term(-p.coefficient(), p.factors());
    }
    if (e instanceof Expr.Const c && c.type().isNumeric()) {
      return new Term(c.asDouble(), List.of());
    }
    Expr factor = e;
    if (e.type().equals(type) && e instanceof Expr.Binary b
        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)) {
      factor = collect(e); // a sum inside a product: collected on its own, not distributed
      changed[0] |= factor != e;
    }
    return new Term(1, List.of(factor));
  }

  private static Expr product(double coefficient, List<Expr> factors, Type type) {
    Expr p = null;
    for (Expr f : factors) {
      p = p == null ? f : Exprs.mul(p, f);
    }
    if (p == null) {
      return Exprs.constant(coefficient, type);
    }
    if (coefficient == 1) {
      return p;
    }
    if (coefficient == -1) {
      return Exprs.neg(p);
    }
    // the coefficient first, as a person writes it: 2.0 * tX * x
    Expr result = Exprs.constant(coefficient, type);
    for (Expr f : factors) {
      result = Exprs.mul(result, f);
    }
    return result;
  }
}
