package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * To-be-recorded analysis: which overwritten values the reverse sweep needs, and which branches
 * must record the direction they took.
 *
 * <p>The reverse sweep of a statement reads the primal values its partial derivatives mention
 * (for {@code y = a * b}, the values of {@code a} and {@code b}) and the indices of the elements
 * it updates. When a statement that may run later overwrites such a value (later in the code,
 * or anywhere in a loop both share), the old value is saved before the overwrite and restored
 * when the reverse sweep passes it again. Nothing else is saved: linear uses (sums), values
 * never overwritten, counted loop indices (counted back down) and locals recomputed per
 * iteration cost nothing. An {@code if} whose condition cannot be evaluated again in reverse
 * records its direction.
 */
public final class Recording {
  private final Set<Stmt> saves;
  private final Set<Stmt> flags;
  private final Set<Var> readInReverse;
  /** Targets of the saved assignments (asked once per declaration: a scan would be quadratic). */
  private final Set<Var> savedTargets = new java.util.HashSet<>();

  private Recording(Set<Stmt> saves, Set<Stmt> flags, Set<Var> readInReverse) {
    this.saves = saves;
    this.flags = flags;
    this.readInReverse = readInReverse;
    for (Stmt s : saves) {
      if (s instanceof Stmt.Assign a) {
        savedTargets.add(a.target());
      }
    }
  }

  /** True when the reverse sweep reads the value of {@code v} (so it must stay in scope). */
  public boolean isReadInReverse(Var v) {
    return readInReverse.contains(v);
  }

  /** True when the value overwritten by {@code s} (an assignment, store or declaration) must be saved. */
  public boolean needsSave(Stmt s) {
    return saves.contains(s);
  }

  /** True when some assignment to {@code v} saves its old value. */
  public boolean isSavedSomewhere(Var v) {
    return savedTargets.contains(v);
  }

  /** True when {@code ifStmt} must record which branch it took. */
  public boolean needsFlag(Stmt ifStmt) {
    return flags.contains(ifStmt);
  }

