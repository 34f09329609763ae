package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The variables each loop changes, computed once per loop: {@link Recording} asks for them once
 * per condition, and scanning the body for each question made the analysis quadratic in the
 * length of a loop body.
 */
final class LoopBodies {
  private final Map<Stmt.Loop, Set<Var>> changed = new IdentityHashMap<>();

  /** The variables assigned in {@code loop}'s body or update (see {@link Uses#assigned}). */
  Set<Var> changed(Stmt.Loop loop) {
    return changed.computeIfAbsent(loop, l -> {
      Set<Var> out = Uses.assigned(l.body());
      out.addAll(Uses.assigned(l.update()));
      return out;
    });
  }
}
