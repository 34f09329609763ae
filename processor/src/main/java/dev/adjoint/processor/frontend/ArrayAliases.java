package dev.adjoint.processor.frontend;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that no array has an element assigned once it has a second name. A whole-array alias
 * ({@code float[] h = x}, {@code h = next}) gives the array of its right-hand side a second
 * name; from then on that array must keep its elements. The generated code relies on it: it
 * treats the alias as a value, whose adjoint flows into the array it came from, and it keeps
 * the array itself (its reference on the tape, not a copy) for the reverse sweep, which may read
 * it under either name long after one of them has moved on to another array.
 *
 * <p>The analysis follows, along every path, the variables that may name an array that has
 * been shared: an alias adds both of its variables, a new array ({@code new}, a call's result,
 * a declaration run again by a loop) takes its variable out. An element store through a
 * variable in that set is reported, and so is a void helper's call writing its out-argument
 * through one. So {@code double[] next = new double[n]; fill next;
 * h = next;} and {@code float[] g = h; h = new float[n]; fill h from g} pass, and
 * {@code float[] h = x; h[0] = 1} does not.
 */
final class ArrayAliases {
  /**
   * The variables whose elements are assigned while they may name a shared array.
   *
   * @param inPlace by an element store, or by a void helper's call inside a loop or a branch
   *     (inlined, it writes the array in place)
   * @param byCalls by a void helper's call at the top level, which the generated code makes
   *     compute the new values into a new array (see {@link OutParameters}): Java's call writes
   *     the array in place, which its other names see, the generated one does not
   */
  record Written(Set<Var> inPlace, Set<Var> byCalls) {}

  /** The variables that may name an array that has been shared. */
  private Set<Var> shared = new HashSet<>();
  private final Written written = new Written(new HashSet<>(), new HashSet<>());

  private ArrayAliases() {}

  /** The arrays of {@code body} that have an element assigned after they were shared. */
  static Written writtenWhileShared(List<Stmt> body) {
    ArrayAliases a = new ArrayAliases();
    a.block(body);
    return a.written;
  }

  private void block(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      statement(s);
    }
  }

  private void statement(Stmt s) {
    if (s instanceof Stmt.Declare d && d.var().type().dims() > 0) {
      // double[] h2 = dense(x, w, h); is the top-level call dense(x, w, h); (StatementLowering)
      writesOut(d.init(), written.byCalls());
      // A declared row (double[] row = w[k]) is not a variable of its own: it stands for w[k].
      give(d.var(), d.init() instanceof Expr.Index ? null : d.init());
    } else if (s instanceof Stmt.Assign a && a.target().type().dims() > 0) {
      give(a.target(), a.value());
    } else if (s instanceof Stmt.Store st) {
      Var base = Uses.storeBase(st);
      if (shared.contains(base)) {
        written.inPlace().add(base);
      }
    } else if (s instanceof Stmt.Eval e) {
      // A void helper called in a loop or a branch writes its out-argument in place (inlined).
      writesOut(e.expr(), written.inPlace());
    } else if (s instanceof Stmt.If i) {
      Set<Var> before = new HashSet<>(shared);
      block(i.then());
      Set<Var> afterThen = shared;
      shared = before;
      block(i.otherwise());
      shared.addAll(afterThen);
    } else if (s instanceof Stmt.Loop l) {
      block(l.init());
      // Until nothing changes: sharing made late in one iteration reaches the next one's start.
      for (int pass = 0; pass < 8; pass++) {
        Set<Var> start = new HashSet<>(shared);
        block(l.body());
        block(l.update());
        shared.addAll(start);
        if (shared.equals(start)) {
          break;
        }
      }
    }
  }

  /** Adds to {@code into} the shared array a void helper's call {@code e} writes, if any. */
  private void writesOut(Expr e, Set<Var> into) {
    if (e instanceof Expr.DiffCall c && c.callee().outParameter() >= 0
        && c.args().get(c.callee().outParameter()) instanceof Expr.Read r
        && shared.contains(r.var())) {
      into.add(r.var());
    }
  }

  /** {@code v} is given {@code value}: a new array, or another variable's array (or row). */
  private void give(Var v, Expr value) {
    Expr e = value;
    while (e instanceof Expr.Index i) {
      e = i.array();
    }
    if (e instanceof Expr.Read r && value != null) {
      shared.add(v);
      shared.add(r.var());
    } else {
      shared.remove(v);
    }
  }
}
