package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Row aliases: array locals declared as a row of another array ({@code double[] row = w[i]}),
 * mapped to the variable that owns the storage. The adjoint of an alias is the same row of the
 * owner's adjoint.
 */
public final class Aliases {
  private Aliases() {}

  public static Map<Var, Var> of(List<Stmt> body) {
    Map<Var, Var> out = new HashMap<>();
    collect(body, out);
    return out;
  }

  /** The variable owning the storage of an array expression ({@code w} for {@code w[i]}). */
  public static Var root(Expr array, Map<Var, Var> aliases) {
    Expr e = array;
    while (e instanceof Expr.Index i) {
      e = i.array();
    }
    if (!(e instanceof Expr.Read r)) {
      return null;
    }
    return aliases.getOrDefault(r.var(), r.var());
  }

  private static void collect(List<Stmt> stmts, Map<Var, Var> out) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d && d.var().type().dims() > 0
          && d.init() instanceof Expr.Index row) {
        Var root = root(row, out);
        if (root != null) {
          out.put(d.var(), root);
        }
      } else if (s instanceof Stmt.If i) {
        collect(i.then(), out);
        collect(i.otherwise(), out);
      } else if (s instanceof Stmt.Loop l) {
        collect(l.init(), out);
        collect(l.body(), out);
      }
    }
  }
}
