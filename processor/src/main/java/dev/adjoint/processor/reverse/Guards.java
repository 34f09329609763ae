package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.constant;

import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Pullbacks guarded by their adjoint being non-zero: {@code if (dR != 0.0) dX += dR * (0.5 /
 * Math.sqrt(x));}. A value that does not reach the result on the path taken has adjoint 0 there,
 * and its partial may be infinite or NaN ({@code sqrt(x)} computed before {@code x <= 0} is
 * checked); {@code 0 * Infinity} is NaN, so the unguarded pullback would poison the gradient of
 * a function that is constant around the point. Only pullbacks whose partials can be non-finite
 * ({@link dev.adjoint.processor.analysis.NonFinite}) are guarded.
 */
final class Guards {
  private Guards() {}

  /** Adds {@code pullback} to {@code out}, inside {@code if (adjoint != 0)} when guarded. */
  static void add(Expr adjoint, boolean guarded, List<Stmt> pullback, List<Stmt> out) {
    if (!guarded || pullback.isEmpty()) {
      out.addAll(pullback);
      return;
    }
    out.add(new Stmt.If(nonZero(adjoint), pullback, List.of(), Source.NONE));
  }

  private static Expr nonZero(Expr adjoint) {
    return Exprs.binary(BinaryOp.NE, adjoint, constant(0, adjoint.type()), Type.BOOLEAN);
  }

  /**
   * {@code body} with the guards whose adjoint became a constant ({@link dev.adjoint.processor.cleanup.ConstantAdjoints})
   * decided: {@code if (1.0 != 0.0) s} is {@code s}.
   */
  static List<Stmt> fold(List<Stmt> body) {
    List<Stmt> out = new ArrayList<>(body.size());
    for (Stmt s : body) {
      if (s instanceof Stmt.If i && i.otherwise().isEmpty()
          && i.condition() instanceof Expr.Binary b && b.op() == BinaryOp.NE
          && b.left() instanceof Expr.Const c && Exprs.isConst(b.right(), 0)
          && c.value() instanceof Number) {
        if (c.asDouble() != 0) {
          out.addAll(fold(i.then()));
        }
      } else {
        out.add(Stmt.withBlocks(s, Guards::fold));
      }
    }
    return out;
  }
}
