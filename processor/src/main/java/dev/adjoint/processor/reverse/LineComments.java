package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
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
        Expr first = a.value();
        Expr merged = a.op() == b.op() ? Exprs.add(first, b.value())
            : Exprs.sub(first, b.value());
        out.set(out.size() - 1, new Stmt.Assign(a.target(), a.op(), merged, a.source()));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean isAccumulation(AssignOp op) {
    return op == AssignOp.ADD || op == AssignOp.SUB;
  }
}
