package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.rules.MathRules;
import java.util.Collections;
import java.util.HashSet;
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
 * it updates, as they were where the statement ran. An overwrite saves the old value only when
 * such a read is still exposed on some path to it, that is when no earlier overwrite on that
 * path restores the value for the reader ({@link Exposure}). Nothing else is saved: linear uses
 * (sums), values never overwritten, counted loop indices (counted back down) and locals
 * recomputed in reverse cost nothing. An {@code if} whose condition cannot be evaluated again in
 * reverse records its direction.
 */
public final class Recording {
  private final Set<Stmt> saves;
  private final Set<Stmt> flags;
  private final Set<Var> readInReverse;
  /** Declarations whose derivative reads the value they declare (see {@link #reusesOwnValue}). */
  private final Set<Stmt> ownValue;
  /** Saved stores whose old value is a fresh array's zero (see {@link #restoresZero}). */
  private final Set<Stmt> zeros;
  /** Saved int steps undone by the opposite step (see {@link #restoresByInverse}). */
  private final Set<Stmt> inverses;
  /** Targets of the saved assignments (asked once per declaration: a scan would be quadratic). */
  private final Set<Var> savedTargets = new HashSet<>();

  private Recording(Set<Stmt> saves, Set<Stmt> flags, Set<Var> readInReverse,
      Set<Stmt> ownValue, Set<Stmt> zeros, Set<Stmt> inverses) {
    this.saves = saves;
    this.zeros = zeros;
    this.inverses = inverses;
    this.flags = flags;
    this.readInReverse = readInReverse;
    this.ownValue = ownValue;
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

  /**
   * True for a store that {@link #needsSave} whose old value is known without saving it: the
   * zero of an array the function allocated, whose element nothing wrote yet
   * ({@link FreshElements}). Its reverse puts the zero back; nothing goes on the tape.
   */
  public boolean restoresZero(Stmt s) {
    return zeros.contains(s);
  }

  /**
   * True for an assignment that {@link #needsSave} which is a constant step of an {@code int}
   * ({@code i += c}, {@code i -= c}: a second counter of a loop, {@code x[i++]}): int addition
   * wraps around exactly, so its reverse takes the step back ({@code i -= c}) instead of
   * popping the old value from the tape.
   */
  public boolean restoresByInverse(Stmt s) {
    return inverses.contains(s);
  }

  /** True when some assignment to {@code v} saves its old value. */
  public boolean isSavedSomewhere(Var v) {
    return savedTargets.contains(v);
  }

  /**
   * True for a declaration {@code double v = Math.exp(u)} whose derivative reads {@code v}
   * instead of calling the function again ({@code exp}' is its value, {@code sqrt}' is
   * {@code 0.5 / v}, {@code tanh}' is {@code 1 - v * v}). Its reverse runs before it restores
   * {@code v}'s old value, and {@code v} is kept (recomputed, saved or left in place) as a value
   * the reverse sweep reads just after the declaration (a later assignment saves it).
   */
  public boolean reusesOwnValue(Stmt s) {
    return ownValue.contains(s);
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
    LoopBodies bodies = new LoopBodies();
    Set<Stmt> ownValue = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Stmt> flags = Collections.newSetFromMap(new IdentityHashMap<>());
    Map<Stmt, Set<Var>> reads = new IdentityHashMap<>();
    new Object() {
      void visit(List<Stmt> stmts) {
        for (Stmt s : stmts) {
          Set<Var> r = new LinkedHashSet<>();
          if (s instanceof Stmt.If i) {
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
                r.addAll(condVars);
              } else {
                flags.add(s);
              }
            }
            visit(i.then());
            visit(i.otherwise());
          } else if (s instanceof Stmt.Loop l) {
            Loops.Counted c = loops.counted(l);
            if (c != null) {
              r.addAll(Uses.all(c.start()));
              r.addAll(Uses.all(c.bound()));
              r.remove(c.index()); // its reverse loop sets the index
            }
            visit(l.init());
            visit(l.body());
            visit(l.update());
          } else {
            r.addAll(reverseReadsOf(s, activity));
            if (s instanceof Stmt.Declare d && loops.isRecomputed(d.var())) {
              r.addAll(Uses.all(d.init())); // recomputed in reverse where it ran
            }
            if (s instanceof Stmt.Declare d && partialsUseValue(d, activity)) {
              ownValue.add(d);
            }
          }
          // Inside a counted loop, its reverse loop sets the index: nothing to keep for it.
          r.removeIf(v -> loops.isIndexAt(v, s));
          reads.put(s, r);
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

    java.util.function.Function<Stmt, Var> overwritten = o -> {
      Var v = null;
      if (o instanceof Stmt.Assign a) {
        v = a.target();
      } else if (o instanceof Stmt.Store st) {
        v = Uses.storeBase(st);
      } else if (o instanceof Stmt.Declare d && loops.inLoop(o)) {
        v = d.var(); // overwrites the previous iteration's value (or array)
      }
      return v == null || loops.isCountedIndex(v) || loops.isRecomputed(v)
          || loops.isCountedUpdate(o) ? null : v;
    };
    Set<Stmt> saves = Exposure.saves(f.body(), s -> reads.getOrDefault(s, Set.of()),
        overwritten, s -> ownValue.contains(s) ? Set.of(((Stmt.Declare) s).var()) : Set.of());
    // The saved int steps are taken back in reverse instead: each such restore reads its
    // counter as the step left it, which the exposure must then see (a reset i = 0 before
    // the next run of the loop saves i once, where each step pushed it before).
    Set<Stmt> inverses = Collections.newSetFromMap(new IdentityHashMap<>());
    if (enabled) {
      for (Stmt s : saves) {
        if (isIntStep(s)) {
          inverses.add(s);
        }
      }
      if (!inverses.isEmpty()) {
        saves = Exposure.saves(f.body(), s -> reads.getOrDefault(s, Set.of()), overwritten,
            s -> ownValue.contains(s) ? Set.of(((Stmt.Declare) s).var())
                : inverses.contains(s) ? Set.of(((Stmt.Assign) s).target()) : Set.of());
      }
    }
    if (!enabled) {
      for (Stmt o : reads.keySet()) {
        if (!(o instanceof Stmt.Declare) && overwritten.apply(o) != null) {
          saves.add(o);
        }
      }
    }
    // An active array variable given a new array: the reverse sweep sizes the old array's
    // adjoint by the old array, so its reference is always kept (never its elements: a new
    // array is never written by an earlier iteration's code, and aliases are never written).
    for (Stmt o : reads.keySet()) {
      boolean array = o instanceof Stmt.Assign a && a.target().type().dims() > 0
          || o instanceof Stmt.Declare d && d.var().type().dims() > 0 && loops.inLoop(o);
      Var target = array ? overwritten.apply(o) : null;
      if (target != null && activity.isActive(target)) {
        saves.add(o);
      }
    }
    Set<Var> readInReverse = new HashSet<>();
    reads.values().forEach(readInReverse::addAll);
    readInReverse.addAll(loops.outerIndices()); // assigned by their reverse loops
    ownValue.forEach(s -> readInReverse.add(((Stmt.Declare) s).var()));
    inverses.forEach(s -> readInReverse.add(((Stmt.Assign) s).target()));
    Set<Stmt> zeros = Collections.newSetFromMap(new IdentityHashMap<>());
    if (enabled) {
      for (Stmt s : FreshElements.of(f, loops)) {
        if (saves.contains(s)) {
          zeros.add(s);
        }
      }
    }
    return new Recording(saves, flags, readInReverse, ownValue, zeros, inverses);
  }

  /** True for {@code i += c} or {@code i -= c} of an {@code int} by a constant. */
  private static boolean isIntStep(Stmt s) {
    return s instanceof Stmt.Assign a && a.target().type().equals(Type.INT)
        && (a.op() == AssignOp.ADD || a.op() == AssignOp.SUB)
        && a.value() instanceof Expr.Const c && c.type().equals(Type.INT);
  }

  /**
   * The variables the reverse sweep of a declaration, assignment, store or return reads: the
   * operands its partial derivatives mention and the indices of the elements it updates.
   */
  static Set<Var> reverseReadsOf(Stmt s, Activity activity) {
    Set<Var> reads = new LinkedHashSet<>();
    if (s instanceof Stmt.Declare d) {
      if (partialsUseValue(d, activity)) {
        // The partials read the declared value (read as it is just after the declaration,
        // see reusesOwnValue) and what else they mention, not the arguments as such.
        Expr.LibraryCall c = (Expr.LibraryCall) d.init();
        List<Expr> partials = MathRules.partials(c, new Expr.Read(d.var()));
        for (int k = 0; k < partials.size(); k++) {
          if (partials.get(k) != null && activity.isActive(c.args().get(k))) {
            reads.addAll(Uses.all(partials.get(k)));
          }
          reverseReads(c.args().get(k), activity, reads);
        }
        reads.remove(d.var());
      } else if (d.init() != null && activity.isActive(d.var()) && activity.isUseful(s)) {
        reverseReads(d.init(), activity, reads);
      }
    } else if (s instanceof Stmt.Assign a) {
      if (activity.isActive(a.target()) && activity.isUseful(s)) {
        reverseReads(asExpression(a), activity, reads);
      }
    } else if (s instanceof Stmt.Store st) {
      reads.addAll(Uses.indexReads(st.target()));
      if (activity.isActive(Uses.storeBase(st)) && activity.isUseful(s)) {
        reverseReads(asExpression(st), activity, reads);
      }
    } else if (s instanceof Stmt.Return r) {
      reverseReads(r.value(), activity, reads);
    }
    return reads;
  }

  /**
   * True when {@code d} declares a scalar as a call of a Math function whose derivative, with
   * respect to an active argument, uses the function's value ({@code v = Math.exp(u)}).
   */
  public static boolean partialsUseValue(Stmt.Declare d, Activity activity) {
    Var v = d.var();
    if (!(d.init() instanceof Expr.LibraryCall c) || !v.type().isFloating()
        || v.type().dims() > 0 || !c.type().equals(v.type()) || !MathRules.isSmooth(c)
        || !activity.isActive(v)
        || !activity.isActive(c) || !activity.isUseful(d)) {
      return false;
    }
    Var marker = new Var("value", "value", v.type(), Var.Kind.GENERATED);
    List<Expr> partials = MathRules.partials(c, new Expr.Read(marker));
    for (int k = 0; k < partials.size(); k++) {
      if (partials.get(k) != null && activity.isActive(c.args().get(k))
          && Uses.all(partials.get(k)).contains(marker)) {
        return true;
      }
    }
    return false;
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
      out.addAll(Uses.indexReads(i));
    } else if (e instanceof Expr.NewArray n && n.elements() != null) {
      n.elements().forEach(x -> reverseReads(x, activity, out));
    }
  }
}
