package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * How the reverse code of one source statement is written out: under a comment quoting the
 * statement's line, so that a reader can match each part of the gradient to the code it
 * differentiates, with consecutive updates of one adjoint merged into one.
 */
final class LineComments {
  private LineComments() {}

  /** Adds {@code code} (if any) to {@code out}, after a comment quoting {@code source}. */
  static void add(Source source, List<Stmt> code, List<Stmt> out) {
    if (code.isEmpty()) {
      return;
    }
    code = mergeUpdates(code);
    if (source.line() > 0) {
      out.add(new Stmt.Comment("line " + source.line() + ": " + source.text()));
    }
    out.addAll(code);
  }

  /**
   * Merges consecutive {@code +=}/{@code -=} updates of the same adjoint into one statement
   * ({@code dA += p; dA += q;} becomes {@code dA += p + q;}), so each adjoint is read and written
   * once per statement.
   */
  private static List<Stmt> mergeUpdates(List<Stmt> code) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : code) {
      Stmt last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last instanceof Stmt.Assign a && s instanceof Stmt.Assign b && a.target() == b.target()
          && isAccumulation(a.op()) && isAccumulation(b.op())
          && !Uses.all(b.value()).contains(b.target())
          && a.value().type().equals(b.value().type())) {
        Expr merged = merge(a.value(), b.value(), a.op() == b.op());
        out.set(out.size() - 1, new Stmt.Assign(a.target(), a.op(), merged, a.source()));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * {@code p + q} (or {@code p - q}), in the precision the statement computed in. A {@code float}
   * adjoint's contributions that are narrowed {@code double} partials (the reverse of the
   * promotion of a {@code float} in a {@code double} expression), or constants (which the
   * narrowing retyped), are summed as {@code double} and narrowed once: summing them in
   * {@code float} is not the same, for {@code (t(u) - u) + u} with a tiny {@code t'} the
   * contributions {@code t' - 1f + 1f} cancel to exactly 0 in {@code float}, while the
   * statement's derivative, {@code t'}, is representable. Widening a {@code float} is exact, so
   * the double sum is never less accurate; float-only contributions are left as they are.
   */
  private static Expr merge(Expr p, Expr q, boolean add) {
    if (p.type().equals(Type.FLOAT) && (fromDouble(p) || fromDouble(q))) {
      Expr wp = widened(p);
      Expr wq = widened(q);
      return Exprs.convert(add ? Exprs.add(wp, wq) : Exprs.sub(wp, wq), Type.FLOAT);
    }
    return add ? Exprs.add(p, q) : Exprs.sub(p, q);
  }

  /** Whether {@code e} is a narrowed {@code double}, or a constant (exact as a double). */
  private static boolean fromDouble(Expr e) {
    return isNarrowed(e) || e instanceof Expr.Const;
  }

  private static boolean isNarrowed(Expr e) {
    return e instanceof Expr.Cast c && c.type().equals(Type.FLOAT)
        && c.operand().type().equals(Type.DOUBLE);
  }

  /** {@code e} as the {@code double} it was narrowed from, or widened (exactly). */
  private static Expr widened(Expr e) {
    return isNarrowed(e) ? ((Expr.Cast) e).operand() : Exprs.convert(e, Type.DOUBLE);
  }

  private static boolean isAccumulation(AssignOp op) {
    return op == AssignOp.ADD || op == AssignOp.SUB;
  }
}
