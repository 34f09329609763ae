package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Facts about a loop's body that {@link Recording} asks for once per overwrite and reader,
 * computed once per loop: scanning the body for each question made the analysis quadratic in
 * the length of a loop body.
 */
final class LoopBodies {
  /**
   * @param topLevel each statement inside the body, at any depth, and the index of the top-level
   *     statement containing it
   * @param overwrites for each variable a top-level statement declares or assigns, the first
   *     and last such index
   * @param updateOverwrites variables the update declares or assigns
   */
  private record Body(Map<Stmt, Integer> topLevel, Map<Var, int[]> overwrites,
      Set<Var> updateOverwrites) {}

  private final Map<Stmt.Loop, Body> bodies = new IdentityHashMap<>();
  private final Map<Stmt.Loop, Set<Var>> changed = new IdentityHashMap<>();

  /** Index in {@code loop}'s body of the top-level statement containing {@code s}, or -1. */
  int topLevelIndex(Stmt.Loop loop, Stmt s) {
    return body(loop).topLevel().getOrDefault(s, -1);
  }

  /**
   * True when a top-level statement of {@code loop}'s body after {@code after} or before
   * {@code before}, or a statement of its update, declares or assigns {@code v}.
   */
  boolean overwrittenOutside(Stmt.Loop loop, Var v, int after, int before) {
    Body b = body(loop);
    int[] range = b.overwrites().get(v);
    return range != null && (range[1] > after || range[0] < before)
        || b.updateOverwrites().contains(v);
  }

  /** The variables assigned in {@code loop}'s body or update (see {@link Uses#assigned}). */
  Set<Var> changed(Stmt.Loop loop) {
    return changed.computeIfAbsent(loop, l -> {
      Set<Var> out = Uses.assigned(l.body());
      out.addAll(Uses.assigned(l.update()));
      return out;
    });
  }

  private Body body(Stmt.Loop loop) {
    return bodies.computeIfAbsent(loop, l -> {
      Map<Stmt, Integer> topLevel = new IdentityHashMap<>();
      Map<Var, int[]> overwrites = new HashMap<>();
      List<Stmt> stmts = l.body();
      for (int k = 0; k < stmts.size(); k++) {
        Stmt s = stmts.get(k);
        index(s, k, topLevel);
        Var v = overwritten(s);
        if (v != null) {
          int[] range = overwrites.computeIfAbsent(v, x -> new int[] {Integer.MAX_VALUE, -1});
          range[0] = Math.min(range[0], k);
          range[1] = Math.max(range[1], k);
        }
      }
      Set<Var> updateOverwrites = new HashSet<>();
      for (Stmt u : l.update()) {
        Var v = overwritten(u);
        if (v != null) {
          updateOverwrites.add(v);
        }
      }
      return new Body(topLevel, overwrites, updateOverwrites);
    });
  }

  /** Records {@code s} and everything nested in it under index {@code k} (the first wins). */
  private static void index(Stmt s, int k, Map<Stmt, Integer> topLevel) {
    topLevel.putIfAbsent(s, k);
    if (s instanceof Stmt.If i) {
      i.then().forEach(x -> index(x, k, topLevel));
      i.otherwise().forEach(x -> index(x, k, topLevel));
    } else if (s instanceof Stmt.Loop l) {
      l.init().forEach(x -> index(x, k, topLevel));
      l.body().forEach(x -> index(x, k, topLevel));
      l.update().forEach(x -> index(x, k, topLevel));
    }
  }

  /** The scalar or array variable {@code s} itself declares or assigns, or null. */
  private static Var overwritten(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.var();
    }
    return s instanceof Stmt.Assign a ? a.target() : null;
  }
}
