package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves every {@code return} to a tail position: when some path through an {@code if} returns,
 * the statements after the {@code if} move into each branch that does not always return.
 * Afterwards each block ends in a {@code return} or in an {@code if} whose branches both do, and
 * no other statement returns, so the reverse sweep of each path can start right where its return
 * is.
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
        if (containsReturn(f.then()) || containsReturn(f.otherwise())) {
          // Some path through the if returns: every path that does not must run the rest of
          // the block, so the rest moves into each branch that does not always return (a
          // return may be nested, as in if (a) { ... } else if (b) { return ...; }).
          List<Stmt> rest = stmts.subList(i + 1, stmts.size());
          out.add(new Stmt.If(f.condition(), normalizeWithRest(f.then(), rest),
              normalizeWithRest(f.otherwise(), rest), f.source()));
          return out;
        }
        out.add(f);
        continue;
      }
      out.add(s);
    }
    return out;
  }

  private static List<Stmt> normalizeWithRest(List<Stmt> branch, List<Stmt> rest) {
    List<Stmt> normal = normalize(branch);
    return endsInReturn(normal) ? normal : normalize(concat(branch, rest));
  }

  /** True when some statement in {@code block}, nested ones included, is a return. */
  private static boolean containsReturn(List<Stmt> block) {
    for (Stmt s : block) {
      if (s instanceof Stmt.Return
          || s instanceof Stmt.If f && (containsReturn(f.then()) || containsReturn(f.otherwise()))) {
        return true;
      }
    }
    return false;
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
