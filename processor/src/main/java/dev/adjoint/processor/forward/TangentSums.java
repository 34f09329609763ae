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
import java.util.function.Predicate;

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

  /**
   * {@code t} with its like terms collected, or {@code t} itself when it has none. In a collected
   * product the factors that read no tangent come first ({@code 100.0 * a * tA}), so that it
   * starts with the product the value computes ({@code 100.0 * a * a}) and the JIT computes that
   * once for both.
   */
  static Expr collect(Expr t, Predicate<Expr> tangent) {
    if (t == null || !t.type().isFloating()
        || !(t instanceof Expr.Binary || t instanceof Expr.Unary)) {
      return t;
    }
    List<Term> terms = new ArrayList<>();
    boolean[] changed = {false};
    terms(t, 1, t.type(), terms, changed);
    Map<List<String>, Term> merged = new LinkedHashMap<>();
    for (Term term : terms) {
      term = primalFirst(term, tangent);
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
      factor = collect(e, x -> false); // a sum in a product: collected on its own, not distributed
      changed[0] |= factor != e;
    }
    return new Term(1, List.of(factor));
  }

  /** {@code term} with the factors that read no tangent first, each group in its order. */
  private static Term primalFirst(Term term, Predicate<Expr> tangent) {
    List<Expr> primal = new ArrayList<>();
    List<Expr> tangents = new ArrayList<>();
    for (Expr f : term.factors()) {
      (tangent.test(f) ? tangents : primal).add(f);
    }
    primal.addAll(tangents);
    return new Term(term.coefficient(), primal);
  }

  /**
   * The largest power of two that divides the coefficient of every product of {@code t} (a
   * collected tangent) a whole number of times, or 1.
   */
  static double commonPowerOfTwo(Expr t) {
    List<Term> terms = new ArrayList<>();
    terms(t, 1, t.type(), terms, new boolean[1]);
    int twos = Integer.MAX_VALUE;
    for (Term term : terms) {
      double c = Math.abs(term.coefficient());
      int k = 0;
      while (c != 0 && !Double.isInfinite(c) && c % 2 == 0 && k < 60) {
        c /= 2;
        k++;
      }
      twos = Math.min(twos, k);
    }
    return twos == Integer.MAX_VALUE || twos == 0 ? 1 : Math.scalb(1.0, twos);
  }

  /**
   * {@code t} (a collected tangent) divided by {@code p}, a power of two dividing every
   * coefficient ({@link #commonPowerOfTwo}): each coefficient divided, exactly.
   */
  static Expr divide(Expr t, double p) {
    List<Term> terms = new ArrayList<>();
    terms(t, 1, t.type(), terms, new boolean[1]);
    Expr sum = null;
    for (Term term : terms) {
      double c = term.coefficient() / p;
      boolean negative = c < 0 && sum != null;
      Expr product = product(negative ? -c : c, term.factors(), t.type());
      sum = sum == null ? product : negative ? Exprs.sub(sum, product) : Exprs.add(sum, product);
    }
    return sum == null ? Exprs.constant(0, t.type()) : Exprs.convert(sum, t.type());
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
