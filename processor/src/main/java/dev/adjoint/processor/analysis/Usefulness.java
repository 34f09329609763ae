package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Flow-sensitive usefulness (Tapenade's "useful" half of activity): the declarations,
 * assignments and element stores whose value can reach the result along some path from where
 * they run. The others, dead for the derivative, get no reverse code and save nothing for it.
 *
 * <p>A backward liveness of the variables the result depends on differentiably: a return makes
 * the variables its value reads live; {@code v = e} is useful when {@code v} is live after it,
 * and then makes what {@code e} reads live instead of {@code v}; {@code break} and
 * {@code continue} take the live set of where they jump to; a loop iterates to a fixed point.
 * Element stores never kill their array (a store updates one element), and arrays that share
 * rows with others (row aliases) are always live, since a write through one is a write to both.
 */
final class Usefulness {
  private final Set<Stmt> useful = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Var> aliased = new HashSet<>();
  /** Every variable live somewhere: the useful variables. */
  private final Set<Var> live = new HashSet<>();

  /** The result: the useful statements and the variables live somewhere in the body. */
  record Result(Set<Stmt> statements, Set<Var> variables) {}

  private record Jumps(Set<Var> onBreak, Set<Var> onContinue) {}

  private Usefulness() {}

  /** The useful statements of {@code f}'s body (nested blocks included) and variables. */
  static Result of(Function f) {
    Usefulness u = new Usefulness();
    u.findAliases(f.body());
    u.block(f.body(), new HashSet<>(), null);
    return new Result(u.useful, u.live);
  }

  private void findAliases(List<Stmt> stmts) {
    for (Stmt s : Stmt.all(stmts, true)) {
      if (s instanceof Stmt.Declare d && d.var().type().dims() > 0
          && d.init() instanceof Expr.Index i) {
        aliased.add(d.var());
        aliased.addAll(Uses.all(i.array()));
      }
    }
  }

  /** The variables live before {@code stmts}, given those live after them. */
  private Set<Var> block(List<Stmt> stmts, Set<Var> liveOut, Jumps jumps) {
    Set<Var> live = liveOut;
    for (int k = stmts.size() - 1; k >= 0; k--) {
      live = statement(stmts.get(k), live, jumps);
      this.live.addAll(live);
    }
    return live;
  }

  private Set<Var> statement(Stmt s, Set<Var> after, Jumps jumps) {
    if (s instanceof Stmt.Return r) {
      return new HashSet<>(Uses.differentiable(r.value()));
    }
    if (s instanceof Stmt.Break) {
      return new HashSet<>(jumps.onBreak());
    }
    if (s instanceof Stmt.Continue) {
      return new HashSet<>(jumps.onContinue());
    }
    if (s instanceof Stmt.If i) {
      Set<Var> in = block(i.then(), after, jumps);
      in.addAll(block(i.otherwise(), after, jumps));
      return in;
    }
    if (s instanceof Stmt.Loop l) {
      return loop(l, after);
    }
    Set<Var> in = new HashSet<>(after);
    if (s instanceof Stmt.Declare d) {
      in.remove(d.var());
      if (d.init() != null && (after.contains(d.var()) || aliased.contains(d.var()))) {
        useful.add(s);
        in.addAll(Uses.differentiable(d.init()));
      }
    } else if (s instanceof Stmt.Assign a) {
      if (after.contains(a.target()) || aliased.contains(a.target())) {
        useful.add(s);
        if (a.op() == AssignOp.SET) {
          in.remove(a.target());
        }
        in.addAll(Uses.differentiable(Recording.asExpression(a)));
      } else if (a.op() == AssignOp.SET) {
        in.remove(a.target());
      }
    } else if (s instanceof Stmt.Store st) {
      Var base = Uses.storeBase(st);
      if (after.contains(base) || aliased.contains(base)) {
        useful.add(s);
        in.addAll(Uses.differentiable(st.value()));
      }
    }
    return in;
  }

  private Set<Var> loop(Stmt.Loop l, Set<Var> after) {
    // head: live where the condition is tested; grows monotonically to a fixed point.
    Set<Var> head = new HashSet<>(after);
    Set<Var> bodyIn;
    while (true) {
      Set<Var> updateIn = block(l.update(), head, null);
      bodyIn = block(l.body(), updateIn, new Jumps(after, updateIn));
      Set<Var> next = new HashSet<>(after);
      next.addAll(bodyIn);
      next.addAll(head);
      if (next.equals(head)) {
        break;
      }
      head = next;
    }
    Set<Var> entry = new HashSet<>(head);
    if (!l.testFirst()) {
      entry.addAll(bodyIn);
    }
    return block(l.init(), entry, null);
  }
}
