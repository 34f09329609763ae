package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.Stmt;
import java.util.List;

/**
 * Whether the reverse sweep of some statements does anything: updates adjoints, restores saved
 * values or pops the tape. Code with no reverse work needs no trip count, no branch flag and no
 * reverse loop, so both sweeps ask before recording anything for it.
 */
final class ReverseWork {
  private final Activity activity;
  private final Recording recording;

  ReverseWork(Activity activity, Recording recording) {
    this.activity = activity;
    this.recording = recording;
  }

  /** True when the reverse sweep of {@code stmts} does anything (adjoints, restores, pops). */
  boolean in(List<Stmt> stmts) {
    return Stmt.any(stmts, true, this::hasWork);
  }

  /** True when the reverse sweep of {@code s} itself, not of its nested blocks, does anything. */
  private boolean hasWork(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return recording.needsSave(d) || d.init() != null && activity.isActive(d.var())
          && activity.isActive(d.init()) && activity.isUseful(d);
    } else if (s instanceof Stmt.Assign a) {
      return recording.needsSave(a) || activity.isActive(a.target()) && activity.isUseful(a);
    } else if (s instanceof Stmt.Store st) {
      return recording.needsSave(st)
          || activity.isActive(Uses.storeBase(st)) && activity.isUseful(st);
    }
    return s instanceof Stmt.Return;
  }

  /** True when the reverse sweep of a loop's iterations does anything. */
  boolean inIterations(Stmt.Loop l) {
    return in(l.body()) || in(l.update());
  }
}
