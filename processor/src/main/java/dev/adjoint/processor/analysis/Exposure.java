package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which overwrites must save the value they destroy, by following the paths of the forward
 * sweep. The reverse sweep of a statement reads variables at the point where that statement ran
 * (its {@linkplain Recording reverse reads}); such a read stays <em>exposed</em> until the next
 * overwrite of the variable on the path. An overwrite that meets an exposed read of its variable
 * saves the old value: its restore is the last one the reverse sweep performs before reaching
 * the reader, so the reader sees the value it saw going forward. Later overwrites on the same
 * path need not save for that reader; the first one already will.
 *
 * <p>For {@code double z = b; for (k...) z += x[k] * w[k]; h = relu(z);} inside a loop, the read
 * of {@code z} by the ReLU's adjoint is exposed around the back edge until the declaration, which
 * saves once per iteration; the {@code +=} steps, whose adjoints do not read {@code z}, save
 * nothing.
 *
 * <p>A whole-variable assignment or declaration ends the exposure of its variable; an element
 * store does not (the reads may concern other elements). The sets only grow while a loop is
 * iterated to its fixed point, so the result is the least set of saves this rule allows.
 */
final class Exposure {
  /** Where a {@code break} and a {@code continue} of the innermost loop carry their state. */
  private record Exits(Set<Var> breaks, Set<Var> continues) {}

  private final Function<Stmt, Set<Var>> reads;
  private final Function<Stmt, Var> overwritten;
  private final Function<Stmt, Set<Var>> readsAfter;
  private final Set<Stmt> saves = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Deque<Exits> exits = new ArrayDeque<>();

  /**
   * @param reads the variables the reverse sweep of a statement reads where it ran (for an
   *     {@code if} or a loop, only those its header's reverse reads)
   * @param overwritten the variable a declaration, assignment or store overwrites and may
   *     save, or null when it never saves
   * @param readsAfter the variables the reverse sweep of a statement reads as they were just
   *     after it ran (a declaration whose derivative reuses the value it declares)
   */
  private Exposure(Function<Stmt, Set<Var>> reads, Function<Stmt, Var> overwritten,
      Function<Stmt, Set<Var>> readsAfter) {
    this.reads = reads;
    this.overwritten = overwritten;
    this.readsAfter = readsAfter;
  }

  /** The overwrites of {@code body} whose old value the reverse sweep reads. */
  static Set<Stmt> saves(List<Stmt> body, Function<Stmt, Set<Var>> reads,
      Function<Stmt, Var> overwritten, Function<Stmt, Set<Var>> readsAfter) {
    Exposure e = new Exposure(reads, overwritten, readsAfter);
    e.block(body, new HashSet<>());
    return e.saves;
  }

  /** The exposed reads after {@code stmts}, from those before them ({@code in} is reused). */
  private Set<Var> block(List<Stmt> stmts, Set<Var> in) {
    Set<Var> state = in;
    for (Stmt s : stmts) {
      state = statement(s, state);
    }
    return state;
  }

  private Set<Var> statement(Stmt s, Set<Var> state) {
    Set<Var> r = reads.apply(s);
    if (s instanceof Stmt.If i) {
      state.addAll(r); // a condition evaluated again in reverse reads the values before the if
      Set<Var> then = block(i.then(), new HashSet<>(state));
      Set<Var> otherwise = block(i.otherwise(), state);
      otherwise.addAll(then);
      return otherwise;
    }
    if (s instanceof Stmt.Loop l) {
      state.addAll(r);
      return loop(l, state);
    }
    if (s instanceof Stmt.Break && !exits.isEmpty()) {
      exits.peek().breaks().addAll(state);
      return state;
    }
    if (s instanceof Stmt.Continue && !exits.isEmpty()) {
      exits.peek().continues().addAll(state);
      return state;
    }
    Var v = overwritten.apply(s);
    // A statement's own reverse reads the old value of its target, which only it can restore.
    if (v != null && (state.contains(v) || r.contains(v))) {
      saves.add(s);
    }
    Var killed = killed(s);
    if (killed != null) {
      state.remove(killed);
      for (Var x : r) {
        if (x != killed) {
          state.add(x);
        }
      }
    } else {
      state.addAll(r);
    }
    state.addAll(readsAfter.apply(s));
    return state;
  }

  /** The scalar whose whole value {@code s} replaces, or null. */
  private static Var killed(Stmt s) {
    if (s instanceof Stmt.Declare d && d.init() != null && d.var().type().dims() == 0) {
      return d.var();
    }
    if (s instanceof Stmt.Assign a && a.target().type().dims() == 0) {
      return a.target();
    }
    return null;
  }

  /** Iterates the loop until the exposed reads at its head stop growing. */
  private Set<Var> loop(Stmt.Loop l, Set<Var> in) {
    Set<Var> head = block(l.init(), in);
    Exits ex = new Exits(new HashSet<>(), new HashSet<>());
    while (true) {
      exits.push(ex);
      Set<Var> end = block(l.body(), new HashSet<>(head));
      end.addAll(ex.continues());
      end = block(l.update(), end);
      exits.pop();
      if (head.containsAll(end)) {
        break;
      }
      head.addAll(end);
    }
    head.addAll(ex.breaks());
    return head;
  }
}
