package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The reverse sweep of a statement: restores what its forward sweep saved, then updates the
 * adjoints ({@link StatementAdjoints}). An {@code if} reverses both branches under the condition
 * or its {@link BranchFlags recorded direction}; a loop becomes a {@link LoopReversal reverse
 * loop} whose iterations first recompute the body's cheap locals, then walk the body backwards.
 */
final class ReverseSweep {
  private final AdjointContext ctx;
  private final Loops loops;
  private final ReverseWork work;
  private final AdjointDeclarations declarations;
  private final Saves saves;
  private final BranchFlags flags;
  private final LoopReversal loopReversal;
  private final StatementAdjoints adjoints;
  private final Recording recording;

  ReverseSweep(AdjointContext ctx, Loops loops, ReverseWork work,
      AdjointDeclarations declarations, Saves saves, BranchFlags flags, LoopReversal loopReversal,
      StatementAdjoints adjoints, Recording recording) {
    this.ctx = ctx;
    this.recording = recording;
    this.loops = loops;
    this.work = work;
    this.declarations = declarations;
    this.saves = saves;
    this.flags = flags;
    this.loopReversal = loopReversal;
    this.adjoints = adjoints;
  }

  /** Adds the reverse sweep of {@code s} (not a return) to {@code out}. */
  void reverse(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Declare d) {
      List<Stmt> code = new ArrayList<>();
      if (recording.reusesOwnValue(d)) {
        // Its derivative reads the value it declared: before that value is put back.
        adjoints.declaration(d, code);
        saves.restore(d, read(d.var()), code);
      } else {
        saves.restore(d, read(d.var()), code);
        adjoints.declaration(d, code);
      }
      LineComments.add(d.source(), code, out);
    } else if (s instanceof Stmt.Assign a) {
      List<Stmt> code = new ArrayList<>();
      saves.restore(a, read(a.target()), code);
      adjoints.assignment(a, code);
      LineComments.add(a.source(), code, out);
    } else if (s instanceof Stmt.Store st) {
      List<Stmt> code = new ArrayList<>();
      saves.restore(st, st.target(), code);
      adjoints.store(st, code);
      LineComments.add(st.source(), code, out);
    } else if (s instanceof Stmt.If i) {
      List<Stmt> then = new ArrayList<>();
      for (int k = i.then().size() - 1; k >= 0; k--) {
        reverse(i.then().get(k), then);
      }
      then.addAll(0, declarations.ofBranch(i.then()));
      List<Stmt> otherwise = new ArrayList<>();
      for (int k = i.otherwise().size() - 1; k >= 0; k--) {
        reverse(i.otherwise().get(k), otherwise);
      }
      otherwise.addAll(0, declarations.ofBranch(i.otherwise()));
      // A popped direction must be popped even when neither branch has work: the tape is a
      // stack.
      if (!then.isEmpty() || !otherwise.isEmpty() || flags.isPopped(i)) {
        Expr condition = flags.reverseCondition(i);
        LineComments.add(i.source(), List.of(new Stmt.If(condition, then, otherwise, i.source())),
            out);
      }
    } else if (s instanceof Stmt.Loop l) {
      loop(l, out);
    } else if (!(s instanceof Stmt.Break || s instanceof Stmt.Continue
        || s instanceof Stmt.Comment || Stmt.isPrint(s))) { // a print ran in the forward sweep
      throw new IllegalStateException("unexpected statement in reverse sweep: " + s);
    }
  }

  private void loop(Stmt.Loop l, List<Stmt> out) {
    if (!work.inIterations(l)) {
      init(l, out);
      return;
    }
    List<Stmt> body = new ArrayList<>();
    List<Stmt.Declare> recomputed = loops.recomputed(l);
    List<Stmt> adjointDeclarations = declarations.declarations(declarations.ofLoop(l));
    List<Stmt> update = new ArrayList<>();
    for (int k = l.update().size() - 1; k >= 0 && loops.counted(l) == null; k--) {
      reverse(l.update().get(k), update);
    }
    int n = l.body().size();
    // Locals that read the control variables are recomputed once the update's reverse has
    // restored them; the others first, where the iteration's own locals are declared.
    Set<Var> control = Uses.assigned(l.update());
    List<Stmt.Declare> early = new ArrayList<>();
    List<Stmt.Declare> late = new ArrayList<>();
    for (Stmt.Declare d : recomputed) {
      boolean readsControl = !update.isEmpty()
          && Uses.all(d.init()).stream().anyMatch(control::contains);
      (readsControl || !late.isEmpty() ? late : early).add(d);
    }
    recompute(early, n, body);
    body.addAll(adjointDeclarations);
    body.addAll(update);
    recompute(late, n, body);
    for (int k = n - 1; k >= 0; k--) {
      reverse(l.body().get(k), body);
      recompute(recomputed, k, body);
    }
    body = ElementAccumulators.apply(body, ctx, ctx.adjointArrays());
    InvariantIncrements.Hoisted hoisted =
        InvariantIncrements.apply(l, loops.counted(l), body, ctx, ctx.adjointArrays());
    List<Stmt> iteration = hoisted.body();
    Var mark = null;
    if (declaresActiveArray(l.body()) && !assignsArray(l.body())
        && !assignsArray(l.update())) {
      // The adjoints of the body's arrays die with the iteration: each reverse iteration gives
      // back the buffers of the one before, so all of them reuse the same few buffers.
      mark = ctx.newVar("mark", Type.INT);
      iteration = new ArrayList<>(iteration);
      iteration.add(0, new Stmt.Eval(new Expr.RuntimeCall(ctx.scratch(), null, "release",
          List.of(read(mark)), Type.BOOLEAN)));
    }
    List<Stmt> reversed = hoisted.around(loopReversal.reversed(l, iteration, recomputed));
    if (mark != null) {
      reversed = new ArrayList<>(reversed);
      reversed.add(0, new Stmt.Declare(mark, new Expr.RuntimeCall(ctx.scratch(), null, "mark",
          List.of(), Type.INT), Source.NONE));
    }
    LineComments.add(l.source(), reversed, out);
    init(l, out);
  }

  /**
   * True when {@code stmts} declare an active array, whose adjoint is a buffer of the scratch
   * arena taken by each reverse iteration.
   */
  private boolean declaresActiveArray(List<Stmt> stmts) {
    return Stmt.any(stmts, false, s -> s instanceof Stmt.Declare d && d.var().type().dims() > 0
        && !(d.init() instanceof Expr.Index) && ctx.activity.isActive(d.var()));
  }

  /**
   * True when {@code stmts} give an array variable a new array (its adjoint outlives them),
   * nested loops' headers included (they run once per iteration too).
   */
  private static boolean assignsArray(List<Stmt> stmts) {
    return Stmt.any(stmts, true, s -> s instanceof Stmt.Assign a && a.target().type().dims() > 0);
  }

  /** Adds the declarations of {@code recomputed} that are recomputed at {@code slot}. */
  private void recompute(List<Stmt.Declare> recomputed, int slot, List<Stmt> out) {
    boolean first = true;
    for (Stmt.Declare d : recomputed) {
      if (loops.recomputeSlot(d) == slot) {
        if (first) {
          out.add(new Stmt.Comment("recomputed, not recorded"));
          first = false;
        }
        out.add(d);
      }
    }
  }

  private void init(Stmt.Loop l, List<Stmt> out) {
    for (int k = l.init().size() - 1; k >= 0; k--) {
      reverse(l.init().get(k), out);
    }
  }
}
