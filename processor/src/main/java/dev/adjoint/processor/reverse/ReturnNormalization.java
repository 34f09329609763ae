package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves every {@code return} to a tail position: when one branch of an {@code if} returns, the
 * statements after the {@code if} move into the other branch. Afterwards each block ends in a
 * {@code return} or in an {@code if} whose branches both do, and no other statement returns, so
 * the reverse sweep of each path can start right where its return is.
 */
public final class ReturnNormalization {
  private ReturnNormalization() {}

  public static List<Stmt> normalize(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < stmts.size(); i++) {
      Stmt s = stmts.get(i);
      if (s instanceof Stmt.Return) {
        out.add(s);
        return out; // anything after it is unreachable; javac has rejected such code already
      }
      if (s instanceof Stmt.If f) {
        List<Stmt> then = normalize(f.then());
        List<Stmt> otherwise = normalize(f.otherwise());
        boolean thenReturns = endsInReturn(then);
        boolean elseReturns = endsInReturn(otherwise);
        if (thenReturns || elseReturns) {
          List<Stmt> rest = stmts.subList(i + 1, stmts.size());
          if (!thenReturns) {
            then = normalize(concat(then, rest));
          } else if (!elseReturns) {
            otherwise = normalize(concat(otherwise, rest));
          }
          out.add(new Stmt.If(f.condition(), then, otherwise, f.source()));
          return out;
        }
        out.add(new Stmt.If(f.condition(), then, otherwise, f.source()));
        continue;
      }
      out.add(s);
    }
    return out;
  }

  /** True when every path through {@code block} ends in a return. */
  public static boolean endsInReturn(List<Stmt> block) {
    if (block.isEmpty()) {
      return false;
    }
    Stmt last = block.get(block.size() - 1);
    return last instanceof Stmt.Return
        || last instanceof Stmt.If f && endsInReturn(f.then()) && endsInReturn(f.otherwise());
  }

  private static List<Stmt> concat(List<Stmt> a, List<Stmt> b) {
    List<Stmt> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
