package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.NameAllocator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Interchanges dot-product loops that read an array across its rows, so that both sweeps of the
 * gradient walk memory contiguously. A loop over {@code j} whose body is
 *
 * <pre>{@code
 * float z = init(j);
 * for (k ...) z += e(j, k);
 * epilogue(z, j);
 * }</pre>
 *
 * <p>where {@code e} reads {@code w[k * C + j]} (or {@code w[k][j]}) becomes, with the partial
 * sums {@code zs} in a buffer of the scratch arena:
 *
 * <pre>{@code
 * for (j ...) zs[j] = init(j);
 * for (k ...) for (j ...) zs[j] += e(j, k);
 * for (j ...) { float z = zs[j]; epilogue(z, j); }
 * }</pre>
 *
 * <p>Each {@code zs[j]} adds the same terms in the same order as {@code z} did, so the value is
 * bit for bit the user's. The rewrite applies only where its meaning is certain: {@code j}
 * counts up by one between bounds nothing in the function's enclosing statement changes; the
 * {@code k} loop's header reads neither {@code j} nor anything the {@code j} loop writes, and
 * runs in the direction of its step; {@code init} and {@code e} read nothing the {@code j} loop
 * writes (so not {@code z}, and nothing the epilogue writes); nothing jumps.
 */
public final class LoopInterchange {
  /**
   * The outcome of the pass.
   *
   * @param function the function, rewritten where loops were interchanged
   * @param scratch the frame of the scratch arena the partial sums come from; null when no
   *     loops were interchanged (then {@code function} is the one given)
   */
  public record Result(Function function, Var scratch) {}

  private final NameAllocator names = new NameAllocator();
  private Var scratch;

  private LoopInterchange(Function f) {
    f.params().forEach(p -> names.reserve(p.var().name()));
    Uses.assigned(f.body()).forEach(v -> names.reserve(v.name()));
  }

  /** {@code f} with its qualifying loop nests interchanged. */
  public static Result apply(Function f) {
    LoopInterchange pass = new LoopInterchange(f);
    List<Stmt> body = new ArrayList<>();
    for (Stmt s : f.body()) {
      // The partial sums are taken once per call, before the top-level statement that holds
      // the nest: a take inside a loop would take a new buffer every iteration.
      List<Stmt> sums = new ArrayList<>();
      List<Stmt> rewritten = pass.block(List.of(s), s, sums);
      body.addAll(sums);
      body.addAll(rewritten);
    }
    if (pass.scratch == null) {
      return new Result(f, null);
    }
    return new Result(new Function(f.name(), f.params(), f.returnType(), body, f.source()),
        pass.scratch);
  }

