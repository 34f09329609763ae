package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Which of some expressions depend on a differentiable parameter where they are evaluated: the
 * varied half of {@link Activity}, flow-sensitive for scalars. A scalar assigned a value that
 * does not depend on a parameter is not varied from there on ({@code t = x * x; t = 2; g(t)}
 * passes a constant), until a later assignment makes it so again; after an {@code if} it is
 * varied when either branch leaves it so, and in a loop when any iteration may. Arrays keep the
 * flow-insensitive answer ({@link Activity#varied}): their elements are written one at a time
 * and may be reached through row aliases.
 */
public final class VariedAt {
  private final Set<Var> arrays = new HashSet<>();
  private final Set<Expr> targets = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Expr> found = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Expr> varied = Collections.newSetFromMap(new IdentityHashMap<>());
  /** For each loop being walked, innermost on top: the states at its breaks and continues. */
  private final Deque<Set<Var>> jumps = new ArrayDeque<>();

  private VariedAt() {}

  /**
   * The expressions among {@code targets} (compared by identity) that depend on a differentiable
   * parameter of {@code f} where they are evaluated; one not found in {@code f} counts when it
   * depends on a variable varied anywhere in {@code f}.
   */
  public static Set<Expr> of(Function f, Collection<Expr> targets) {
    VariedAt a = new VariedAt();
    a.targets.addAll(targets);
    Set<Var> anywhere = Activity.varied(f);
    Set<Var> start = new HashSet<>();
    for (Var v : anywhere) {
      if (v.type().dims() > 0) {
        a.arrays.add(v);
        start.add(v);
      }
    }
    for (Function.Param p : f.params()) {
      if (p.differentiable()) {
        start.add(p.var());
      }
    }
    a.walk(f.body(), start);
    for (Expr e : targets) {
      if (!a.found.contains(e) && Uses.dependsOn(e, anywhere)) {
        a.varied.add(e);
      }
    }
    return a.varied;
  }

  /** Walks {@code stmts} from {@code state} (varied on entry); returns the state on exit. */
  private Set<Var> walk(List<Stmt> stmts, Set<Var> state) {
    Set<Var> s = new HashSet<>(state);
    for (Stmt st : stmts) {
      s = step(st, s);
    }
    return s;
  }

  private Set<Var> step(Stmt st, Set<Var> s) {
    if (st instanceof Stmt.If i) {
      look(i.condition(), s);
      Set<Var> out = walk(i.then(), s);
      out.addAll(walk(i.otherwise(), s));
      return out;
    }
    if (st instanceof Stmt.Loop l) {
      Set<Var> head = walk(l.init(), s);
      // To a fixed point: the state at the head joins entry and every iteration's end (a
      // continue's state goes through the update too); the state after the loop joins the
      // head's (the condition fails) and every break's.
      Set<Var> after = new HashSet<>();
      while (true) {
        look(l.condition(), head);
        jumps.push(new HashSet<>());
        Set<Var> end = walk(l.body(), head);
        end.addAll(jumps.pop()); // breaks and continues alike: a join is never too small
        after.addAll(end);
        end = walk(l.update(), end);
        Set<Var> next = new HashSet<>(head);
        next.addAll(end);
        if (next.equals(head)) {
          break;
        }
        head = next;
      }
      after.addAll(head);
      return after;
    }
    if (st instanceof Stmt.Break || st instanceof Stmt.Continue) {
      if (!jumps.isEmpty()) {
        jumps.peek().addAll(s);
      }
      return s;
    }
    for (Expr e : st.expressions()) {
      look(e, s);
    }
    if (st instanceof Stmt.Declare d) {
      Set<Var> out = new HashSet<>(s);
      assign(out, d.var(), d.init() != null && Uses.dependsOn(d.init(), s), true);
      return out;
    }
    if (st instanceof Stmt.Assign a) {
      Set<Var> out = new HashSet<>(s);
      boolean depends = Uses.dependsOn(a.value(), s)
          || a.op() != AssignOp.SET && s.contains(a.target());
      assign(out, a.target(), depends, a.op() == AssignOp.SET);
      return out;
    }
    return s;
  }

  /** A write of {@code v}: scalars take the value's answer, arrays keep theirs. */
  private void assign(Set<Var> s, Var v, boolean depends, boolean replaces) {
    if (arrays.contains(v) || v.type().dims() > 0) {
      return;
    }
    if (depends && v.type().isDifferentiable()) {
      s.add(v);
    } else if (replaces) {
      s.remove(v);
    }
  }

  /** Records the targets inside {@code e}, evaluated in state {@code s}. */
  private void look(Expr e, Set<Var> s) {
    if (e == null) {
      return;
    }
    if (targets.contains(e)) {
      found.add(e);
      if (Uses.dependsOn(e, s)) {
        varied.add(e);
      }
    }
    for (Expr o : e.operands()) {
      look(o, s);
    }
  }
}
