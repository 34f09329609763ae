package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Array elements that a fused loop reads at the same index in every iteration ({@code x[i]} in
 * a loop over {@code j}) read once into a local before the loop, as a hand-written gradient
 * keeps {@code xi}: HotSpot would otherwise reload the element after every store into an
 * adjoint array, which it cannot prove distinct.
 *
 * <p>An element is read once when the loop stores only into adjoint arrays (which the
 * generated code never lets alias the function's arrays), assigns neither the array nor
 * anything its index reads, calls nothing but pure library functions, and reads the element
 * unconditionally in each iteration: the caller runs the local's declaration only when the
 * loop runs at all, so it reads nothing the loop would not.
 *
 * <p>Its conditions and walkers also serve {@link IterationReads}, which reads the elements
 * that change from one iteration to the next once per iteration.
 */
final class InvariantReads {
  /**
   * A loop reading its invariant elements from locals.
   *
   * @param locals the locals' declarations, to run before the loop when it runs at all
   * @param loop the loop
   */
  record Cached(List<Stmt> locals, Stmt.Loop loop) {}

  private InvariantReads() {}

  /** Reads the invariant elements of {@code loop}, which has no jumps, into locals. */
  static Cached cache(Stmt.Loop loop, AdjointContext ctx) {
    Cached none = new Cached(List.of(), loop);
    Set<Var> changed = Uses.assigned(List.of(loop));
    if (!readOnly(loop, ctx)) {
      return none;
    }
    Map<Expr.Index, Var> locals = new LinkedHashMap<>();
    for (Stmt s : loop.body()) {
      for (Expr e : unconditional(s)) {
        elements(e, i -> !changed.contains(((Expr.Read) i.array()).var())
            && Uses.all(i.index()).stream().noneMatch(changed::contains),
            i -> locals.computeIfAbsent(i,
                k -> ctx.newVar(ElementAccumulators.localName(k), k.type())));
      }
    }
    if (locals.isEmpty()) {
      return none;
    }
    List<Stmt> declarations = new ArrayList<>();
    for (Map.Entry<Expr.Index, Var> e : locals.entrySet()) {
      declarations.add(new Stmt.Declare(e.getValue(), e.getKey(), Source.NONE));
    }
    List<Stmt> body = replace(loop.body(), locals);
    return new Cached(declarations, new Stmt.Loop(loop.init(), loop.condition(),
        loop.update(), body, loop.testFirst(), loop.source()));
  }

  /**
   * True when {@code loop} may read an element into a local and use it after the loop's later
   * statements: it stores only into adjoint arrays (which never alias the function's arrays)
   * and calls nothing but pure library functions.
   */
  static boolean readOnly(Stmt.Loop loop, AdjointContext ctx) {
    return onlyAdjointStores(List.of(loop), ctx.adjointArrays()) && pure(List.of(loop));
  }

  /** The expressions a top-level statement of a loop body evaluates whenever it runs. */
  static List<Expr> unconditional(Stmt s) {
    if (s instanceof Stmt.Declare d && d.init() != null) {
      return List.of(d.init());
    }
    if (s instanceof Stmt.Assign a) {
      return List.of(a.value());
    }
    if (s instanceof Stmt.Store st) {
      return List.of(st.value(), st.target().index());
    }
    if (s instanceof Stmt.If i) {
      return List.of(i.condition());
    }
    return List.of();
  }

  /**
   * Passes to {@code found}, in order, the elements {@code e} reads whenever it is evaluated
   * that can be read into a local: an array variable at a {@linkplain #simpleIndex simple
   * index} that {@code wanted} accepts. Inside an element it does not take, it looks at the
   * array and the index.
   */
  static void elements(Expr e, Predicate<Expr.Index> wanted, Consumer<Expr.Index> found) {
    visitElements(e, i -> {
      boolean take = i.array() instanceof Expr.Read && simpleIndex(i.index()) && wanted.test(i);
      if (take) {
        found.accept(i);
      }
      return take;
    });
  }

  /**
   * Shows {@code take} each element {@code e} reads whenever it is evaluated, outermost first;
   * inside an element that it does not take (returns false for), it looks at the array and the
   * index.
   */
  static void visitElements(Expr e, Predicate<Expr.Index> take) {
    if (e instanceof Expr.Index i) {
      if (!take.test(i)) {
        visitElements(i.array(), take);
        visitElements(i.index(), take);
      }
    } else if (e instanceof Expr.Binary b) {
      visitElements(b.left(), take);
      if (b.op() != BinaryOp.AND && b.op() != BinaryOp.OR) {
        visitElements(b.right(), take); // the right of && and || may not run
      }
    } else if (e instanceof Expr.Unary u) {
      visitElements(u.operand(), take);
    } else if (e instanceof Expr.Cast c) {
      visitElements(c.operand(), take);
    } else if (e instanceof Expr.Conditional c) {
      visitElements(c.condition(), take);
    } else if (e instanceof Expr.LibraryCall c) {
      c.args().forEach(a -> visitElements(a, take));
    }
  }

  /** An index without effects that costs next to nothing: variables and constants, + and -. */
  private static boolean simpleIndex(Expr e) {
    if (e instanceof Expr.Read || e instanceof Expr.Const) {
      return true;
    }
    return e instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)
        && simpleIndex(b.left()) && simpleIndex(b.right());
  }

  /** {@code stmts} reading each element in {@code locals} from its local instead. */
  static List<Stmt> replace(List<Stmt> stmts, Map<Expr.Index, Var> locals) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      out.add(replace(s, locals));
    }
    return out;
  }

  static Stmt replace(Stmt s, Map<Expr.Index, Var> locals) {
    if (s instanceof Stmt.Declare d && d.init() != null) {
      return new Stmt.Declare(d.var(), replace(d.init(), locals), d.source());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.target(), a.op(), replace(a.value(), locals), a.source());
    }
    if (s instanceof Stmt.Store st) {
      Expr.Index t = st.target();
      return new Stmt.Store(new Expr.Index(replace(t.array(), locals),
          replace(t.index(), locals), t.type()), st.op(), replace(st.value(), locals),
          st.source());
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(replace(i.condition(), locals), replace(i.then(), locals),
          replace(i.otherwise(), locals), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(replace(l.init(), locals), replace(l.condition(), locals),
          replace(l.update(), locals), replace(l.body(), locals), l.testFirst(), l.source());
    }
    return s;
  }

  private static Expr replace(Expr e, Map<Expr.Index, Var> locals) {
    if (e instanceof Expr.Index i) {
      Var local = locals.get(i);
      return local != null ? new Expr.Read(local)
          : new Expr.Index(replace(i.array(), locals), replace(i.index(), locals), i.type());
    }
    if (e instanceof Expr.Binary b) {
      return new Expr.Binary(b.op(), replace(b.left(), locals), replace(b.right(), locals),
          b.type());
    }
    if (e instanceof Expr.Unary u) {
      return new Expr.Unary(u.op(), replace(u.operand(), locals), u.type());
    }
    if (e instanceof Expr.Cast c) {
      return new Expr.Cast(c.type(), replace(c.operand(), locals), c.explicit());
    }
    if (e instanceof Expr.Conditional c) {
      return new Expr.Conditional(replace(c.condition(), locals), replace(c.ifTrue(), locals),
          replace(c.ifFalse(), locals), c.type());
    }
    if (e instanceof Expr.LibraryCall c) {
      return new Expr.LibraryCall(c.owner(), c.name(),
          c.args().stream().map(a -> replace(a, locals)).toList(), c.type());
    }
    return e;
  }

  /** True when every element store in {@code stmts} writes into an adjoint array. */
  private static boolean onlyAdjointStores(List<Stmt> stmts, Set<Var> adjointArrays) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Store st && !adjointArrays.contains(Uses.storeBase(st))
          || s instanceof Stmt.If i && !(onlyAdjointStores(i.then(), adjointArrays)
              && onlyAdjointStores(i.otherwise(), adjointArrays))
          || s instanceof Stmt.Loop l && !(onlyAdjointStores(l.init(), adjointArrays)
              && onlyAdjointStores(l.body(), adjointArrays)
              && onlyAdjointStores(l.update(), adjointArrays))) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code stmts} call nothing but pure library functions. */
  private static boolean pure(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      boolean ok;
      if (s instanceof Stmt.Declare d) {
        ok = d.init() == null || Exprs.pure(d.init());
      } else if (s instanceof Stmt.Assign a) {
        ok = Exprs.pure(a.value());
      } else if (s instanceof Stmt.Store st) {
        ok = Exprs.pure(st.target()) && Exprs.pure(st.value());
      } else if (s instanceof Stmt.If i) {
        ok = Exprs.pure(i.condition()) && pure(i.then()) && pure(i.otherwise());
      } else if (s instanceof Stmt.Loop l) {
        ok = Exprs.pure(l.condition()) && pure(l.init()) && pure(l.body())
            && pure(l.update());
      } else {
        ok = s instanceof Stmt.Comment || s instanceof Stmt.Blank;
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }}
