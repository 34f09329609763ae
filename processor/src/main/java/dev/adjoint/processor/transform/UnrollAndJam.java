package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.NameAllocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs {@value #FACTOR} iterations at a time of a loop whose iterations each sum a dot product,
 * their sums side by side in one inner loop. A sum {@code z += e} in a loop is a chain of
 * dependent additions: the CPU waits for each before the next, a few cycles each, while it could
 * do several at once. A loop over {@code i} whose body is
 *
 * <pre>{@code
 * double z = init(i);
 * for (k ...) z += e(i, k);
 * epilogue(z, i);
 * }</pre>
 *
 * <p>becomes
 *
 * <pre>{@code
 * int i = start;
 * for (; i + 3 < bound; i += 4) {
 *   double z = init(i); double z2 = init(i + 1); ...
 *   for (k ...) { z += e(i, k); z2 += e(i + 1, k); ... }
 *   epilogue(z, i); epilogue(z2, i + 1); ...
 * }
 * for (; i < bound; i++) { the body as it was }
 * }</pre>
 *
 * <p>Each sum adds the same terms in the same order, and the epilogues run in order, so every
 * value is bit for bit the user's; the forward-mode transform then gives each sum its tangent,
 * and the tangents run side by side too. The rewrite applies only where its meaning is certain:
 * {@code i} counts up by one from a constant multiple of {@value #FACTOR} (so {@code i + 3}
 * cannot overflow) to a bound nothing in the loop changes; the {@code k} loop's header, {@code
 * init} and {@code e} read nothing the loop body writes (the other sums, the epilogue's results)
 * and call nothing but {@code Math}; the body stores into no array (another name could alias
 * what the sums read), does not jump, and is small (the JVP is one method, at most 64 KB of
 * bytecode, and the body is copied {@value #FACTOR} times).
 */
public final class UnrollAndJam {
  /** Iterations run at a time. */
  static final int FACTOR = 4;

  /**
   * The largest loop body (in expression nodes) copied {@value #FACTOR} times: the JVP is one
   * method, which the JVM limits to 64 KB of bytecode.
   */
  static final int MAX_BODY = 200;

  private final NameAllocator names = new NameAllocator();
  private boolean changed;

  private UnrollAndJam(Function f) {
    f.params().forEach(p -> names.reserve(p.var().name()));
    Uses.assigned(f.body()).forEach(v -> names.reserve(v.name()));
  }

  /** {@code f} with its qualifying loops unrolled and jammed; {@code f} itself when none. */
  public static Function apply(Function f) {
    UnrollAndJam pass = new UnrollAndJam(f);
    List<Stmt> body = pass.block(f.body());
    return pass.changed
        ? new Function(f.name(), f.params(), f.returnType(), body, f.source()) : f;
  }

  private List<Stmt> block(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      List<Stmt> jammed = s instanceof Stmt.Loop l ? jam(l) : null;
      if (jammed != null) {
        changed = true;
        out.addAll(jammed);
      } else if (s instanceof Stmt.Loop || s instanceof Stmt.If) {
        out.add(Stmt.withBlocks(s, this::block));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** The jammed form of {@code l}, or null when it does not qualify. */
  private List<Stmt> jam(Stmt.Loop l) {
    UpByOne is = UpByOne.of(l);
    if (is == null || !(is.start() instanceof Expr.Const c) || !c.type().equals(Type.INT)
        || (long) c.asDouble() % FACTOR != 0
        || l.body().size() < 2
        || !(l.body().get(0) instanceof Stmt.Declare zd) || zd.init() == null
        || !zd.var().type().isFloating()
        || !(l.body().get(1) instanceof Stmt.Loop kl) || !kl.testFirst()
        || kl.body().size() != 1 || !(kl.body().get(0) instanceof Stmt.Assign acc)
        || acc.target() != zd.var()
        || acc.op() != AssignOp.ADD && acc.op() != AssignOp.SUB) {
      return null;
    }
    Var i = is.index();
    Var z = zd.var();
    List<Stmt> epilogue = l.body().subList(2, l.body().size());
    if (Uses.jumps(l.body(), true) || stores(l.body()) || size(l.body()) > MAX_BODY) {
      return null;
    }
    Set<Var> written = Uses.assigned(l.body());
    Set<Var> header = new HashSet<>(Uses.reads(kl.init()));
    header.addAll(Uses.all(kl.condition()));
    header.addAll(Uses.reads(kl.update()));
    Set<Var> kWritten = Uses.assigned(kl.init());
    kWritten.addAll(Uses.assigned(kl.update()));
    header.removeAll(kWritten);
    Set<Var> summand = new HashSet<>(Uses.all(acc.value()));
    summand.removeAll(kWritten);
    // (a.length reads a when a is given other arrays; no element store changes a length)
    Set<Var> bound = Uses.all(is.bound());
    if (written.contains(i) || header.contains(i) || readsAny(header, written)
        || readsAny(Uses.all(zd.init()), written) || readsAny(summand, written)
        || readsAny(bound, written) || !callsOnlyMath(zd.init()) || !callsOnlyMath(acc.value())
        || !kl.init().stream().allMatch(UnrollAndJam::plainInit)
        || !callsOnlyMath(kl.condition()) || !callsOnlyMath(is.bound())) {
      return null;
    }
    // the copies of the sum and of the epilogue's own locals, per further iteration
    List<Map<Var, Var>> renames = new ArrayList<>();
    List<Expr> indices = new ArrayList<>();
    Set<Var> locals = new HashSet<>(Uses.declared(epilogue));
    locals.add(z);
    for (int m = 1; m < FACTOR; m++) {
      Map<Var, Var> rename = new HashMap<>();
      for (Var v : locals) {
        String name = names.allocate(v.name());
        rename.put(v, new Var(name, v.sourceName(), v.type(), v.kind()));
      }
      renames.add(rename);
      indices.add(new Expr.Binary(BinaryOp.ADD, new Expr.Read(i), new Expr.Const(m, Type.INT),
          Type.INT));
    }
    List<Stmt> body = new ArrayList<>();
    body.add(zd);
    for (int m = 1; m < FACTOR; m++) {
      body.add(copy(zd, renames.get(m - 1), i, indices.get(m - 1)));
    }
    List<Stmt> sums = new ArrayList<>();
    sums.add(acc);
    for (int m = 1; m < FACTOR; m++) {
      sums.add(copy(acc, renames.get(m - 1), i, indices.get(m - 1)));
    }
    body.add(new Stmt.Loop(kl.init(), kl.condition(), kl.update(), sums, true, kl.source()));
    body.addAll(epilogue);
    for (int m = 1; m < FACTOR; m++) {
      for (Stmt s : epilogue) {
        body.add(copy(s, renames.get(m - 1), i, indices.get(m - 1)));
      }
    }
    Expr last = new Expr.Binary(BinaryOp.ADD, new Expr.Read(i),
        new Expr.Const(FACTOR - 1, Type.INT), Type.INT);
    List<Stmt> out = new ArrayList<>();
    out.add(new Stmt.Comment(FACTOR + " iterations of " + i.sourceName() + " at a time, their "
        + "sums " + z.sourceName() + " side by side"));
    Stmt.Declare start = (Stmt.Declare) l.init().get(0);
    out.add(start);
    out.add(new Stmt.Loop(List.of(),
        new Expr.Binary(BinaryOp.LT, last, is.bound(), Type.BOOLEAN),
        List.of(new Stmt.Assign(i, AssignOp.ADD, new Expr.Const(FACTOR, Type.INT),
            start.source())),
        body, true, l.source()));
    out.add(new Stmt.Loop(List.of(), l.condition(), l.update(), l.body(), true, l.source()));
    return out;
  }

  /** {@code s} for a further iteration: its locals renamed, {@code i} read as {@code at}. */
  private static Stmt copy(Stmt s, Map<Var, Var> rename, Var i, Expr at) {
    if (s instanceof Stmt.Declare d) {
      return new Stmt.Declare(rename.getOrDefault(d.var(), d.var()),
          d.init() == null ? null : expr(d.init(), rename, i, at), d.source());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(rename.getOrDefault(a.target(), a.target()), a.op(),
          expr(a.value(), rename, i, at), a.source());
    }
    if (s instanceof Stmt.If f) {
      return new Stmt.If(expr(f.condition(), rename, i, at), copies(f.then(), rename, i, at),
          copies(f.otherwise(), rename, i, at), f.source());
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(copies(l.init(), rename, i, at), expr(l.condition(), rename, i, at),
          copies(l.update(), rename, i, at), copies(l.body(), rename, i, at), l.testFirst(),
          l.source());
    }
    if (s instanceof Stmt.Eval e) {
      return new Stmt.Eval(expr(e.expr(), rename, i, at));
    }
    if (s instanceof Stmt.Comment || s instanceof Stmt.Blank) {
      return s;
    }
    throw new IllegalStateException("unroll and jam: unexpected statement " + s);
  }

  private static List<Stmt> copies(List<Stmt> stmts, Map<Var, Var> rename, Var i, Expr at) {
    List<Stmt> out = new ArrayList<>();
    stmts.forEach(s -> out.add(copy(s, rename, i, at)));
    return out;
  }

  private static Expr expr(Expr e, Map<Var, Var> rename, Var i, Expr at) {
    if (e instanceof Expr.Read r) {
      if (r.var() == i) {
        return at;
      }
      Var v = rename.get(r.var());
      return v == null ? e : new Expr.Read(v);
    }
    if (e.operands().isEmpty()) {
      return e;
    }
    return Exprs.mapOperands(e, x -> expr(x, rename, i, at));
  }

  /** True when {@code stmts} store into an array (or hold statements this pass does not copy). */
  private static boolean stores(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Store || s instanceof Stmt.Return || s instanceof Stmt.CallPart) {
        return true;
      }
      if (s instanceof Stmt.Declare d && d.var().type().dims() > 0) {
        return true; // an array local: its copies would alias, or allocate once per copy
      }
      if (s instanceof Stmt.If f && (stores(f.then()) || stores(f.otherwise()))) {
        return true;
      }
      if (s instanceof Stmt.Loop l
          && (stores(l.init()) || stores(l.body()) || stores(l.update()))) {
        return true;
      }
      if (s instanceof Stmt.Eval || s instanceof Stmt.Assign a && a.target().type().dims() > 0) {
        return true;
      }
      for (Expr e : s.expressions()) {
        if (!callsOnlyMath(e)) {
          // a call of another @Differentiable method in the epilogue is fine (it runs in order),
          // but one writing through an array argument is not: keep every call out for now
          return true;
        }
      }
    }
    return false;
  }

  /** The expression nodes of {@code stmts}, nested blocks included. */
  private static int size(List<Stmt> stmts) {
    int n = 0;
    for (Stmt s : stmts) {
      for (Expr e : s.expressions()) {
        n += size(e);
      }
      if (s instanceof Stmt.Declare d && d.init() == null) {
        n++;
      }
      if (s instanceof Stmt.If f) {
        n += size(f.then()) + size(f.otherwise());
      } else if (s instanceof Stmt.Loop l) {
        n += size(l.init()) + size(l.body()) + size(l.update());
      }
    }
    return n;
  }

  private static int size(Expr e) {
    int n = 1;
    for (Expr x : e.operands()) {
      n += size(x);
    }
    return n;
  }

  private static boolean plainInit(Stmt s) {
    return s instanceof Stmt.Declare d && d.init() != null && callsOnlyMath(d.init());
  }

  /** True when {@code e} calls nothing but pure library functions. */
  private static boolean callsOnlyMath(Expr e) {
    return Exprs.pure(e);
  }

  private static boolean readsAny(Set<Var> reads, Set<Var> vars) {
    return reads.stream().anyMatch(vars::contains);
  }
}
