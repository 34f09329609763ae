package dev.adjoint.processor.cleanup;

import dev.adjoint.processor.analysis.Uses;
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
public final class FirstUpdates {
  private FirstUpdates() {}

  public static List<Stmt> apply(List<Stmt> block) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      out.add(Stmt.withBlocks(s, FirstUpdates::apply));
    }
    // For each variable, the statements that mention it, in order (one pass, so that long
    // methods stay linear).
    java.util.Map<Var, List<Integer>> mentions = new java.util.HashMap<>();
    for (int j = 0; j < out.size(); j++) {
      java.util.Set<Var> vars = new java.util.HashSet<>(Uses.reads(List.of(out.get(j))));
      vars.addAll(dev.adjoint.processor.analysis.Uses.assigned(List.of(out.get(j))));
      for (Var v : vars) {
        mentions.computeIfAbsent(v, k -> new ArrayList<>()).add(j);
      }
    }
    java.util.Set<Integer> removed = new java.util.HashSet<>();
    for (int i = 0; i < out.size(); i++) {
      if (!(out.get(i) instanceof Stmt.Declare d) || d.var().kind() != Var.Kind.GENERATED
          || !(d.init() instanceof Expr.Const c) || !c.type().isFloating()
          || c.asDouble() != 0 || Double.doubleToRawLongBits(c.asDouble()) != 0) {
        continue;
      }
      Var v = d.var();
      List<Integer> at = mentions.getOrDefault(v, List.of());
      int k = at.indexOf(i);
      if (k < 0 || k + 1 >= at.size()) {
        continue;
      }
      int j = at.get(k + 1);
      if (out.get(j) instanceof Stmt.Assign a && a.target() == v
          && (a.op() == AssignOp.ADD || a.op() == AssignOp.SUB)
          && !Uses.reads(List.of(new Stmt.Eval(a.value()))).contains(v)) {
        Expr init = a.op() == AssignOp.ADD ? a.value() : Exprs.neg(a.value());
        out.set(j, new Stmt.Declare(v, init, a.source()));
        removed.add(i);
      }
    }
    List<Stmt> kept = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      if (!removed.contains(i)) {
        kept.add(out.get(i));
      }
    }
    return kept;
  }
}
