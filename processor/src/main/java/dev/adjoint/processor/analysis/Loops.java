package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Facts about the loops of a function that decide how their reverse sweep runs.
 *
 * <ul>
 *   <li>A <em>counted</em> loop ({@code for (int i = a; i < b; i++)} and its variants, with
 *       {@code i}, {@code a} and {@code b} not changed in the body and no {@code break}) is
 *       reversed by counting {@code i} back down: nothing is recorded for it.
 *   <li>Any other loop records its trip count.
 *   <li>A local declared at the top of a loop body whose initialiser reads only values the body
 *       does not change is <em>recomputed</em> at the start of each reverse iteration instead of
 *       being recorded.
 * </ul>
 */
public final class Loops {
  /**
   * A counted loop: {@code for (int index = start; index cmp bound; index += step)}.
   *
   * @param step positive for increasing loops, negative for decreasing ones
   */
  public record Counted(Var index, Expr start, BinaryOp comparison, Expr bound, int step) {}

  private final Map<Stmt.Loop, Counted> counted = new IdentityHashMap<>();
  private final Map<Stmt.Loop, List<Stmt.Declare>> recomputed = new IdentityHashMap<>();
  private final Map<Stmt, List<Stmt.Loop>> enclosing = new IdentityHashMap<>();
  private final Set<Var> recomputedVars = new HashSet<>();
  /** Index variables of the counted loops (asked once per statement: a scan was quadratic). */
  private final Set<Var> countedIndices = new HashSet<>();
  private Loops() {}

  public static Loops of(Function f, boolean enabled) {
    Loops loops = new Loops();
    loops.visit(f.body(), new ArrayList<>(), enabled);
    return loops;
  }

  /** The counted-loop shape of {@code loop}, or null when its trip count must be recorded. */
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

  /** The index variables of counted loops: reconstructed in reverse, never recorded. */
  public boolean isCountedIndex(Var v) {
    return countedIndices.contains(v);
  }

  private void visit(List<Stmt> stmts, List<Stmt.Loop> outer, boolean enabled) {
    for (Stmt s : stmts) {
      enclosing.put(s, List.copyOf(outer));
      if (s instanceof Stmt.If i) {
        visit(i.then(), outer, enabled);
        visit(i.otherwise(), outer, enabled);
      } else if (s instanceof Stmt.Loop l) {
        visit(l.init(), outer, enabled);
        List<Stmt.Loop> inner = new ArrayList<>(outer);
        inner.add(l);
        visit(l.body(), inner, enabled);
        visit(l.update(), inner, enabled);
        Counted c = countedShape(l);
        if (c != null) {
          counted.put(l, c);
          countedIndices.add(c.index());
        }
        // With the analyses off, locals are recorded instead.
        List<Stmt.Declare> r = enabled ? recomputable(l, c) : List.of();
        recomputed.put(l, r);
        r.forEach(d -> recomputedVars.add(d.var()));
      }
    }
  }

  private static Counted countedShape(Stmt.Loop l) {
    if (!l.testFirst() || l.init().size() != 1 || l.update().size() != 1
        || !(l.init().get(0) instanceof Stmt.Declare d) || d.init() == null
        || !d.var().type().equals(Type.INT)
        || !(l.condition() instanceof Expr.Binary cond)
        || !(cond.left() instanceof Expr.Read r) || r.var() != d.var()
        || !(l.update().get(0) instanceof Stmt.Assign up) || up.target() != d.var()
        || !(up.value() instanceof Expr.Const step) || step.asDouble() <= 0) {
      return null;
    }
    int s = (int) step.asDouble();
    boolean up1 = up.op() == AssignOp.ADD;
    boolean down = up.op() == AssignOp.SUB;
    BinaryOp op = cond.op();
    if (!(up1 && (op == BinaryOp.LT || op == BinaryOp.LE)
        || down && (op == BinaryOp.GT || op == BinaryOp.GE))) {
      return null;
    }
    if (Uses.jumps(l.body(), false)) {
      return null; // a break ends the loop early: the trip count is not known from the bounds
    }
    Set<Var> changed = Uses.assigned(l.body());
    if (changed.contains(d.var()) || Uses.all(cond.right()).contains(d.var())) {
      return null;
    }
    for (Var v : Uses.all(cond.right())) {
      if (changed.contains(v)) {
        return null;
      }
    }
    for (Var v : Uses.all(d.init())) {
      if (changed.contains(v)) {
        return null;
      }
    }
    return new Counted(d.var(), d.init(), op, cond.right(), up1 ? s : -s);
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
