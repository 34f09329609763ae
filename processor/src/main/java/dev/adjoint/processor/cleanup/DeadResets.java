package dev.adjoint.processor.cleanup;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops the resets {@code dA[e] = 0} of a local array's adjoint that nothing reads afterwards.
 * The reverse of {@code a[e] = v} zeroes {@code dA[e]} so that the reverse of earlier writes of
 * {@code a[e]} starts from zero; when the reverse sweep never reads that element again (the
 * array is discarded when the method returns), the store is dead.
 *
 * <p>A reset is dead when no statement that can run after it mentions the adjoint: the rest of
 * its block and of each enclosing block, except that within an enclosing counted loop whose
 * iterations touch disjoint elements of the adjoint (every access indexed {@code C * i + r},
 * with the same stride {@code C} and the same loop-invariant part, and offsets {@code r} over
 * inner counted loops that stay within a window narrower than {@code |C|}), later iterations
 * do not count. Only adjoints taken from the scratch arena are considered; an adjoint one of
 * whose rows is named on its own ({@code dRow = dA[i]}) is left alone.
 */
public final class DeadResets {
  private final Var array;
  private final int dims;

  private DeadResets(Var array) {
    this.array = array;
    this.dims = array.type().dims();
  }

  /** {@code body} without the dead resets of the adjoints taken from {@code scratch}. */
  public static List<Stmt> apply(List<Stmt> body, Var scratch) {
    if (scratch == null) {
      return body;
    }
    List<Var> taken = new ArrayList<>();
    collectTaken(body, scratch, taken);
    for (Var a : taken) {
      DeadResets d = new DeadResets(a);
      if (d.rowsNamed(body)) {
        continue;
      }
      body = d.rewrite(body, new ArrayList<>());
    }
    return body;
  }

