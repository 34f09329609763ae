package dev.adjoint.processor.frontend;

import com.sun.source.util.TreePath;
import dev.adjoint.processor.analysis.VariedAt;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds derivatives that a call would drop without a word: an argument that depends on a
 * differentiable parameter, passed to a {@code @NoDerivative} parameter of the callee (or of a
 * hand-written pullback). Each is a compile error on the argument; {@code
 * StopGradient.stopGradient(arg)} says that dropping it is meant.
 *
 * <p>An argument counts when it depends on a differentiable parameter where the call is
 * evaluated ({@link VariedAt}: a local reassigned a constant before the call carries nothing),
 * whether or not the call's result reaches the return value: a zero is reported, never guessed
 * away.
 */
final class DroppedDerivatives {
  private record Site(Expr argument, TreePath path, String callee, String parameter,
      String pullback) {}

  private final List<Site> sites = new ArrayList<>();
  /** Arrays wrapped in stopGradient, until a @NoDerivative parameter receives them. */
  private final Map<Expr, TreePath> stoppedArrays = new IdentityHashMap<>();
  private final Set<Expr> consumed = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * Records that {@code argument} (at {@code path}) goes to parameter {@code parameter} of
   * {@code callee}, which carries no derivative; {@code pullback} names the hand-written pullback
   * that declares it so, or is null for a {@code @Differentiable} callee.
   */
  void passedToNoDerivative(Expr argument, TreePath path, String callee, String parameter,
      String pullback) {
    if (stoppedArrays.containsKey(argument)) {
      consumed.add(argument);
      return;
    }
    sites.add(new Site(argument, path, callee, parameter, pullback));
  }

  /** Records an array wrapped in {@code stopGradient}, lowered to {@code array} itself. */
  void stoppedArray(Expr array, TreePath path) {
    stoppedArrays.put(array, path);
  }

  /**
   * True when {@code e} is an array wrapped in {@code stopGradient}, which the caller then
   * reports as misplaced itself.
   */
  boolean takeStoppedArray(Expr e) {
    return stoppedArrays.containsKey(e) && consumed.add(e);
  }

  /** The errors: every recorded argument that carries a derivative, every misplaced array. */
  List<Problem> check(Function f) {
    List<Problem> out = new ArrayList<>();
    Set<Expr> varied = VariedAt.of(f, sites.stream().map(Site::argument).toList());
    for (Site s : sites) {
      if (!varied.contains(s.argument())) {
        continue;
      }
      String arg = s.path().getLeaf().toString();
      out.add(s.pullback() == null
          ? Problem.at(s.path(), Message.DROPPED_DERIVATIVE, s.parameter(), s.callee(),
              s.parameter(), s.callee(), arg)
          : Problem.at(s.path(), Message.DROPPED_DERIVATIVE_IN_PULLBACK, s.parameter(),
              s.callee(), s.pullback(), s.parameter(), arg));
    }
    stoppedArrays.forEach((array, path) -> {
      if (!consumed.contains(array)) {
        out.add(Problem.at(path, Message.STOPPED_ARRAY));
      }
    });
    return out;
  }
}
