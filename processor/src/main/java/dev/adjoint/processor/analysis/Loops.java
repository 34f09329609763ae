package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.MathRules;
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
 *   <li>A local declared in a loop body whose initialiser reads only values the body does not
 *       change before it is <em>recomputed</em> in each reverse iteration instead of being
 *       recorded, once the values it reads are back (see {@link #recomputeSlot}).
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
   * @param exact true for a {@code !=} condition not known to be reached in order: the index
   *     then steps exactly from {@code start} to {@code last} (int arithmetic, wrap-around
   *     included), and the reverse loop stops with {@code !=} at {@code start - step}
   */
  public record Counted(Var index, Expr start, Expr bound, int step, Expr last,
      Stmt.Assign update, boolean ownIndex, boolean restoresIndex, boolean exact) {}

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
  /** Where each recomputed local is recomputed: see {@link #recomputeSlot}. */
  private final Map<Stmt.Declare, Integer> slots = new IdentityHashMap<>();
  /** Per outermost loop, the arrays accumulated into within it (see {@link #accumulatedIn}). */
  private final Map<Stmt.Loop, Set<Var>> accumulated = new IdentityHashMap<>();
  private final Activity activity;

  private Loops(Activity activity) {
    this.activity = activity;
  }

  public static Loops of(Function f, Activity activity, boolean enabled) {
    Loops loops = new Loops(activity);
    loops.visit(f.body(), new ArrayList<>(), enabled);
    return loops;
  }

  /** The counted-loop facts of {@code loop}, or null when its trip count must be recorded. */
  public Counted counted(Stmt.Loop loop) {
    return counted.get(loop);
  }

  /** Declarations of {@code loop}'s body that the reverse sweep recomputes, in body order. */
  public List<Stmt.Declare> recomputed(Stmt.Loop loop) {
    return recomputed.getOrDefault(loop, List.of());
  }

  /**
   * Where the reverse iteration of its loop recomputes {@code d} (one of {@link #recomputed}):
   * just after the reverse of the body statement at this index, or, when it equals the body's
   * length, at the start of the iteration, after the reverse of the loop's update.
   */
  public int recomputeSlot(Stmt.Declare d) {
    return slots.get(d);
  }

  /** True for a variable recomputed in each reverse iteration of its loop. */
  public boolean isRecomputed(Var v) {
    return recomputedVars.contains(v);
  }

  /** The loops enclosing {@code s}, outermost first (empty outside loops). */
  public List<Stmt.Loop> enclosing(Stmt s) {
    return enclosing.getOrDefault(s, List.of());
  }

  /**
   * True when {@code s} is a statement of the body of its innermost loop itself, not of a
   * branch in it: it runs on every iteration that reaches it.
   */
  public boolean inLoopBody(Stmt s) {
    List<Stmt.Loop> ls = enclosing(s);
    if (ls.isEmpty()) {
      return false;
    }
    for (Stmt b : ls.get(ls.size() - 1).body()) {
      if (b == s) {
        return true;
      }
    }
    return false;
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
        List<Stmt.Declare> r = enabled
            ? recomputable(l, c, outer.isEmpty() ? Set.of()
                : accumulated.computeIfAbsent(outer.get(0), Loops::accumulatedIn))
            : List.of();
        recomputed.put(l, r);
        r.forEach(d -> recomputedVars.add(d.var()));
      }
    }
  }

  /**
   * The scalar locals of {@code l}'s body that the reverse iteration recomputes, each with its
   * slot in {@link #slots}. A local declared at the top level of the body qualifies when its
   * initialiser reads only values that the body does not change before the declaration:
   * values the loop does not change, the counted index, locals recomputed before it, and values
   * that the body changes only after it or that the update changes (the loop's control
   * variables). The reverse sweep restores those last ones first, walking the body backwards,
   * so the local is recomputed just after the reverse of the earliest statement after it that
   * changes one of them; none of the statements from there on may read it. A local the reverse
   * sweep never reads is left alone: recomputing it would cost work and saves for nothing, and
   * so is one that reads an array that an enclosing loop keeps {@code accumulated} into:
   * restoring that array for it would save every accumulation step, where saving the local
   * costs one value per iteration.
   */
  private List<Stmt.Declare> recomputable(Stmt.Loop l, Counted c, Set<Var> accumulated) {
    List<Stmt> body = l.body();
    Set<Var> assignedLater = assignedOutsideDeclarations(body);
    List<Set<Var>> changedAt = new ArrayList<>();
    for (Stmt s : body) {
      changedAt.add(Uses.assigned(List.of(s)));
    }
    Map<Var, Integer> slotOf = new HashMap<>();
    List<Stmt.Declare> candidates = new ArrayList<>();
    // The cost model: a transcendental value is recomputed only where the reverse iterations
    // can run right after their forward ones (fused), which leaves the value in place; in a
    // loop whose reverse runs backwards, it is saved once per iteration instead.
    boolean backwards = carries(l);
    for (int p = 0; p < body.size(); p++) {
      // Arrays are not declared in loops (the front end rejects allocation there, and a row
      // alias is replaced by its row, with an int local for the index).
      if (!(body.get(p) instanceof Stmt.Declare d) || d.init() == null
          || d.var().type().dims() > 0 || assignedLater.contains(d.var())
          || Uses.all(d.init()).stream().anyMatch(accumulated::contains)
          || backwards && costly(d.init()) && !invariant(d.init(), l, c)) {
        continue;
      }
      int slot = body.size();
      for (Var v : Uses.all(d.init())) {
        if (c != null && v == c.index()) {
          continue;
        }
        if (slotOf.containsKey(v)) {
          slot = Math.min(slot, slotOf.get(v));
          continue;
        }
        for (int q = 0; q < body.size() && q < slot; q++) {
          if (changedAt.get(q).contains(v)) {
            slot = q < p ? -1 : q;
            break;
          }
        }
        if (slot < 0) {
          break;
        }
      }
      if (slot < 0 || usesFrom(body, slot).contains(d.var())) {
        continue;
      }
      candidates.add(d);
      slotOf.put(d.var(), slot);
    }
    // Keep, last first, the candidates that the reverse sweep or a kept candidate reads.
    Set<Var> needed = new HashSet<>();
    List<Stmt.Declare> out = new ArrayList<>();
    int at = body.size();
    for (int k = candidates.size() - 1; k >= 0; k--) {
      Stmt.Declare d = candidates.get(k);
      int p = body.indexOf(d);
      needed.addAll(reverseReads(body.subList(p + 1, at), activity));
      at = p + 1;
      if (needed.contains(d.var()) || Recording.partialsUseValue(d, activity)) {
        out.add(0, d);
        needed.addAll(Uses.all(d.init()));
        slots.put(d, slotOf.get(d.var()));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * True when an iteration of {@code l} changes a value declared outside its body otherwise
   * than by adding to it ({@code s = s * g}, {@code a[i] = v}): its reverse iterations then
   * depend on each other and run backwards.
   */
  private static boolean carries(Stmt.Loop l) {
    Set<Var> declared = new HashSet<>();
    return new Object() {
      boolean visit(List<Stmt> stmts) {
        for (Stmt s : stmts) {
          if (s instanceof Stmt.Declare d) {
            declared.add(d.var());
          } else if (s instanceof Stmt.Assign a && !declared.contains(a.target())
              && !additive(a.target(), a.op(), a.value())) {
            return true;
          } else if (s instanceof Stmt.Store st && st.op() != AssignOp.ADD
              && st.op() != AssignOp.SUB) {
            return true;
          } else if (s instanceof Stmt.If i && (visit(i.then()) || visit(i.otherwise()))) {
            return true;
          } else if (s instanceof Stmt.Loop inner
              && (visit(inner.init()) || visit(inner.body()) || visit(inner.update()))) {
            return true;
          }
        }
        return false;
      }
    }.visit(l.body());
  }

  /** {@code v += e}, {@code v -= e} or {@code v = v + e}, with {@code e} not reading v. */
  private static boolean additive(Var v, AssignOp op, Expr value) {
    if (Uses.all(value).contains(v)) {
      return op == AssignOp.SET && value instanceof Expr.Binary b
          && (b.op() == dev.adjoint.processor.ir.BinaryOp.ADD
              || b.op() == dev.adjoint.processor.ir.BinaryOp.SUB)
          && b.left() instanceof Expr.Read r && r.var() == v && !Uses.all(b.right()).contains(v);
    }
    return op == AssignOp.ADD || op == AssignOp.SUB;
  }

  /**
   * True when {@code e} reads nothing that loop {@code l} changes, its index included: the JIT
   * computes it once for the whole loop, so recomputing it costs nothing where saving it would
   * cost a push and a pop per iteration.
   */
  private static boolean invariant(Expr e, Stmt.Loop l, Counted c) {
    Set<Var> changed = Uses.assigned(l.body());
    changed.addAll(Uses.assigned(l.update()));
    changed.addAll(Uses.assigned(l.init()));
    if (c != null) {
      changed.add(c.index());
    }
    return Uses.all(e).stream().noneMatch(changed::contains);
  }

  /** True when {@code e} calls a function the cost model keeps rather than recomputes. */
  private static boolean costly(Expr e) {
    if (e instanceof Expr.LibraryCall c && MathRules.isCostly(c)) {
      return true;
    }
    return e.operands().stream().anyMatch(Loops::costly);
  }

  /** The arrays that a compound store ({@code a[i] += v}) inside a loop within {@code l} updates. */
  private static Set<Var> accumulatedIn(Stmt.Loop l) {
    Set<Var> out = new HashSet<>();
    new Object() {
      void visit(List<Stmt> stmts, boolean inLoop) {
        for (Stmt s : stmts) {
          if (s instanceof Stmt.Store st && st.op() != AssignOp.SET && inLoop) {
            out.add(Uses.storeBase(st));
          } else if (s instanceof Stmt.If i) {
            visit(i.then(), inLoop);
            visit(i.otherwise(), inLoop);
          } else if (s instanceof Stmt.Loop inner) {
            visit(inner.body(), true);
          }
        }
      }
    }.visit(l.body(), false);
    return out;
  }

  /** Variables any statement of {@code body} from index {@code from} on mentions. */
  private static Set<Var> usesFrom(List<Stmt> body, int from) {
    Set<Var> out = new HashSet<>();
    for (Stmt s : body.subList(Math.min(from, body.size()), body.size())) {
      mentioned(s, out);
    }
    return out;
  }

  private static void mentioned(Stmt s, Set<Var> out) {
    if (s instanceof Stmt.Declare d) {
      if (d.init() != null) {
        out.addAll(Uses.all(d.init()));
      }
    } else if (s instanceof Stmt.Assign a) {
      out.add(a.target());
      out.addAll(Uses.all(a.value()));
    } else if (s instanceof Stmt.Store st) {
      out.addAll(Uses.all(st.target()));
      out.addAll(Uses.all(st.value()));
    } else if (s instanceof Stmt.Return r) {
      out.addAll(Uses.all(r.value()));
    } else if (s instanceof Stmt.If i) {
      out.addAll(Uses.all(i.condition()));
      i.then().forEach(x -> mentioned(x, out));
      i.otherwise().forEach(x -> mentioned(x, out));
    } else if (s instanceof Stmt.Loop l) {
      out.addAll(Uses.all(l.condition()));
      l.init().forEach(x -> mentioned(x, out));
      l.body().forEach(x -> mentioned(x, out));
      l.update().forEach(x -> mentioned(x, out));
    }
  }

  /**
   * Variables the reverse sweep of {@code stmts} may read: the reverse reads of each
   * declaration, assignment, store and return, and everything the headers of nested ifs and
   * loops mention (their conditions may be evaluated again, their bounds read).
   */
  private static Set<Var> reverseReads(List<Stmt> stmts, Activity activity) {
    Set<Var> out = new HashSet<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.If i) {
        out.addAll(Uses.all(i.condition()));
        out.addAll(reverseReads(i.then(), activity));
        out.addAll(reverseReads(i.otherwise(), activity));
      } else if (s instanceof Stmt.Loop l) {
        out.addAll(Uses.all(l.condition()));
        l.init().forEach(x -> mentioned(x, out));
        l.update().forEach(x -> mentioned(x, out));
        out.addAll(reverseReads(l.body(), activity));
      } else {
        out.addAll(Recording.reverseReadsOf(s, activity));
      }
    }
    return out;
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
