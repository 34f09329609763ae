package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * Declares a generated adjoint with its first contribution instead of zero and an update:
 * {@code double dA = 0.0; ... dA += e;} becomes {@code double dA = e;} when nothing uses
 * {@code dA} in between. Shorter to read, and {@code 0.0 + e} is not something the JIT may fold
 * (it differs from {@code e} for {@code e = -0.0}).
 */
final class FirstUpdates {
  private FirstUpdates() {}

  static List<Stmt> apply(List<Stmt> block) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      out.add(nested(s));
    }
    for (int i = 0; i < out.size(); i++) {
      if (!(out.get(i) instanceof Stmt.Declare d) || d.var().kind() != Var.Kind.GENERATED
          || !(d.init() instanceof Expr.Const c) || !c.type().isFloating()
          || c.asDouble() != 0 || Double.doubleToRawLongBits(c.asDouble()) != 0) {
        continue;
      }
      Var v = d.var();
      for (int j = i + 1; j < out.size(); j++) {
        Stmt s = out.get(j);
        if (!mentions(s, v)) {
          continue;
        }
        if (s instanceof Stmt.Assign a && a.target() == v
            && (a.op() == AssignOp.ADD || a.op() == AssignOp.SUB)
            && !IterationOrder.reads(List.of(new Stmt.Eval(a.value()))).contains(v)) {
          Expr init = a.op() == AssignOp.ADD ? a.value() : Exprs.neg(a.value());
          out.set(j, new Stmt.Declare(v, init, a.source()));
          out.remove(i);
          i--;
        }
        break;
      }
    }
    return out;
  }

  private static Stmt nested(Stmt s) {
    if (s instanceof Stmt.If i) {
      return new Stmt.If(i.condition(), apply(i.then()), apply(i.otherwise()), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(l.init(), l.condition(), l.update(), apply(l.body()), l.testFirst(),
          l.source());
    }
    return s;
  }

  private static boolean mentions(Stmt s, Var v) {
    return IterationOrder.reads(List.of(s)).contains(v)
        || dev.adjoint.processor.analysis.Uses.assigned(List.of(s)).contains(v);
  }
}
