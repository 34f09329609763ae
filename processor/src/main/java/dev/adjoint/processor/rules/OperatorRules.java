package dev.adjoint.processor.rules;

import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import java.util.EnumMap;
import java.util.Map;

/**
 * Derivative rules of the arithmetic operators, one table entry per operator (as JAX's
 * {@code defjvp}, one rule per operand): how a seed flows into each operand, that is the seed
 * times the partial derivative with respect to that operand. The rules are linear in the seed, so
 * the same entry serves a tangent in forward mode. Where the product with the seed reads better
 * another way ({@code s / b} rather than {@code s * (1 / b)}), the rule says so.
 */
public final class OperatorRules {
  private OperatorRules() {}

  /** The seed {@code s} times the partial of {@code b} with respect to one operand. */
  @FunctionalInterface
  private interface Flow {
    Expr of(Expr s, Expr.Binary b);
  }

  private record Rule(Flow left, Flow right) {}

  /** The table: every differentiable operator, once. */
  private static final Map<BinaryOp, Rule> RULES = new EnumMap<>(BinaryOp.class);

  static {
    defjvp(BinaryOp.ADD, (s, b) -> s, (s, b) -> s);
    defjvp(BinaryOp.SUB, (s, b) -> s, (s, b) -> neg(s));
    defjvp(BinaryOp.MUL, (s, b) -> mul(s, b.right()), (s, b) -> mul(s, b.left()));
    defjvp(BinaryOp.DIV, (s, b) -> div(s, b.right()),
        (s, b) -> neg(div(mul(s, b.left()), mul(b.right(), b.right()))));
    // a % b == a - b * trunc(a / b), and trunc(a / b) == (a - a % b) / b
    defjvp(BinaryOp.REM, (s, b) -> s, (s, b) -> neg(mul(s, div(sub(b.left(), b), b.right()))));
  }

  private static void defjvp(BinaryOp op, Flow left, Flow right) {
    RULES.put(op, new Rule(left, right));
  }

  /** True when {@code op} has a derivative (the arithmetic operators). */
  public static boolean has(BinaryOp op) {
    return RULES.containsKey(op);
  }

  /** {@code seed} times the partial of {@code b} with respect to its left operand. */
  public static Expr left(Expr.Binary b, Expr seed) {
    return rule(b).left().of(seed, b);
  }

  /** {@code seed} times the partial of {@code b} with respect to its right operand. */
  public static Expr right(Expr.Binary b, Expr seed) {
    return rule(b).right().of(seed, b);
  }

  /** {@code seed} times the derivative of {@code -u} with respect to {@code u}. */
  public static Expr negation(Expr seed) {
    return neg(seed);
  }

  private static Rule rule(Expr.Binary b) {
    Rule rule = RULES.get(b.op());
    if (rule == null) {
      throw new IllegalStateException("no derivative for operator " + b.op());
    }
    return rule;
  }
}
