package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Facts about the loops of a function that decide how their reverse sweep runs.
 *
 * <ul>
 *   <li>A <em>counted</em> loop is reversed by counting its index back down: nothing is
 *       recorded for it. A loop is counted by what it does, not by how it is spelled (see
 *       {@link CountedLoops}): its index is changed only by its update, by a constant step, and
 *       its condition compares the index (plus or minus a constant) with a value the body does
 *       not change.
 *   <li>Any other loop records its trip count.
 *   <li>A local declared at the top of a loop body whose initialiser reads only values the body
 *       does not change is <em>recomputed</em> at the start of each reverse iteration instead of
 *       being recorded.
 * </ul>
 */
public final class Loops {
  /**
   * A counted loop: it runs {@code index = start, start + step, ...} up to {@code last}.
   *
   * @param index the loop index
   * @param start its value in the first iteration
   * @param bound the value the condition compares the index with (read again in reverse)
   * @param step positive for increasing loops, negative for decreasing ones
   * @param last its value in the last iteration (beyond {@code start} when the loop runs none)
   * @param update the statement that steps the index (in the header, or last in the body)
   * @param ownIndex true when the loop's header declares and steps the index (it is gone after
   *     the loop); false for an index that outlives the loop (declared before it, or in a
   *     header without update, printed before a while loop), which the reverse loop assigns
   * @param restoresIndex true when reverse code before the loop may read the index, so the
   *     reverse loop must leave it at {@code start} again
   */
  public record Counted(Var index, Expr start, Expr bound, int step, Expr last,
      Stmt.Assign update, boolean ownIndex, boolean restoresIndex) {}

  private final Map<Stmt.Loop, Counted> counted = new IdentityHashMap<>();
  private final Map<Stmt.Loop, List<Stmt.Declare>> recomputed = new IdentityHashMap<>();
  private final Map<Stmt, List<Stmt.Loop>> enclosing = new IdentityHashMap<>();
  private final Set<Var> recomputedVars = new HashSet<>();
  /** Index variables of the counted loops (asked once per statement: a scan was quadratic). */
  private final Set<Var> countedIndices = new HashSet<>();
  /** Indices of counted loops declared before their loop, which the reverse loop assigns. */
  private final Set<Var> outerIndices = new HashSet<>();
  /** The updates of {@link #outerIndices}: never recorded, the reverse loop steps the index. */
  private final Set<Stmt> countedUpdates = Collections.newSetFromMap(new IdentityHashMap<>());
  /** What is known of the counted indices' values, for plain last-index expressions. */
  private final Map<Var, IntRange> ranges = new HashMap<>();
  private Loops() {}

  public static Loops of(Function f, boolean enabled) {
    Loops loops = new Loops();
    loops.visit(f.body(), new ArrayList<>(), enabled);
    return loops;
  }

  /** The counted-loop facts of {@code loop}, or null when its trip count must be recorded. */
  public Counted counted(Stmt.Loop loop) {
    return counted.get(loop);
  }

  /** Declarations at the top of {@code loop}'s body that the reverse sweep recomputes. */
  public List<Stmt.Declare> recomputed(Stmt.Loop loop) {
    return recomputed.getOrDefault(loop, List.of());
  }

  /** True for a variable recomputed at the start of each reverse iteration of its loop. */
  public boolean isRecomputed(Var v) {
    return recomputedVars.contains(v);
  }

  /** The loops enclosing {@code s}, outermost first (empty outside loops). */
  public List<Stmt.Loop> enclosing(Stmt s) {
    return enclosing.getOrDefault(s, List.of());
  }

  /** True when {@code s} runs inside some loop. */
  public boolean inLoop(Stmt s) {
    return !enclosing(s).isEmpty();
  }

