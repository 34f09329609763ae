package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

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
  /** The stores whose old value is a fresh array's zero: put back, never saved. */
  private final Set<Stmt> zeros = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The int steps taken back in reverse, never saved. */
  private final Set<Stmt> inverted = Collections.newSetFromMap(new IdentityHashMap<>());

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

  /**
   * Notes that store {@code s} overwrites an element still holding its allocation's zero
   * ({@link dev.adjoint.processor.analysis.Recording#restoresZero}): nothing to save.
   */
  void zero(Stmt s) {
    zeros.add(s);
  }

  /**
   * Notes that {@code s}, a constant int step, is undone by the opposite step
   * ({@link dev.adjoint.processor.analysis.Recording#restoresByInverse}): nothing to save.
   */
  void invert(Stmt.Assign s) {
    inverted.add(s);
  }

  /** Puts back into {@code target} the value statement {@code s} saved, if it saved one. */
  void restore(Stmt s, Expr target, List<Stmt> out) {
    if (s instanceof Stmt.Assign a && inverted.contains(s)) {
      // Set as a restore from the tape would be (IterationOrder reads both alike).
      int step = (int) ((Expr.Const) a.value()).asDouble();
      out.add(new Stmt.Assign(a.target(), AssignOp.SET,
          Exprs.plusInt(read(a.target()), a.op() == AssignOp.ADD ? -step : step), Source.NONE));
      return;
    }
    if (zeros.contains(s)) {
      out.add(new Stmt.Store((Expr.Index) target, AssignOp.SET,
          Exprs.constant(0, target.type()), Source.NONE));
      return;
    }
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
    return !zeros.isEmpty() || saved.keySet().stream().anyMatch(s -> s instanceof Stmt.Store);
  }

  /** True when the reverse sweep puts back old elements of {@code array}. */
  boolean restoresElementsOf(Var array) {
    for (Stmt s : Stream.concat(saved.keySet().stream(), zeros.stream()).toList()) {
      if (s instanceof Stmt.Store st && Uses.storeBase(st) == array) {
        return true;
      }
    }
    return false;
  }
}
