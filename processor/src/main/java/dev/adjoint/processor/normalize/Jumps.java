package dev.adjoint.processor.normalize;

import dev.adjoint.processor.ir.Stmt;
import java.util.List;

/**
 * Where the jumps ({@code return}, {@code break}, {@code continue}) of a block are. After
 * {@link ReturnNormalization} every jump ends a path, so these questions only look at the ends of
 * blocks and branches, never inside nested loops (whose jumps leave that loop).
 */
public final class Jumps {
  private Jumps() {}

  static boolean isJump(Stmt s) {
    return s instanceof Stmt.Return || s instanceof Stmt.Break || s instanceof Stmt.Continue;
  }

  /** True when a jump occurs in {@code block} outside nested loops. */
  public static boolean containsJump(List<Stmt> block) {
    for (Stmt s : block) {
      if (isJump(s)
          || s instanceof Stmt.If f && (containsJump(f.then()) || containsJump(f.otherwise()))) {
        return true;
      }
    }
    return false;
  }

  /** True when every path through {@code block} ends in a jump. */
  static boolean endsInJump(List<Stmt> block) {
    if (block.isEmpty()) {
      return false;
    }
    Stmt last = block.get(block.size() - 1);
    return isJump(last)
        || last instanceof Stmt.If f && endsInJump(f.then()) && endsInJump(f.otherwise());
  }
}