  /** True when {@code a} and {@code b} share an enclosing loop (so either may run first). */
  public boolean shareLoop(Stmt a, Stmt b) {
    List<Stmt.Loop> la = enclosing(a);
    for (Stmt.Loop l : enclosing(b)) {
      for (Stmt.Loop k : la) {
        if (k == l) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The index variables of counted loops whose header declares them: reconstructed in
   * reverse, never recorded.
   */
  public boolean isCountedIndex(Var v) {
    return countedIndices.contains(v);
  }

  /**
   * True when the reverse sweep of {@code s} knows the value of {@code v} without recording
   * it: {@code v} is the index of a counted loop around {@code s}, which the reverse loop sets.
   */
  public boolean isIndexAt(Var v, Stmt s) {
    if (countedIndices.contains(v)) {
      return true;
    }
    if (!outerIndices.contains(v)) {
      return false;
    }
    for (Stmt.Loop l : enclosing(s)) {
      Counted c = counted.get(l);
      if (c != null && c.index() == v) {
        return true;
      }
    }
    return false;
  }

  /** The indices of counted loops declared before their loop: the reverse loops assign them. */
  public Set<Var> outerIndices() {
    return Collections.unmodifiableSet(outerIndices);
  }

  /** True for the update of a counted loop whose index is declared before the loop. */
  public boolean isCountedUpdate(Stmt s) {
    return countedUpdates.contains(s);
  }

  private void visit(List<Stmt> stmts, List<Stmt.Loop> outer, boolean enabled) {
    for (int k = 0; k < stmts.size(); k++) {
      Stmt s = stmts.get(k);
      enclosing.put(s, List.copyOf(outer));
      if (s instanceof Stmt.If i) {
        visit(i.then(), outer, enabled);
        visit(i.otherwise(), outer, enabled);
      } else if (s instanceof Stmt.Loop l) {
        // Before the body: an inner loop's bounds may use this loop's index.
        Counted c = CountedLoops.of(l, stmts.subList(0, k), ranges);
        if (c != null) {
          counted.put(l, c);
          (c.ownIndex() ? countedIndices : outerIndices).add(c.index());
          if (!c.ownIndex()) {
            countedUpdates.add(c.update());
          }
          ranges.put(c.index(), CountedLoops.range(c, ranges));
        }
        visit(l.init(), outer, enabled);
        List<Stmt.Loop> inner = new ArrayList<>(outer);
        inner.add(l);
        visit(l.body(), inner, enabled);
        visit(l.update(), inner, enabled);
        if (c != null && !c.ownIndex()) {
          ranges.remove(c.index()); // the index goes on after the loop, unknown
        }
        // With the analyses off, locals are recorded instead.
        List<Stmt.Declare> r = enabled ? recomputable(l, c) : List.of();
        recomputed.put(l, r);
        r.forEach(d -> recomputedVars.add(d.var()));
      }
    }
  }

  private static List<Stmt.Declare> recomputable(Stmt.Loop l, Counted c) {
    Set<Var> changed = Uses.assigned(l.body());
    changed.addAll(Uses.assigned(l.update()));
    Set<Var> stable = new HashSet<>();
    if (c != null) {
      stable.add(c.index());
    }
    List<Stmt.Declare> out = new ArrayList<>();
    Set<Var> assignedLater = assignedOutsideDeclarations(l.body());
    for (Stmt s : l.body()) {
      // Arrays are not declared in loops (the front end rejects allocation there, and a row
      // alias is replaced by its row, with an int local for the index).
      if (!(s instanceof Stmt.Declare d) || d.init() == null || d.var().type().dims() > 0
          || assignedLater.contains(d.var())) {
        continue;
      }
      boolean ok = true;
      for (Var v : Uses.all(d.init())) {
        if (!stable.contains(v) && changed.contains(v)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        out.add(d);
        stable.add(d.var());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Variables of {@code stmts} assigned by something other than their declaration. */
  private static Set<Var> assignedOutsideDeclarations(List<Stmt> stmts) {
    Set<Var> out = new HashSet<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Assign a) {
        out.add(a.target());
      } else if (s instanceof Stmt.Store st) {
        out.add(Uses.storeBase(st));
      } else if (s instanceof Stmt.If i) {
        out.addAll(assignedOutsideDeclarations(i.then()));
        out.addAll(assignedOutsideDeclarations(i.otherwise()));
      } else if (s instanceof Stmt.Loop l) {
        out.addAll(Uses.assigned(l.init()));
        out.addAll(assignedOutsideDeclarations(l.body()));
        out.addAll(Uses.assigned(l.update()));
      }
    }
    return out;
  }
}
