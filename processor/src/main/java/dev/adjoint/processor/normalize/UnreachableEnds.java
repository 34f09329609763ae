package dev.adjoint.processor.normalize;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.UnsupportedConstruct;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the paths of a normalised body that javac proved can never reach the end of the method.
 *
 * <p>A loop that only a {@code return} leaves ({@code while (true) { ... if (c) return y; }}, or
 * {@code for (;;)}) becomes, once its returns are {@link DeferredReturns deferred}, the loop then
 * {@code if (returned) return result;}: the path on which {@code returned} is false would fall off
 * the end of the method, which javac has already ruled out (a method that can complete normally
 * without returning does not compile). This pass keeps only the branch that returns, so every
 * path of the body ends in a {@code return}, as the reverse sweep needs.
 */
final class UnreachableEnds {
  private UnreachableEnds() {}

  /** {@code body} with every path ending in a return. */
  static List<Stmt> close(Function f, List<Stmt> body) {
    List<Stmt> closed = closed(body);
    if (closed == null) {
      throw new UnsupportedConstruct(f.source().line(), f.source().text(),
          Message.NEVER_RETURNS);
    }
    return closed;
  }

  /** {@code block} with its non-returning final paths dropped, or null when none returns. */
  private static List<Stmt> closed(List<Stmt> block) {
    if (ReturnNormalization.endsInReturn(block)) {
      return block;
    }
    if (block.isEmpty() || !(block.get(block.size() - 1) instanceof Stmt.If last)) {
      return null;
    }
    List<Stmt> then = closed(last.then());
    List<Stmt> otherwise = closed(last.otherwise());
    List<Stmt> out = new ArrayList<>(block.subList(0, block.size() - 1));
    if (then != null && otherwise != null) {
      out.add(new Stmt.If(last.condition(), then, otherwise, last.source()));
    } else if (then != null || otherwise != null) {
      // The other branch cannot be taken: conditions have no side effects, so it is dropped.
      out.addAll(then != null ? then : otherwise);
    } else {
      return null;
    }
    return out;
  }
}
