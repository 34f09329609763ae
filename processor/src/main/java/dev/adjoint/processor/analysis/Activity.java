package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Activity analysis: a variable is <em>active</em> when it depends on a differentiable parameter
 * (varied) and the result depends on it (useful). Only active variables get adjoints, and only
 * statements that assign active variables get reverse code. An array is active when its elements
 * are.
 *
 * <p>The analysis is flow-insensitive (one answer per variable for the whole method), which is
 * conservative: it may keep an adjoint that a flow-sensitive analysis would drop, never the
 * reverse.
 */
public final class Activity {
  private final Set<Var> active;
  /** The statements whose value can reach the result, or null when all count as useful. */
  private final Set<Stmt> useful;

  private Activity(Set<Var> active, Set<Stmt> useful) {
    this.active = active;
    this.useful = useful;
  }

  /** Analyses {@code f}; with {@code enabled} false every floating variable is active. */
  public static Activity of(Function f, boolean enabled) {
    Set<Var> varied = new HashSet<>();
    for (Function.Param p : f.params()) {
      if (p.differentiable()) {
        varied.add(p.var());
      }
    }
    if (!enabled) {
      Set<Var> all = new HashSet<>(varied);
      for (Var v : Uses.assigned(f.body())) {
        if (v.type().isDifferentiable()) {
          all.add(v);
        }
      }
      return new Activity(all, null);
    }
    boolean changed = true;
    while (changed) {
      changed = forward(f.body(), varied);
    }
    Set<Var> useful = new HashSet<>();
    seedUseful(f.body(), useful);
    changed = true;
    while (changed) {
      changed = backward(f.body(), useful);
    }
    varied.retainAll(useful);
    // The flow-sensitive answer refines the flow-insensitive one: a variable that only feeds
    // statements whose value never reaches the result needs no adjoint.
    Usefulness.Result flow = Usefulness.of(f);
    varied.retainAll(flow.variables());
    return new Activity(varied, flow.statements());
  }

  /**
   * The variables that depend on a differentiable parameter of {@code f}, whether or not the
   * result depends on them (the varied half of the analysis, always computed).
   */
  public static Set<Var> varied(Function f) {
    Set<Var> varied = new HashSet<>();
    for (Function.Param p : f.params()) {
      if (p.differentiable()) {
        varied.add(p.var());
      }
    }
    while (forward(f.body(), varied)) {
      // to a fixed point
    }
    return varied;
  }

  public boolean isActive(Var v) {
    return active.contains(v);
  }

  /**
   * False for a declaration, assignment or element store whose value cannot reach the result on
   * any path from where it runs ({@link Usefulness}): it needs no reverse code, although its
   * target may be active elsewhere. True for every other statement.
   */
  public boolean isUseful(Stmt s) {
    return useful == null || useful.contains(s)
        || !(s instanceof Stmt.Declare || s instanceof Stmt.Assign || s instanceof Stmt.Store);
  }

  public Set<Var> active() {
    return active;
  }

  /** True when {@code e} carries a derivative of an active variable. */
  public boolean isActive(Expr e) {
    return Uses.dependsOn(e, active);
  }

  private static boolean forward(List<Stmt> stmts, Set<Var> varied) {
    boolean changed = false;
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d) {
        if (d.init() != null && d.var().type().isDifferentiable()
            && Uses.dependsOn(d.init(), varied)) {
          changed |= varied.add(d.var());
        }
      } else if (s instanceof Stmt.Assign a) {
        if (a.target().type().isDifferentiable() && Uses.dependsOn(a.value(), varied)) {
          changed |= varied.add(a.target());
        }
      } else if (s instanceof Stmt.Store st) {
        if (st.target().type().isFloating() && Uses.dependsOn(st.value(), varied)) {
          changed |= varied.add(Uses.storeBase(st));
        }
      } else if (s instanceof Stmt.If i) {
        changed |= forward(i.then(), varied);
        changed |= forward(i.otherwise(), varied);
      } else if (s instanceof Stmt.Loop l) {
        changed |= forward(l.init(), varied);
        changed |= forward(l.body(), varied);
        changed |= forward(l.update(), varied);
      }
    }
    return changed;
  }

  private static List<Stmt> reversed(List<Stmt> stmts) {
    List<Stmt> out = new java.util.ArrayList<>(stmts);
    java.util.Collections.reverse(out);
    return out;
  }

  private static void seedUseful(List<Stmt> stmts, Set<Var> useful) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Return r) {
        useful.addAll(Uses.differentiable(r.value()));
      } else if (s instanceof Stmt.If i) {
        seedUseful(i.then(), useful);
        seedUseful(i.otherwise(), useful);
      } else if (s instanceof Stmt.Loop l) {
        seedUseful(l.body(), useful);
      }
    }
  }

  private static boolean backward(List<Stmt> stmts, Set<Var> useful) {
    boolean changed = false;
    // Usefulness flows from uses back to definitions: visiting the statements last to first
    // settles straight-line code in one pass.
    for (Stmt s : reversed(stmts)) {
      if (s instanceof Stmt.Declare d) {
        if (d.init() != null && useful.contains(d.var())) {
          changed |= useful.addAll(Uses.differentiable(d.init()));
        }
      } else if (s instanceof Stmt.Assign a) {
        if (useful.contains(a.target())) {
          changed |= useful.addAll(Uses.differentiable(a.value()));
        }
      } else if (s instanceof Stmt.Store st) {
        if (useful.contains(Uses.storeBase(st))) {
          changed |= useful.addAll(Uses.differentiable(st.value()));
        }
      } else if (s instanceof Stmt.If i) {
        changed |= backward(i.then(), useful);
        changed |= backward(i.otherwise(), useful);
      } else if (s instanceof Stmt.Loop l) {
        changed |= backward(l.update(), useful);
        changed |= backward(l.body(), useful);
        changed |= backward(l.init(), useful);
      }
    }
    return changed;
  }
}