  /**
   * Analyses {@code f}. With {@code enabled} false every overwrite is saved and every branch
   * records its direction (the unoptimised baseline the analysis is checked against).
   */
  public static Recording of(Function f, Activity activity, Loops loops, boolean enabled) {
    Map<Stmt, Integer> position = new IdentityHashMap<>();
    number(f.body(), position);
    LoopBodies bodies = new LoopBodies();
    Set<Stmt> flags = Collections.newSetFromMap(new IdentityHashMap<>());
    Map<Var, List<Stmt>> readers = new HashMap<>();
    new Object() {
      void visit(List<Stmt> stmts) {
        for (Stmt s : stmts) {
          Set<Var> reads = new LinkedHashSet<>();
          if (s instanceof Stmt.Declare d) {
            if (d.init() != null && activity.isActive(d.var())) {
              reverseReads(d.init(), activity, reads);
            }
          } else if (s instanceof Stmt.Assign a) {
            if (activity.isActive(a.target())) {
              reverseReads(asExpression(a), activity, reads);
            }
          } else if (s instanceof Stmt.Store st) {
            reads.addAll(indexReads(st.target()));
            if (activity.isActive(Uses.storeBase(st))) {
              reverseReads(asExpression(st), activity, reads);
            }
          } else if (s instanceof Stmt.Return r) {
            reverseReads(r.value(), activity, reads);
          } else if (s instanceof Stmt.If i) {
            Set<Var> assignedInside = Uses.assigned(i.then());
            assignedInside.addAll(Uses.assigned(i.otherwise()));
            // Conservative: any assignment inside may need reverse code (an adjoint or a
            // restore), and that code must run under the direction taken forward.
            if (!assignedInside.isEmpty()) {
              Set<Var> condVars = Uses.all(i.condition());
              boolean again = enabled
                  && condVars.stream().noneMatch(assignedInside::contains)
                  && (!loops.inLoop(i) || condVars.stream().allMatch(v -> stable(v, i)));
              if (again) {
                reads.addAll(condVars);
              } else {
                flags.add(s);
              }
            }
            visit(i.then());
            visit(i.otherwise());
          } else if (s instanceof Stmt.Loop l) {
            Loops.Counted c = loops.counted(l);
            if (c != null) {
              reads.addAll(Uses.all(c.start()));
              reads.addAll(Uses.all(c.bound()));
            }
            for (Stmt.Declare d : loops.recomputed(l)) {
              reads.addAll(Uses.all(d.init()));
            }
            if (c != null) {
              reads.remove(c.index()); // its reverse loop sets the index
            }
            visit(l.init());
            visit(l.body());
            visit(l.update());
          }
          for (Var v : reads) {
            // Inside a counted loop, its reverse loop sets the index: nothing to keep for it.
            if (!loops.isIndexAt(v, s)) {
              readers.computeIfAbsent(v, k -> new ArrayList<>()).add(s);
            }
          }
        }
      }

      /** A condition variable whose value the reverse iteration knows without recording. */
      boolean stable(Var v, Stmt at) {
        if (loops.isIndexAt(v, at) || loops.isRecomputed(v) && v.type().dims() == 0) {
          return true;
        }
        for (Stmt.Loop l : loops.enclosing(at)) {
          if (bodies.changed(l).contains(v)) {
            return false;
          }
        }
        return true;
      }
    }.visit(f.body());

    Set<Stmt> saves = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<Stmt, Integer> e : position.entrySet()) {
      Stmt o = e.getKey();
      Var overwritten;
      if (o instanceof Stmt.Assign a) {
        overwritten = a.target();
      } else if (o instanceof Stmt.Store st) {
        overwritten = Uses.storeBase(st);
      } else if (o instanceof Stmt.Declare d && loops.inLoop(o)
          && d.var().type().dims() == 0) {
        overwritten = d.var(); // overwrites the previous iteration's value
      } else {
        continue;
      }
      if (loops.isCountedIndex(overwritten) || loops.isRecomputed(overwritten)
          || loops.isCountedUpdate(o)) {
        continue;
      }
      if (!enabled && !(o instanceof Stmt.Declare)) {
        saves.add(o);
        continue;
      }
      for (Stmt reader : readers.getOrDefault(overwritten, List.of())) {
        if (position.get(reader) <= e.getValue()
            || loops.shareLoop(reader, o)
                && !killedAroundLoop(reader, o, overwritten, loops, bodies)) {
          saves.add(o);
          break;
        }
      }
    }
    Set<Var> readInReverse = new java.util.HashSet<>(readers.keySet());
    readInReverse.addAll(loops.outerIndices()); // assigned by their reverse loops
    return new Recording(saves, flags, readInReverse);
  }

  /**
   * True when, on every path from {@code reader} (later in the loop body) around the loop's back
   * edge to the overwrite {@code o}, some statement of the innermost common loop's body
   * overwrites the scalar {@code v} first: the value the reader used is then saved by that
   * statement, not by {@code o}. (For {@code double z = b; for (k...) z += ...; h = max(0, z);}
   * only the declaration saves {@code z}, once per iteration, not every {@code +=}.)
   */
  private static boolean killedAroundLoop(Stmt reader, Stmt o, Var v, Loops loops,
      LoopBodies bodies) {
    if (v.type().dims() > 0) {
      return false; // element stores do not overwrite the whole array
    }
    List<Stmt.Loop> ro = loops.enclosing(reader);
    List<Stmt.Loop> oo = loops.enclosing(o);
    Stmt.Loop common = null;
    for (int i = 0; i < Math.min(ro.size(), oo.size()) && ro.get(i) == oo.get(i); i++) {
      common = ro.get(i);
    }
    if (common == null) {
      return false;
    }
    int iReader = bodies.topLevelIndex(common, reader);
    int iO = bodies.topLevelIndex(common, o);
    if (iReader < 0 || iO < 0 || iReader <= iO) {
      return false;
    }
    return bodies.overwrittenOutside(common, v, iReader, iO);
  }

  /** The right-hand side of an assignment as a plain expression ({@code v += e} is v + e). */
  public static Expr asExpression(Stmt.Assign a) {
    if (a.op() == AssignOp.SET) {
      return a.value();
    }
    return new Expr.Binary(a.op().binary, new Expr.Read(a.target()), a.value(),
        a.value().type());
  }

  /** The right-hand side of an element store as a plain expression. */
  public static Expr asExpression(Stmt.Store s) {
    if (s.op() == AssignOp.SET) {
      return s.value();
    }
    return new Expr.Binary(s.op().binary, s.target(), s.value(), s.value().type());
  }

  /** Variables read by the indices of an element expression. */
  static Set<Var> indexReads(Expr e) {
    Set<Var> out = new LinkedHashSet<>();
    Expr x = e;
    while (x instanceof Expr.Index i) {
      out.addAll(Uses.all(i.index()));
      x = i.array();
    }
    return out;
  }

  /** Adds the variables whose values the adjoint of {@code e} reads. */
  static void reverseReads(Expr e, Activity activity, Set<Var> out) {
    if (!Uses.dependsOn(e, activity.active())) {
      return;
    }
    if (e instanceof Expr.Binary b) {
      boolean l = Uses.dependsOn(b.left(), activity.active());
      boolean r = Uses.dependsOn(b.right(), activity.active());
      if (b.op() == BinaryOp.MUL) {
        if (l) {
          out.addAll(Uses.all(b.right()));
        }
        if (r) {
          out.addAll(Uses.all(b.left()));
        }
      } else if (b.op() == BinaryOp.DIV || b.op() == BinaryOp.REM) {
        out.addAll(Uses.all(b.right()));
        if (r) {
          out.addAll(Uses.all(b.left()));
        }
      }
      reverseReads(b.left(), activity, out);
      reverseReads(b.right(), activity, out);
    } else if (e instanceof Expr.Unary u) {
      reverseReads(u.operand(), activity, out);
    } else if (e instanceof Expr.Cast c) {
      reverseReads(c.operand(), activity, out);
    } else if (e instanceof Expr.Conditional c) {
      out.addAll(Uses.all(c.condition()));
      reverseReads(c.ifTrue(), activity, out);
      reverseReads(c.ifFalse(), activity, out);
    } else if (e instanceof Expr.LibraryCall c) {
      c.args().forEach(x -> out.addAll(Uses.all(x)));
      c.args().forEach(x -> reverseReads(x, activity, out));
    } else if (e instanceof Expr.DiffCall c) {
      c.args().forEach(x -> out.addAll(Uses.all(x)));
      c.args().forEach(x -> reverseReads(x, activity, out));
    } else if (e instanceof Expr.CustomCall c) {
      c.args().forEach(x -> out.addAll(Uses.all(x)));
      c.args().forEach(x -> reverseReads(x, activity, out));
    } else if (e instanceof Expr.Index i) {
      out.addAll(indexReads(i));
    } else if (e instanceof Expr.NewArray n && n.elements() != null) {
      n.elements().forEach(x -> reverseReads(x, activity, out));
    }
  }

  private static void number(List<Stmt> stmts, Map<Stmt, Integer> position) {
    for (Stmt s : stmts) {
      position.put(s, position.size());
      if (s instanceof Stmt.If i) {
        number(i.then(), position);
        number(i.otherwise(), position);
      } else if (s instanceof Stmt.Loop l) {
        number(l.init(), position);
        number(l.body(), position);
        number(l.update(), position);
      }
    }
  }
}
