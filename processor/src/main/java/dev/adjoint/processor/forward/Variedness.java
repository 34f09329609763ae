package dev.adjoint.processor.forward;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which variables forward mode gives a tangent: those that may depend on a differentiable
 * parameter (varied). Flow-insensitive, as reverse mode's activity analysis. Array variables
 * that may alias ({@code double[] row = w[i]}, {@code a = b}) are varied together, so that a
 * store through one is seen in the tangent of the other.
 */
final class Variedness {
  private Variedness() {}

  /** The varied variables of {@code f}; with {@code enabled} false, every floating local too. */
  static Set<Var> of(Function f, boolean enabled) {
    Set<Var> varied = new HashSet<>();
    for (Function.Param p : f.params()) {
      if (p.differentiable()) {
        varied.add(p.var());
      }
    }
    if (!enabled) {
      for (Var v : Uses.assigned(f.body())) {
        if (v.type().isDifferentiable() && v.kind() != Var.Kind.PARAMETER) {
          varied.add(v);
        }
      }
    }
    while (pass(f.body(), varied)) {
      // until nothing changes
    }
    return varied;
  }

  private static boolean pass(List<Stmt> stmts, Set<Var> varied) {
    boolean changed = false;
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d && d.init() != null) {
        changed |= assign(d.var(), d.init(), varied);
      } else if (s instanceof Stmt.Assign a) {
        changed |= assign(a.target(), a.value(), varied);
      } else if (s instanceof Stmt.Store st) {
        if (Uses.dependsOn(st.value(), varied)) {
          changed |= varied.add(Uses.storeBase(st));
        }
      } else if (s instanceof Stmt.If i) {
        changed |= pass(i.then(), varied);
        changed |= pass(i.otherwise(), varied);
      } else if (s instanceof Stmt.Loop l) {
        changed |= pass(l.init(), varied);
        changed |= pass(l.body(), varied);
        changed |= pass(l.update(), varied);
      }
    }
    return changed;
  }

  private static boolean assign(Var target, Expr value, Set<Var> varied) {
    if (!target.type().isDifferentiable()) {
      return false;
    }
    boolean changed = false;
    if (Uses.dependsOn(value, varied)) {
      changed |= varied.add(target);
    }
    if (target.type().dims() > 0 && varied.contains(target)) {
      // an alias of another array: stores through it change that array too
      Expr base = value;
      while (base instanceof Expr.Index i) {
        base = i.array();
      }
      if (base instanceof Expr.Read r && r.var().type().isDifferentiable()) {
        changed |= varied.add(r.var());
      } else if (base instanceof Expr.Conditional c) {
        for (Expr branch : List.of(c.ifTrue(), c.ifFalse())) {
          for (Var v : Uses.differentiable(branch)) {
            changed |= varied.add(v);
          }
        }
      }
    }
    return changed;
  }
}
