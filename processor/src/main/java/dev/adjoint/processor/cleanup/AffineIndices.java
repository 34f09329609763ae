package dev.adjoint.processor.cleanup;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.UnaryOp;
import dev.adjoint.processor.ir.Var;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Array indices as affine functions of the indices of counted loops ({@code n * 128 + j}), for
 * {@link DeadResets}: which loops count by one, what constant range an inner loop's index
 * spans, and whether the elements that different iterations of a loop access are disjoint.
 */
final class AffineIndices {
  private AffineIndices() {}

  /**
   * Whether the index expressions {@code at}, evaluated in different iterations of a loop that
   * counts {@code index} by one, always differ: each is {@code C * index + P + r} with the same
   * {@code C != 0} and the same part {@code P} free of {@code changing} (the variables the loop
   * assigns), and offsets {@code r} over variables with known {@code ranges} that all lie within
   * a window narrower than {@code |C|}.
   */
  static boolean disjoint(List<Expr> at, Var index, Set<Var> changing,
      Map<Var, long[]> ranges) {
    Long stride = null;
    Map<Expr, Long> invariant = null;
    long low = Long.MAX_VALUE;
    long high = Long.MIN_VALUE;
    for (Expr e : at) {
      Map<Expr, Long> terms = new LinkedHashMap<>();
      long[] constant = {0};
      if (!linear(e, 1, terms, constant)) {
        return false;
      }
      Long c = terms.remove(new Expr.Read(index));
      if (c == null || c == 0 || stride != null && !stride.equals(c)) {
        return false;
      }
      stride = c;
      long lo = constant[0];
      long hi = constant[0];
      Map<Expr, Long> rest = new LinkedHashMap<>();
      for (Map.Entry<Expr, Long> t : terms.entrySet()) {
        if (!readsAny(t.getKey(), changing)) {
          rest.put(t.getKey(), t.getValue());
          continue;
        }
        long[] range = t.getKey() instanceof Expr.Read r ? ranges.get(r.var()) : null;
        if (range == null) {
          return false;
        }
        long a = t.getValue() * range[0];
        long b = t.getValue() * range[1];
        lo += Math.min(a, b);
        hi += Math.max(a, b);
      }
      if (invariant != null && !invariant.equals(rest)) {
        return false;
      }
      invariant = rest;
      low = Math.min(low, lo);
      high = Math.max(high, hi);
    }
    return stride != null && high - low < Math.abs(stride);
  }

  /**
   * Adds {@code scale * e} to {@code terms} (non-constant parts, by expression) and
   * {@code constant}; false when {@code e} is not integral.
   */
  private static boolean linear(Expr e, long scale, Map<Expr, Long> terms, long[] constant) {
    if (!e.type().isIntegral()) {
      return false;
    }
    Long k = constantValue(e);
    if (k != null) {
      constant[0] += scale * k;
      return true;
    }
    if (e instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)) {
      return linear(b.left(), scale, terms, constant)
          && linear(b.right(), b.op() == BinaryOp.ADD ? scale : -scale, terms, constant);
    }
    if (e instanceof Expr.Binary b && b.op() == BinaryOp.MUL) {
      Long left = constantValue(b.left());
      Long right = constantValue(b.right());
      if (left != null) {
        return linear(b.right(), scale * left, terms, constant);
      }
      if (right != null) {
        return linear(b.left(), scale * right, terms, constant);
      }
    }
    if (e instanceof Expr.Unary u && u.op() == UnaryOp.NEG) {
      return linear(u.operand(), -scale, terms, constant);
    }
    terms.merge(e, scale, Long::sum);
    return true;
  }

  /** Whether {@code e} reads one of {@code vars}. */
  static boolean readsAny(Expr e, Set<Var> vars) {
    return Uses.all(e).stream().anyMatch(vars::contains);
  }

  /** The value of an integral constant expression, else null. */
  private static Long constantValue(Expr e) {
    if (e instanceof Expr.Const c && c.type().isIntegral()) {
      return (long) c.asDouble();
    }
    if (e instanceof Expr.Binary b && b.type().isIntegral()) {
      Long l = constantValue(b.left());
      Long r = constantValue(b.right());
      if (l != null && r != null) {
        return switch (b.op()) {
          case ADD -> l + r;
          case SUB -> l - r;
          case MUL -> l * r;
          default -> null;
        };
      }
    }
    return null;
  }

  /**
   * The index of {@code loop} when it counts by one ({@code i++} or {@code i--} its only update,
   * and its body does not assign {@code i}), else null.
   */
  static Var countedIndex(Stmt.Loop loop) {
    if (loop.update().size() != 1 || !(loop.update().get(0) instanceof Stmt.Assign a)
        || a.op() != AssignOp.ADD && a.op() != AssignOp.SUB || !a.target().type().isIntegral()
        || !Objects.equals(constantValue(a.value()), 1L)
        || Uses.assigned(loop.body()).contains(a.target())) {
      return null;
    }
    return a.target();
  }

  /**
   * The ranges of the indices of the counted loops in {@code stmts} whose start and bound are
   * constants ({@code for (int j = 0; j < 128; j++)}, {@code for (int j = 127; j >= 0; j--)}).
   */
  static void innerRanges(List<Stmt> stmts, Map<Var, long[]> out) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.If i) {
        innerRanges(i.then(), out);
        innerRanges(i.otherwise(), out);
      } else if (s instanceof Stmt.Loop l) {
        innerRanges(l.body(), out);
        long[] range = range(l);
        if (range != null) {
          out.put(countedIndex(l), range);
        }
      }
    }
  }

  private static long[] range(Stmt.Loop l) {
    Var j = countedIndex(l);
    if (j == null || !l.testFirst() || l.init().size() != 1
        || !(l.init().get(0) instanceof Stmt.Declare d) || d.var() != j
        || !(l.condition() instanceof Expr.Binary c)
        || !(c.left() instanceof Expr.Read r) || r.var() != j) {
      return null;
    }
    Long start = d.init() == null ? null : constantValue(d.init());
    Long bound = constantValue(c.right());
    if (start == null || bound == null) {
      return null;
    }
    boolean up = ((Stmt.Assign) l.update().get(0)).op() == AssignOp.ADD;
    return switch (c.op()) {
      case LT -> up ? new long[] {start, bound - 1} : null;
      case LE -> up ? new long[] {start, bound} : null;
      case GT -> up ? null : new long[] {bound + 1, start};
      case GE -> up ? null : new long[] {bound, start};
      default -> null;
    };
  }
}