  /** {@code stmts} rewritten; {@code top} is the top-level statement that holds them. */
  private List<Stmt> block(List<Stmt> stmts, Stmt top, List<Stmt> sums) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      List<Stmt> nest = s instanceof Stmt.Loop l ? interchange(l, top, sums) : null;
      if (nest != null) {
        out.addAll(nest);
      } else if (s instanceof Stmt.Loop l) {
        List<Stmt> body = block(l.body(), top, sums);
        out.add(body.equals(l.body()) ? l
            : new Stmt.Loop(l.init(), l.condition(), l.update(), body, l.testFirst(),
                l.source()));
      } else if (s instanceof Stmt.If i) {
        List<Stmt> then = block(i.then(), top, sums);
        List<Stmt> otherwise = block(i.otherwise(), top, sums);
        out.add(then.equals(i.then()) && otherwise.equals(i.otherwise()) ? i
            : new Stmt.If(i.condition(), then, otherwise, i.source()));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** The interchanged form of {@code l}, or null when it does not qualify. */
  private List<Stmt> interchange(Stmt.Loop l, Stmt top, List<Stmt> sums) {
    UpByOne js = UpByOne.of(l);
    if (js == null || l.body().size() < 2
        || !(l.body().get(0) instanceof Stmt.Declare zd) || zd.init() == null
        || !zd.var().type().isFloating()
        || !(l.body().get(1) instanceof Stmt.Loop kl) || !kl.testFirst()
        || kl.body().size() != 1 || !(kl.body().get(0) instanceof Stmt.Assign acc)
        || acc.target() != zd.var()
        || acc.op() != AssignOp.ADD && acc.op() != AssignOp.SUB
        || Stmt.prints(l.body())) { // the epilogues' prints would run after all the sums
      return null;
    }
    Var j = js.index();
    Var z = zd.var();
    Var k = stepsTowardsBound(kl);
    List<Stmt> epilogue = l.body().subList(2, l.body().size());
    if (k == null || Uses.jumps(epilogue, true)) {
      return null;
    }
    // What the j loop writes: z, k and whatever the epilogue writes. Only z's own update and
    // the epilogue may depend on it, and the epilogue only through z.
    Set<Var> written = Uses.assigned(l.body());
    Set<Var> header = new HashSet<>(Uses.reads(kl.init()));
    header.addAll(Uses.all(kl.condition()));
    header.addAll(Uses.reads(kl.update()));
    header.remove(k);
    Set<Var> summand = new HashSet<>(Uses.all(acc.value()));
    summand.remove(k);
    Set<Var> bounds = footprint(js.start());
    bounds.addAll(footprint(js.bound()));
    Set<Var> changedByTop = Uses.assigned(List.of(top));
    if (written.contains(j) || header.contains(j) || readsAny(header, written)
        || readsAny(Uses.all(zd.init()), written) || readsAny(summand, written)
        || readsAny(bounds, written) || readsAny(bounds, changedByTop)) {
      return null;
    }
    Var strided = Strides.stridedInKContiguousInJ(acc.value(), j, k);
    Expr count = js.count();
    if (strided == null || count == null) {
      return null;
    }
    Var jInit = fresh(j);
    Var jSum = fresh(j);
    Expr init = rename(zd.init(), j, jInit);
    Expr term = rename(acc.value(), j, jSum);

    String sumsName = names.allocate(z.sourceName() + "s");
    Var zs = new Var(sumsName, sumsName, z.type().arrayOf(), Var.Kind.LOCAL);
    if (scratch == null) {
      scratch = new Var(names.allocate("scratch"), "scratch", Type.SCRATCH, Var.Kind.GENERATED);
    }
    sums.add(new Stmt.Declare(zs, new Expr.RuntimeCall(scratch, null,
        z.type().equals(Type.FLOAT) ? "floats" : "doubles", List.of(count), zs.type()),
        Source.NONE));
    List<Stmt> out = new ArrayList<>();
    out.add(new Stmt.Comment("Loops interchanged: " + strided.sourceName()
        + " is read along its rows, each " + z.sourceName() + " summed in " + zs.name()));
    out.add(js.loop(jInit,
        new Stmt.Store(js.slot(zs, jInit), AssignOp.SET, init, zd.source()), l.source()));
    List<Stmt> perK = new ArrayList<>();
    if (count instanceof Expr.Const) {
      // The j loop runs: what the summand reads the same for every j is read once per k (the
      // JIT cannot hoist an element of an array that the loop's stores might alias).
      term = hoisted(term, jSum, k, perK);
    }
    perK.add(js.loop(jSum,
        new Stmt.Store(js.slot(zs, jSum), acc.op(), term, acc.source()), l.source()));
    out.add(new Stmt.Loop(kl.init(), kl.condition(), kl.update(), perK, true, kl.source()));
    List<Stmt> body = new ArrayList<>();
    body.add(new Stmt.Declare(z, js.slot(zs, j), Source.NONE));
    body.addAll(epilogue);
    out.add(new Stmt.Loop(l.init(), l.condition(), l.update(), body, true, l.source()));
    return out;
  }

  /**
   * {@code e} with each largest floating part that does not read {@code j} (other than a
   * constant or a variable) bound to a local declared in {@code decls}: {@code xk} for
   * {@code x[n * IN + k]}.
   */
  private Expr hoisted(Expr e, Var j, Var k, List<Stmt> decls) {
    if (e.type().isFloating() && !Exprs.isTrivial(e) && !Uses.all(e).contains(j)) {
      Expr base = e;
      while (base instanceof Expr.Index i) {
        base = i.array();
      }
      String name = base instanceof Expr.Read r && base != e
          ? r.var().sourceName() + k.sourceName() : "factor";
      Var v = new Var(names.allocate(name), name, e.type(), Var.Kind.LOCAL);
      decls.add(new Stmt.Declare(v, e, Source.NONE));
      return new Expr.Read(v);
    }
    return Exprs.mapOperands(e, x -> hoisted(x, j, k, decls));
  }

  private Var fresh(Var v) {
    return new Var(names.allocate(v.sourceName()), v.sourceName(), v.type(), v.kind());
  }

  /**
   * The index of {@code l} when its header declares it, steps it by a constant and compares it
   * with a bound in the direction of the step (so the loop ends), else null.
   */
  private static Var stepsTowardsBound(Stmt.Loop l) {
    if (l.init().size() != 1 || !(l.init().get(0) instanceof Stmt.Declare d)
        || d.init() == null || !d.var().type().equals(Type.INT)
        || l.update().size() != 1 || !(l.update().get(0) instanceof Stmt.Assign u)
        || u.target() != d.var() || !(u.value() instanceof Expr.Const c)
        || !c.type().isIntegral() || u.op() != AssignOp.ADD && u.op() != AssignOp.SUB
        || !(l.condition() instanceof Expr.Binary cond)) {
      return null;
    }
    Var k = d.var();
    long step = (long) c.asDouble() * (u.op() == AssignOp.ADD ? 1 : -1);
    boolean left = cond.left() instanceof Expr.Read r && r.var() == k
        && !Uses.all(cond.right()).contains(k);
    boolean right = cond.right() instanceof Expr.Read r && r.var() == k
        && !Uses.all(cond.left()).contains(k);
    BinaryOp op = left ? cond.op() : right ? cond.op().mirrored() : null;
    boolean up = op == BinaryOp.LT || op == BinaryOp.LE;
    boolean down = op == BinaryOp.GT || op == BinaryOp.GE;
    return up && step > 0 || down && step < 0 ? k : null;
  }

  /** The variables {@code e} reads, counting the array of {@code a.length} as read. */
  private static Set<Var> footprint(Expr e) {
    Set<Var> out = new HashSet<>(Uses.all(e));
    if (e instanceof Expr.Length l) {
      out.addAll(Uses.all(l.array()));
    }
    e.operands().forEach(x -> out.addAll(footprint(x)));
    return out;
  }

  private static boolean readsAny(Set<Var> reads, Set<Var> vars) {
    return reads.stream().anyMatch(vars::contains);
  }

  /** {@code e} reading {@code to} where it read {@code from}. */
  private static Expr rename(Expr e, Var from, Var to) {
    if (e instanceof Expr.Read r) {
      return r.var() == from ? new Expr.Read(to) : e;
    }
    return Exprs.mapOperands(e, x -> rename(x, from, to));
  }
}
