package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.constant;
import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward sweep of a statement: the user's code, plus what its reverse sweep will need
 * recorded on the way ({@link Saves saved values}, {@link BranchFlags branch directions},
 * {@link LoopReversal trip counts}), with the declarations the reverse sweep reads outside their
 * blocks {@link Hoisting hoisted}. It also notes each declaration for
 * {@link AdjointDeclarations}.
 */
final class ForwardSweep {
  private final Activity activity;
  private final Recording recording;
  private final Loops loops;
  private final Hoisting hoisting;
  private final AdjointDeclarations declarations;
  private final Saves saves;
  private final BranchFlags flags;
  private final LoopReversal loopReversal;
  /** Set while forwarding the header of a loop whose variables the reverse loop reads. */
  private boolean hoistLoopVariables;

  ForwardSweep(Activity activity, Recording recording, Loops loops, Hoisting hoisting,
      AdjointDeclarations declarations, Saves saves, BranchFlags flags,
      LoopReversal loopReversal) {
    this.activity = activity;
    this.recording = recording;
    this.loops = loops;
    this.hoisting = hoisting;
    this.declarations = declarations;
    this.saves = saves;
    this.flags = flags;
    this.loopReversal = loopReversal;
  }

  /** Adds the forward sweep of {@code s} (not a return) to {@code out}. */
  void forward(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Declare d) {
      declaration(d, out);
    } else if (s instanceof Stmt.Assign a) {
      if (recording.restoresByInverse(a)) {
        saves.invert(a);
      } else if (recording.needsSave(a)) {
        saves.save(a, a.target(), read(a.target()), out);
      }
      out.add(a);
    } else if (s instanceof Stmt.Store st) {
      if (recording.restoresZero(st)) {
        saves.zero(st);
      } else if (recording.needsSave(st)) {
        saves.save(st, null, st.target(), out);
      }
      out.add(st);
    } else if (s instanceof Stmt.If i) {
      Expr condition = flags.forwardCondition(i, out);
      hoisting.enterSplitBlock();
      List<Stmt> then = new ArrayList<>();
      i.then().forEach(t -> forward(t, then));
      List<Stmt> otherwise = new ArrayList<>();
      i.otherwise().forEach(t -> forward(t, otherwise));
      hoisting.leaveSplitBlock();
      flags.addForward(i, new Stmt.If(condition, then, otherwise, i.source()), out);
    } else if (s instanceof Stmt.Loop l) {
      loop(l, out);
    } else if (s instanceof Stmt.Break || s instanceof Stmt.Continue
        || s instanceof Stmt.Comment || Stmt.isPrint(s)) {
      // A print runs here, in the forward sweep only: once, in the order of the user's code.
      out.add(s);
    } else {
      throw new IllegalStateException("unexpected statement in forward sweep: " + s);
    }
  }

  private void declaration(Stmt.Declare d, List<Stmt> out) {
    Var v = d.var();
    boolean array = v.type().dims() > 0;
    if (array && hoisting.insideSplitBlock() && !loops.inLoopBody(d)) {
      // An array of a branch: its adjoint is taken where the reverse of the branch starts,
      // which only runs when the branch ran (see ReverseSweep).
      declarations.noteInBranch(d);
    } else {
      declarations.note(d);
    }
    // An active array's adjoint is sized by the array where the reverse of its block starts,
    // outside the block; in a loop, Recording keeps each iteration's array for it. An array of
    // a branch is declared up front anyway: a reverse loop may count down from its length.
    boolean hoist = (hoisting.insideSplitBlock() || hoistLoopVariables)
        && !loops.isRecomputed(v) && !loops.isCountedIndex(v)
        && (recording.isReadInReverse(v) || recording.needsSave(d)
            || recording.isSavedSomewhere(v)
            || array && hoisting.insideSplitBlock()
                && (activity.isActive(v) || !loops.inLoop(d)));
    if (recording.needsSave(d)) {
      saves.save(d, v, read(v), out);
    }
    if (hoist) {
      hoisting.hoist(v);
      if (d.init() != null) {
        out.add(new Stmt.Assign(v, AssignOp.SET, d.init(), d.source()));
      }
    } else if (d.init() == null && recording.isSavedSomewhere(v)) {
      // A save may read the variable on a path where the user's code has not assigned it
      // yet (it then saves a value no path uses); javac requires it to be assigned.
      out.add(new Stmt.Declare(v, constant(0, v.type()), d.source()));
    } else {
      out.add(d);
    }
  }

  private void loop(Stmt.Loop l, List<Stmt> out) {
    List<Stmt> init = new ArrayList<>();
    // A counted loop's reverse declares its own index; any other reverse loop reads the
    // header's variables outside the header.
    hoistLoopVariables = loops.counted(l) == null;
    l.init().forEach(s -> forward(s, init));
    hoistLoopVariables = false;
    Var count = loopReversal.tripCounter(l, out);
    declarations.openScope(List.of());
    hoisting.enterSplitBlock();
    List<Stmt> body = new ArrayList<>();
    if (count != null) {
      body.add(LoopReversal.countTrip(count));
    }
    l.body().forEach(s -> forward(s, body));
    List<Stmt> update = new ArrayList<>();
    l.update().forEach(s -> forward(s, update));
    hoisting.leaveSplitBlock();
    declarations.closeLoopScope(l);
    List<Stmt> header = init;
    if (init.size() > 1) {
      out.addAll(init);
      header = List.of();
    }
    out.add(new Stmt.Loop(header, l.condition(), update, body, l.testFirst(), l.source()));
    loopReversal.pushTripCount(l, count, out);
  }
}
