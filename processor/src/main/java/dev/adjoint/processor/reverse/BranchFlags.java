package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.normalize.Jumps;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Branch directions the reverse sweep cannot recompute. When the reverse sweep of an {@code if}
 * has work and its condition may read values changed later
 * ({@link dev.adjoint.processor.analysis.Recording#needsFlag}), the forward sweep evaluates the
 * condition once into a flag {@code branch} and the reverse sweep tests the flag instead. Inside
 * loops, the flag of each iteration goes on the tape, to be popped by the matching reverse
 * iteration.
 */
final class BranchFlags {
  private final AdjointContext ctx;
  private final Recording recording;
  private final Loops loops;
  private final ReverseWork work;
  private final Hoisting hoisting;
  private final Map<Stmt, Var> flags = new IdentityHashMap<>();

  BranchFlags(AdjointContext ctx, Recording recording, Loops loops, ReverseWork work,
      Hoisting hoisting) {
    this.ctx = ctx;
    this.recording = recording;
    this.loops = loops;
    this.work = work;
    this.hoisting = hoisting;
  }

  private boolean usesFlag(Stmt.If i) {
    return recording.needsFlag(i) && (work.in(i.then()) || work.in(i.otherwise()));
  }

  /**
   * The condition the forward {@code if} tests: its own, or a flag (declared into {@code out}
   * here) when the direction must be recorded.
   */
  Expr forwardCondition(Stmt.If i, List<Stmt> out) {
    Expr condition = i.condition();
    if (usesFlag(i)) {
      Var flag = ctx.newVar("branch", Type.BOOLEAN);
      flags.put(i, flag);
      if (loops.inLoop(i)) {
        out.add(new Stmt.Declare(flag, condition, Source.NONE));
      } else {
        hoisting.declare(flag, condition, out);
      }
      condition = read(flag);
    }
    return condition;
  }

  /**
   * Adds the forward sweep {@code forward} of {@code i}, followed by the push of its flag when
   * the flag goes on the tape.
   */
  void addForward(Stmt.If i, Stmt.If forward, List<Stmt> out) {
    Var flag = flags.get(i);
    if (flag == null || !loops.inLoop(i)) {
      out.add(forward);
      return;
    }
    // Pushed after the branch, so that the reverse sweep pops it before what the branch
    // pushed: the tape is a stack.
    if (Jumps.containsJump(i.then()) || Jumps.containsJump(i.otherwise())) {
      List<Stmt> then = new ArrayList<>(forward.then());
      List<Stmt> otherwise = new ArrayList<>(forward.otherwise());
      pushBeforeJumps(then, flag);
      pushBeforeJumps(otherwise, flag);
      out.add(new Stmt.If(forward.condition(), then, otherwise, forward.source()));
    } else {
      out.add(forward);
      out.add(ctx.push(read(flag)));
    }
  }

  /** Adds the flag's push at the end of each path of a branch that may leave the loop. */
  private void pushBeforeJumps(List<Stmt> block, Var flag) {
    Stmt last = block.isEmpty() ? null : block.get(block.size() - 1);
    if (last instanceof Stmt.Break || last instanceof Stmt.Continue) {
      block.add(block.size() - 1, ctx.push(read(flag)));
    } else if (last instanceof Stmt.If nested && (Jumps.containsJump(nested.then())
        || Jumps.containsJump(nested.otherwise()))) {
      // Some path through the nested if leaves the loop (after normalisation a jump ends its
      // branch): push at the end of each of its paths.
      List<Stmt> then = new ArrayList<>(nested.then());
      List<Stmt> otherwise = new ArrayList<>(nested.otherwise());
      pushBeforeJumps(then, flag);
      pushBeforeJumps(otherwise, flag);
      block.set(block.size() - 1,
          new Stmt.If(nested.condition(), then, otherwise, nested.source()));
    } else {
      block.add(ctx.push(read(flag)));
    }
  }

  /** True when the reverse sweep of {@code i} pops its direction off the tape. */
  boolean isPopped(Stmt.If i) {
    return flags.get(i) != null && loops.inLoop(i);
  }

  /** The condition the reverse sweep of {@code i} tests: the recorded direction if any. */
  Expr reverseCondition(Stmt.If i) {
    Var flag = flags.get(i);
    return flag == null ? i.condition() : isPopped(i) ? ctx.pop(Type.BOOLEAN) : read(flag);
  }
}
