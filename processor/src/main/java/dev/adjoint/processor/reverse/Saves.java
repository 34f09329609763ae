package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and restores of overwritten values. Before a statement overwrites a value the reverse
 * sweep still needs ({@link dev.adjoint.processor.analysis.Recording#needsSave}), the forward
 * sweep saves it; the reverse sweep of that statement puts it back, so that everything before it
 * sees the values it saw going forward. Inside loops the old value goes on the tape (one per
 * iteration), elsewhere into a plain local {@code xBefore}.
 */
final class Saves {
  private final AdjointContext ctx;
  private final Loops loops;
  private final Hoisting hoisting;
  /** Each saving statement, with its local slot, or null when the value is on the tape. */
  private final Map<Stmt, Var> saved = new IdentityHashMap<>();

  Saves(AdjointContext ctx, Loops loops, Hoisting hoisting) {
    this.ctx = ctx;
    this.loops = loops;
    this.hoisting = hoisting;
  }

  /** Saves the value {@code old} that statement {@code s} is about to overwrite. */
  void save(Stmt s, Var v, Expr old, List<Stmt> out) {
    if (loops.inLoop(s)) {
      out.add(ctx.push(old));
      saved.put(s, null);
    } else {
      String name = v != null ? v.name() : baseName(old);
      Var slot = ctx.newVar(name + "Before", old.type());
      saved.put(s, slot);
      hoisting.declare(slot, old, out);
    }
  }

  private static String baseName(Expr e) {
    Expr x = e;
    while (x instanceof Expr.Index i) {
      x = i.array();
    }
    return x instanceof Expr.Read r ? r.var().name() + "Element" : "element";
  }

  /** Puts back into {@code target} the value statement {@code s} saved, if it saved one. */
  void restore(Stmt s, Expr target, List<Stmt> out) {
    if (!saved.containsKey(s)) {
      return;
    }
    Var slot = saved.get(s);
    Expr old = slot != null ? read(slot) : ctx.pop(target.type());
    if (target instanceof Expr.Read r) {
      out.add(new Stmt.Assign(r.var(), AssignOp.SET, old, Source.NONE));
    } else {
      out.add(new Stmt.Store((Expr.Index) target, AssignOp.SET, old, Source.NONE));
    }
  }

  /** True when the reverse sweep puts back old elements of some array. */
  boolean restoresElements() {
    return saved.keySet().stream().anyMatch(s -> s instanceof Stmt.Store);
  }

  /** True when the reverse sweep puts back old elements of {@code array}. */
  boolean restoresElementsOf(Var array) {
    for (Stmt s : saved.keySet()) {
      if (s instanceof Stmt.Store st && Uses.storeBase(st) == array) {
        return true;
      }
    }
    return false;
  }
}
