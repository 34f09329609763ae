package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether the iterations of a reverse loop may run in any order: true when an iteration
 * only declares its own locals and adds into adjoints it does not otherwise read, and records
 * nothing (no tape), its nested loops included. Addition commutes, so the order changes no
 * result beyond rounding.
 */
final class IterationOrder {
  /** The tape pops allowed, and the variables whose old values an iteration may put back. */
  private final boolean tape;
  private final Set<Var> restorable;
  /**
   * The arrays that each iteration allocates afresh: those of the forward body, and the reverse
   * iteration's own adjoint buffers as the scan meets their declarations.
   */
  private final Set<Var> fresh;

  private IterationOrder(boolean tape, Set<Var> restorable, Set<Var> fresh) {
    this.tape = tape;
    this.restorable = restorable;
    this.fresh = new HashSet<>(fresh);
  }

  static boolean commutes(List<Stmt> body) {
    return new IterationOrder(false, Set.of(), Set.of()).check(body);
  }

  /**
   * True when the reverse iterations would commute but for what each pops from the tape and
   * the old values it puts back into {@code restorable}, the locals of the forward body. Run
   * right after its own forward iteration (a {@link LoopFusion fused} loop), such an iteration
   * pops exactly what that forward iteration pushed, and the next forward iteration declares
   * those locals afresh: the iterations are then independent, the tape never holds more than
   * one iteration's records.
   */
  static boolean commutesWithinIteration(List<Stmt> body, Set<Var> restorable,
      Set<Var> freshArrays) {
    return new IterationOrder(true, restorable, freshArrays).check(body);
  }

  private boolean check(List<Stmt> body) {
    Set<Var> local = new HashSet<>();
    Set<Var> accumulated = new HashSet<>();
    Set<Var> read = new HashSet<>();
    if (!scan(body, local, accumulated, read)) {
      return false;
    }
    for (Var v : accumulated) {
      if (read.contains(v)) {
        return false;
      }
    }
    return true;
  }

  private boolean scan(List<Stmt> stmts, Set<Var> local, Set<Var> accumulated,
      Set<Var> read) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d) {
        if (d.init() != null && usesTape(d.init())) {
          return false;
        }
        local.add(d.var());
        if (d.var().type().dims() > 0 && allocates(d.init())) {
          fresh.add(d.var());
        }
        if (d.init() != null) {
          read.addAll(Uses.all(d.init()));
        }
      } else if (s instanceof Stmt.Assign a) {
        if (usesTape(a.value())) {
          return false;
        }
        read.addAll(Uses.all(a.value()));
        if (!local.contains(a.target())
            && !(a.op() == AssignOp.SET && restorable.contains(a.target()))) {
          if (a.op() != AssignOp.ADD && a.op() != AssignOp.SUB) {
            return false;
          }
          accumulated.add(a.target());
        }
      } else if (s instanceof Stmt.Store st) {
        if (usesTape(st.value())) {
          return false;
        }
        read.addAll(Uses.all(st.value()));
        Expr x = st.target();
        while (x instanceof Expr.Index i) {
          read.addAll(Uses.all(i.index()));
          x = i.array();
        }
        if (!(x instanceof Expr.Read base)) {
          return false;
        }
        // Within one iteration (tape mode), the elements of an array that the iteration
        // allocated itself, forward (restored from the tape) or reverse (its adjoint, cleared),
        // belong to that iteration alone.
        boolean own = tape && fresh.contains(base.var());
        if (!own && st.op() != AssignOp.ADD && st.op() != AssignOp.SUB) {
          return false;
        }
        if (!own) {
          accumulated.add(base.var());
        }
      } else if (s instanceof Stmt.If i) {
        if (usesTape(i.condition())) {
          return false;
        }
        read.addAll(Uses.all(i.condition()));
        if (!scan(i.then(), local, accumulated, read)
            || !scan(i.otherwise(), local, accumulated, read)) {
          return false;
        }
      } else if (s instanceof Stmt.Loop l) {
        // A nested loop runs the same iterations whatever the outer order, when its header
        // reads nothing the iterations accumulate into (checked with the other reads) and its
        // own iterations commute.
        if (usesTape(l.condition())) {
          return false;
        }
        read.addAll(Uses.all(l.condition()));
        if (!scan(l.init(), local, accumulated, read) || !scan(l.body(), local, accumulated, read)
            || !scan(l.update(), local, accumulated, read)) {
          return false;
        }
      } else if (tape && s instanceof Stmt.Eval e && e.expr() instanceof Expr.RuntimeCall c
          && c.receiver() != null && c.receiver().type().equals(Type.SCRATCH)
          && c.name().equals("release")) {
        // Gives back the buffers of the iteration before: each iteration takes its own.
      } else if (!(s instanceof Stmt.Comment || s instanceof Stmt.Blank)) {
        return false; // calls for effect: keep the reverse order
      }
    }
    return true;
  }

  /** True for a new array: an allocation or a buffer of the scratch arena. */
  static boolean allocates(Expr init) {
    return init instanceof Expr.NewArray
        || init instanceof Expr.RuntimeCall c && c.receiver() != null
            && c.receiver().type().equals(Type.SCRATCH);
  }

  private boolean usesTape(Expr e) {
    if (e instanceof Expr.RuntimeCall c && c.receiver() != null) {
      // The tape, popped in reverse order, and the iteration's own buffers of the scratch
      // arena (allowed within one iteration).
      return !tape || !c.receiver().type().equals(Type.TAPE)
          && !c.receiver().type().equals(Type.SCRATCH)
          || e.operands().stream().anyMatch(this::usesTape);
    }
    if (e instanceof Expr.GradCall || e instanceof Expr.AccumulatingCall
        || e instanceof Expr.PullbackCall) {
      return true; // calls may have their own order-dependent effects on the tape
    }
    return e.operands().stream().anyMatch(this::usesTape);
  }
}
