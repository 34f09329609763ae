package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Element stores whose old value is known without saving it: the first write of an element of
 * an array the function allocated itself ({@code double[] path = new double[n];}), whose old
 * value is the allocation's zero. The reverse sweep puts the zero back instead of popping it
 * from the tape.
 *
 * <p>A store {@code a[e] = v} of a one-dimensional {@code a} declared {@code new T[n]} in the
 * same block writes a fresh element when nothing wrote into {@code a} (or handed it on whole, to
 * an alias or a call that could write it) since the declaration, and either
 *
 * <ul>
 *   <li>it is a statement of that block itself, or
 *   <li>it is the first statement storing into {@code a} in the body of a counted loop of that
 *       block, every store into {@code a} in that loop is a statement of its body at the same
 *       index {@code i + c} of the loop's index {@code i} (so each iteration writes its own
 *       element, once it has written it the other stores rewrite it), with {@code c} a value
 *       the loop does not change.
 * </ul>
 */
final class FreshElements {
  private final Loops loops;
  private final Set<Stmt> fresh = Collections.newSetFromMap(new IdentityHashMap<>());

  private FreshElements(Loops loops) {
    this.loops = loops;
  }

  static Set<Stmt> of(Function f, Loops loops) {
    FreshElements e = new FreshElements(loops);
    e.block(f.body());
    for (Stmt s : Stmt.all(f.body(), true)) {
      for (List<Stmt> b : Stmt.blocks(s, true)) {
        e.block(b);
      }
    }
    return e.fresh;
  }

  /** The fresh stores of the arrays that {@code stmts} declare, after their declarations. */
  private void block(List<Stmt> stmts) {
    for (int k = 0; k < stmts.size(); k++) {
      if (stmts.get(k) instanceof Stmt.Declare d && d.var().type().dims() == 1
          && d.init() instanceof Expr.NewArray n && n.elements() == null) {
        follow(d.var(), stmts.subList(k + 1, stmts.size()));
      }
    }
  }

  /**
   * Follows the statements after the declaration of {@code a} until something may write an
   * element already written: stores at constant indices ({@code p[0] = s;}) are followed by
   * more, and by a counted loop that writes only beyond them.
   */
  private void follow(Var a, List<Stmt> after) {
    Set<Integer> written = new java.util.HashSet<>();
    for (Stmt s : after) {
      if (s instanceof Stmt.Store st && st.op() == AssignOp.SET && Uses.storeBase(st) == a
          && !handsOn(List.of(st.value()), a) && !handsOn(List.of(st.target().index()), a)) {
        Integer at = constant(st.target().index());
        if (at != null ? written.add(at) : written.isEmpty()) {
          fresh.add(st);
        }
        if (at == null) {
          return;
        }
        continue;
      }
      if (s instanceof Stmt.Loop l && loops.counted(l) != null && stores(l, a)) {
        Stmt first = firstOwnStore(l, a, written);
        if (first != null) {
          fresh.add(first);
        }
        return;
      }
      if (stores(s, a) || handsOn(s, a)) {
        return;
      }
    }
  }

  private static Integer constant(Expr e) {
    return e instanceof Expr.Const c && c.type().equals(dev.adjoint.processor.ir.Type.INT)
        ? (int) c.asDouble() : null;
  }

  /**
   * The first store into {@code a} of the counted loop {@code l} when every store into
   * {@code a} in it is a statement of its body at one index {@code i + c}; else null.
   */
  private Stmt firstOwnStore(Stmt.Loop l, Var a, Set<Integer> written) {
    if (handsOn(l, a) || stores(l.init(), a) || stores(l.update(), a)) {
      return null;
    }
    Loops.Counted c = loops.counted(l);
    Set<Var> changed = Uses.assigned(l.body());
    changed.addAll(Uses.assigned(l.update()));
    Stmt.Store first = null;
    int own = 0;
    for (Stmt s : l.body()) {
      if (s instanceof Stmt.Store st && Uses.storeBase(st) == a) {
        if (first == null) {
          if (st.op() != AssignOp.SET || !ownIndex(st.target().index(), c.index(), changed)
              || !beyond(st.target().index(), c, written)) {
            return null;
          }
          first = st;
        } else if (!st.target().index().equals(first.target().index())) {
          return null;
        }
        own++;
      }
    }
    long all = Stmt.all(l.body(), true).stream()
        .filter(s -> s instanceof Stmt.Store st && Uses.storeBase(st) == a).count();
    return all == own ? first : null;
  }

  /**
   * True when the loop's own index {@code e} never reaches the constant indices written before
   * it: it counts up from a constant start beyond them (or none were written).
   */
  private static boolean beyond(Expr e, Loops.Counted c, Set<Integer> written) {
    if (written.isEmpty()) {
      return true;
    }
    Integer start = constant(c.start());
    if (c.step() < 0 || start == null) {
      return false;
    }
    int offset;
    if (e instanceof Expr.Read) {
      offset = 0;
    } else if (e instanceof Expr.Binary b && constant(b.left()) != null) {
      offset = constant(b.left());
    } else if (e instanceof Expr.Binary b && constant(b.right()) != null) {
      offset = b.op() == BinaryOp.ADD ? constant(b.right()) : -constant(b.right());
    } else {
      return false;
    }
    long first = (long) start + offset;
    return written.stream().allMatch(w -> w < first);
  }

  /** True for {@code i}, {@code i + c}, {@code c + i} or {@code i - c}, {@code c} not changed. */
  private static boolean ownIndex(Expr e, Var i, Set<Var> changed) {
    if (e instanceof Expr.Read r) {
      return r.var() == i;
    }
    if (e instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)) {
      Expr other = b.left() instanceof Expr.Read r && r.var() == i ? b.right()
          : b.op() == BinaryOp.ADD && b.right() instanceof Expr.Read r && r.var() == i
              ? b.left() : null;
      return other != null && Exprs.pure(other)
          && Uses.all(other).stream().noneMatch(v -> v == i || changed.contains(v));
    }
    return false;
  }

  private static boolean stores(Stmt s, Var a) {
    return stores(List.of(s), a);
  }

  private static boolean stores(List<Stmt> stmts, Var a) {
    return Stmt.any(stmts, true, s -> s instanceof Stmt.Store st && Uses.storeBase(st) == a
        || s instanceof Stmt.Assign as && as.target() == a);
  }

  /** True when {@code s} (nested blocks included) uses {@code a} other than by its elements. */
  private static boolean handsOn(Stmt s, Var a) {
    return Stmt.any(List.of(s), true, t -> handsOn(t.expressions(), a));
  }

  private static boolean handsOn(List<Expr> es, Var a) {
    for (Expr e : es) {
      if (whole(e, a)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code e} reads {@code a} whole: not as {@code a[...]} or {@code a.length}. */
  private static boolean whole(Expr e, Var a) {
    if (e instanceof Expr.Read r) {
      return r.var() == a;
    }
    if (e instanceof Expr.Index i && i.array() instanceof Expr.Read r && r.var() == a) {
      return whole(i.index(), a);
    }
    if (e instanceof Expr.Length l && l.array() instanceof Expr.Read r && r.var() == a) {
      return false;
    }
    for (Expr c : Exprs.children(e)) {
      if (whole(c, a)) {
        return true;
      }
    }
    return false;
  }
}