  private static void collectTaken(List<Stmt> stmts, Var scratch, List<Var> out) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d && d.init() instanceof Expr.RuntimeCall c
          && c.receiver() == scratch) {
        out.add(d.var());
      } else if (s instanceof Stmt.If i) {
        collectTaken(i.then(), scratch, out);
        collectTaken(i.otherwise(), scratch, out);
      } else if (s instanceof Stmt.Loop l) {
        collectTaken(l.body(), scratch, out);
      }
    }
  }

  /** Where a statement sits: the block holding it, its position, and the loop owning the block. */
  private record Level(List<Stmt> block, int at, Stmt.Loop loop) {}

  /** {@code block} with the dead resets removed; {@code outer} locates it, innermost last. */
  private List<Stmt> rewrite(List<Stmt> block, List<Level> outer) {
    return rewrite(block, outer, null);
  }

  private List<Stmt> rewrite(List<Stmt> block, List<Level> outer, Stmt.Loop owner) {
    List<Stmt> out = new ArrayList<>();
    for (int k = 0; k < block.size(); k++) {
      Stmt s = block.get(k);
      List<Level> here = new ArrayList<>(outer);
      here.add(new Level(block, k, owner));
      if (isReset(s) && dead(here)) {
        continue;
      }
      if (s instanceof Stmt.If i) {
        out.add(new Stmt.If(i.condition(), rewrite(i.then(), here, null),
            rewrite(i.otherwise(), here, null), i.source()));
      } else if (s instanceof Stmt.Loop l) {
        List<Stmt> body = rewrite(l.body(), here, l);
        if (onlyComments(body) && !onlyComments(l.body()) && headerOnlyCounts(l)) {
          // Its dead resets were all it did: the loop goes, with the comment naming it.
          if (!out.isEmpty() && out.get(out.size() - 1) instanceof Stmt.Comment) {
            out.remove(out.size() - 1);
          }
          continue;
        }
        out.add(new Stmt.Loop(l.init(), l.condition(), l.update(), body, l.testFirst(),
            l.source()));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean onlyComments(List<Stmt> block) {
    return block.stream().allMatch(s -> s instanceof Stmt.Comment);
  }

  /** Whether {@code l}'s header only counts: it calls nothing (no pop of a recorded count). */
  private static boolean headerOnlyCounts(Stmt.Loop l) {
    List<Stmt> header = new ArrayList<>(l.init());
    header.addAll(l.update());
    for (Stmt s : header) {
      if (!(s instanceof Stmt.Declare || s instanceof Stmt.Assign)
          || Exprs.ownExpressions(s).stream().anyMatch(DeadResets::calls)) {
        return false;
      }
    }
    return !calls(l.condition());
  }

  private static boolean calls(Expr e) {
    return e instanceof Expr.RuntimeCall
        || Exprs.children(e).stream().anyMatch(DeadResets::calls);
  }

  /** Whether nothing that can run after the reset located by {@code levels} reads the array. */
  private boolean dead(List<Level> levels) {
    for (int n = levels.size() - 1; n >= 0; n--) {
      Level level = levels.get(n);
      if (mentions(level.block().subList(level.at() + 1, level.block().size()))) {
        return false;
      }
      Stmt.Loop loop = level.loop();
      if (loop != null && (mentions(loop.update()) || mentions(List.of(new Stmt.Eval(
          loop.condition()))) || !iterationsDisjoint(loop))) {
        return false;
      }
    }
    return true;
  }

  private boolean isReset(Stmt s) {
    return s instanceof Stmt.Store st && st.op() == AssignOp.SET
        && st.value() instanceof Expr.Const c && c.asDouble() == 0
        && indices(st.target()) != null;
  }

  /** The indices of a full-depth element access of the array, outermost first, else null. */
  private List<Expr> indices(Expr e) {
    List<Expr> out = new ArrayList<>();
    while (e instanceof Expr.Index i) {
      out.add(0, i.index());
      e = i.array();
    }
    return e instanceof Expr.Read r && r.var().equals(array) && out.size() == dims ? out : null;
  }

  /**
   * Every access of the array in {@code stmts}, resets included: its indices, or null for a use
   * of the whole array (an argument, say).
   */
  private List<List<Expr>> accesses(List<Stmt> stmts) {
    List<List<Expr>> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Store st) {
        List<Expr> at = indices(st.target());
        if (at != null) {
          out.add(at);
          at.forEach(x -> accesses(x, out));
        } else {
          accesses(st.target(), out);
        }
        accesses(st.value(), out);
      } else if (s instanceof Stmt.Declare d && d.init() != null) {
        accesses(d.init(), out);
      } else if (s instanceof Stmt.Assign a) {
        accesses(a.value(), out);
      } else if (s instanceof Stmt.Eval e) {
        accesses(e.expr(), out);
      } else if (s instanceof Stmt.Return r) {
        accesses(r.value(), out);
      } else if (s instanceof Stmt.If i) {
        accesses(i.condition(), out);
        out.addAll(accesses(i.then()));
        out.addAll(accesses(i.otherwise()));
      } else if (s instanceof Stmt.Loop l) {
        out.addAll(accesses(l.init()));
        accesses(l.condition(), out);
        out.addAll(accesses(l.body()));
        out.addAll(accesses(l.update()));
      } else if (s instanceof Stmt.CallPart c) {
        c.args().forEach(x -> accesses(x, out));
      }
    }
    return out;
  }

  private void accesses(Expr e, List<List<Expr>> out) {
    List<Expr> at = indices(e);
    if (at != null) {
      out.add(at);
      at.forEach(x -> accesses(x, out));
    } else if (e instanceof Expr.Read r) {
      if (r.var().equals(array)) {
        out.add(null);
      }
    } else if (!(e instanceof Expr.Length)) {
      // a.length reads no element; any other expression, through its operands
      Exprs.children(e).forEach(x -> accesses(x, out));
    }
  }

  /** Whether {@code stmts} mention the array other than by resetting an element. */
  private boolean mentions(List<Stmt> stmts) {
    List<Stmt> withoutResets = new ArrayList<>();
    for (Stmt s : stmts) {
      if (isReset(s)) {
        // the indices of a reset read nothing of the array
        indices(((Stmt.Store) s).target()).forEach(x -> withoutResets.add(new Stmt.Eval(x)));
      } else {
        withoutResets.add(s);
      }
    }
    return !accesses(withoutResets).isEmpty();
  }

  /** Whether a row of the array is used on its own anywhere (an alias {@code dRow = dA[i]}). */
  private boolean rowsNamed(List<Stmt> body) {
    boolean[] found = {false};
    new Object() {
      void scan(Expr e) {
        List<Expr> at = indices(e);
        if (at != null) {
          // an element, not a row; its indices may still hold one
          at.forEach(this::scan);
          return;
        }
        if (e instanceof Expr.Index i && root(i)) {
          found[0] = true;
        }
        Exprs.children(e).forEach(this::scan);
      }

      boolean root(Expr e) {
        while (e instanceof Expr.Index i) {
          e = i.array();
          if (indices(e) == null && e instanceof Expr.Read r && r.var().equals(array)) {
            return true;
          }
        }
        return false;
      }

      void scan(List<Stmt> stmts) {
        for (Stmt s : Stmt.all(stmts, true)) {
          Exprs.ownExpressions(s).forEach(this::scan);
        }
      }
    }.scan(body);
    return found[0];
  }

  /**
   * Whether different iterations of {@code loop} access different elements of the array: the
   * loop counts an index {@code i} by one, and along the first dimension whose indices are not
   * all one loop-invariant expression, every access is {@code C * i + P + r} with the same
   * {@code C != 0} and loop-invariant part {@code P}, and offsets {@code r} (over inner counted
   * loops with constant bounds) all within a window narrower than {@code |C|}.
   */
  private boolean iterationsDisjoint(Stmt.Loop loop) {
    Var index = AffineIndices.countedIndex(loop);
    if (index == null) {
      return false;
    }
    Set<Var> changing = new HashSet<>(Uses.assigned(loop.body()));
    changing.add(index);
    List<List<Expr>> all = accesses(loop.body());
    if (all.contains(null)) {
      return false;
    }
    Map<Var, long[]> ranges = new HashMap<>();
    AffineIndices.innerRanges(loop.body(), ranges);
    for (int d = 0; d < dims; d++) {
      final int dim = d;
      List<Expr> at = all.stream().map(a -> a.get(dim)).toList();
      boolean same = at.stream().distinct().count() <= 1
          && at.stream().allMatch(x -> !AffineIndices.readsAny(x, changing));
      if (!same) {
        return AffineIndices.disjoint(at, index, changing, ranges);
      }
    }
    return false; // every iteration accesses the same elements
  }
}
