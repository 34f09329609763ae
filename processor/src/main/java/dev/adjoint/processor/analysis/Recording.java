package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
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
 * (for {@code y = a * b}, the values of {@code a} and {@code b}). When a later statement
 * overwrites such a variable, the old value is saved before the overwrite and restored when the
 * reverse sweep passes it again. Nothing else is saved: linear uses (sums) and values never
 * overwritten cost nothing. An {@code if} whose condition reads a variable assigned in its own
 * branches saves the direction taken; any other condition is simply re-evaluated in reverse.
 */
public final class Recording {
  private final Set<Stmt> saves;
  private final Set<Stmt> flags;

  private Recording(Set<Stmt> saves, Set<Stmt> flags) {
    this.saves = saves;
    this.flags = flags;
  }

  /** True when the value overwritten by {@code assignment} must be saved. */
  public boolean needsSave(Stmt assignment) {
    return saves.contains(assignment);
  }

  /** True when {@code ifStmt} must record which branch it took. */
  public boolean needsFlag(Stmt ifStmt) {
    return flags.contains(ifStmt);
  }

  /**
   * Analyses {@code f}. With {@code enabled} false every overwrite is saved and every branch
   * records its direction (the unoptimised baseline the analysis is checked against).
   */
  public static Recording of(Function f, Activity activity, boolean enabled) {
    Map<Stmt, Integer> position = new IdentityHashMap<>();
    number(f.body(), position);
    Set<Stmt> flags = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    Map<Var, Integer> firstRead = new HashMap<>();
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
          } else if (s instanceof Stmt.Return r) {
            reverseReads(r.value(), activity, reads);
          } else if (s instanceof Stmt.If i) {
            Set<Var> assignedInside = Uses.assigned(i.then());
            assignedInside.addAll(Uses.assigned(i.otherwise()));
            // Conservative: any assignment inside may need reverse code (an adjoint or a
            // restore), and that code must run under the direction taken forward.
            if (!assignedInside.isEmpty()) {
              Set<Var> condVars = Uses.all(i.condition());
              if (!enabled || condVars.stream().anyMatch(assignedInside::contains)) {
                flags.add(s);
              } else {
                reads.addAll(condVars);
              }
            }
            visit(i.then());
            visit(i.otherwise());
          }
          int pos = position.get(s);
          for (Var v : reads) {
            firstRead.merge(v, pos, Math::min);
          }
        }
      }
    }.visit(f.body());

    Set<Stmt> saves = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<Stmt, Integer> e : position.entrySet()) {
      if (e.getKey() instanceof Stmt.Assign a) {
        Integer first = firstRead.get(a.target());
        if (!enabled || first != null && first <= e.getValue()) {
          saves.add(a);
        }
      }
    }
    return new Recording(saves, flags);
  }

  /** The right-hand side of an assignment as a plain expression ({@code v += e} is v + e). */
  public static Expr asExpression(Stmt.Assign a) {
    if (a.op() == AssignOp.SET) {
      return a.value();
    }
    return new Expr.Binary(a.op().binary, new Expr.Read(a.target()), a.value(),
        a.value().type());
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
    }
  }

  private static void number(List<Stmt> stmts, Map<Stmt, Integer> position) {
    for (Stmt s : stmts) {
      position.put(s, position.size());
      if (s instanceof Stmt.If i) {
        number(i.then(), position);
        number(i.otherwise(), position);
      }
    }
  }
}
