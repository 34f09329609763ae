package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A scalar function's {@code return f(args);} of another {@code @Differentiable} method, chained
 * through {@code f}'s accumulating form in one call: {@code f} adds its gradient straight into
 * the caller's adjoint buffers and returns its value. Otherwise the forward sweep calls {@code f}
 * and the reverse sweep calls {@code f}'s record form, which runs {@code f}'s forward sweep
 * again and returns new arrays that the caller adds into its buffers; in a recursion such as a
 * network's layers, each level would run all deeper levels' forward sweeps once more.
 *
 * <p>Sound at the end of a tail block: nothing follows the call in the forward sweep, so its
 * reverse may run right away, and the adjoint of the returned value is the seed: exactly 1 (the
 * gradient methods of a scalar function seed its value with 1; array results take a seed and
 * are left out), or in a seeded accumulating form the method's own {@code seed}, which the call
 * hands on to {@code f}'s seeded form (and without one is not chained this way). Accumulating forms only add into the buffers of their array parameters: they
 * never write a parameter array, so they never reset its adjoint. Used only when each
 * differentiable array parameter of {@code f} gets an active argument whose adjoint is a buffer
 * the caller may add into and no other argument's: a variable or a row of one, neither a row
 * alias nor sharing its variable with another such argument. Scalar parameters' derivatives
 * come back in the accumulator's fields.
 */
final class TailCalls {
  private final AdjointContext ctx;
  private final Propagation prop;
  private final AdjointDeclarations declarations;
  /**
   * The seed of a scalar function's seeded accumulating form (the adjoint of the value it
   * returns, which the tail call's callee gets as its own seed), else null: the seed is 1.
   */
  private final Var seed;

  TailCalls(AdjointContext ctx, Propagation prop, AdjointDeclarations declarations, Var seed) {
    this.ctx = ctx;
    this.prop = prop;
    this.declarations = declarations;
    this.seed = seed != null && seed.type().dims() == 0 ? seed : null;
  }

  /**
   * The code that computes the value that {@code r} returns into {@code value} (declaring it
   * when {@code declare}) and adds its gradient into the adjoints of its arguments, under a
   * comment quoting the return; null when it returns no call that can chain this way.
   */
  List<Stmt> of(Stmt.Return r, Var value, boolean declare) {
    if (!(r.value() instanceof Expr.DiffCall c) || c.callee().accumulatorName() == null
        || !c.type().equals(ctx.function.returnType()) || c.type().dims() > 0
        || !ctx.activity.isActive(c) || seed != null && !ctx.seededForms.test(c.callee())) {
      return null;
    }
    Callee callee = c.callee();
    List<Expr> buffers = new ArrayList<>();
    Set<Var> storage = new HashSet<>();
    boolean scalars = false;
    for (int i = 0; i < c.args().size(); i++) {
      Callee.Param p = callee.params().get(i);
      Expr arg = c.args().get(i);
      if (p.leaf() != null && !p.differentiable()) {
        // A record's component without derivative: the accumulator's record copies it.
        buffers.add(arg);
        continue;
      }
      if (!p.differentiable()) {
        continue;
      }
      if (p.type().dims() == 0) {
        scalars |= ctx.activity.isActive(arg);
        if (p.leaf() != null) {
          // Starts at zero: the callee replaces the record with its partials added.
          buffers.add(Exprs.constant(0, p.type()));
        }
        continue;
      }
      Var owner = owner(arg);
      if (owner == null || !ctx.activity.isActive(arg) || !storage.add(owner)) {
        return null;
      }
      buffers.add(ctx.adjointArray(arg));
    }
    Expr accumulator = new Expr.NewAccumulator(callee, List.copyOf(buffers));
    List<Stmt> out = new ArrayList<>();
    Var gradient = null;
    if (scalars) {
      gradient = ctx.newVar(callee.method() + "Gradient", accumulator.type());
      out.add(new Stmt.Declare(gradient, accumulator, Source.NONE));
      accumulator = new Expr.Read(gradient);
    }
    List<Expr> args = new ArrayList<>(c.args());
    if (seed != null) {
      args.add(Exprs.convert(new Expr.Read(seed), callee.returnType()));
    }
    args.add(accumulator);
    Expr call = new Expr.AccumulatingCall(callee, List.copyOf(args));
    out.add(declare ? new Stmt.Declare(value, call, r.source())
        : new Stmt.Assign(value, AssignOp.SET, call, r.source()));
    for (int i = 0; gradient != null && i < c.args().size(); i++) {
      Callee.Param p = callee.params().get(i);
      if (p.differentiable() && p.type().dims() == 0) {
        Expr partial = p.leaf() == null ? new Expr.Field(gradient, p.name(), p.type())
            : component(new Expr.Field(gradient, p.leaf().root(), p.leaf().shape().type()),
                p.leaf().path(), p.type());
        List<Stmt> pullback = new ArrayList<>();
        prop.scalar(c.args().get(i), partial, pullback);
        Guards.add(partial, ctx.nonFinite.partialsCanBeNonFinite(c.args().get(i)), pullback, out);
      }
    }
    List<Stmt> commented = new ArrayList<>();
    LineComments.add(r.source(), out, commented);
    return commented;
  }

  /** {@code record.a().b()} along {@code path}, the last of type {@code type}. */
  private static Expr component(Expr record, List<String> path, Type type) {
    Expr e = record;
    for (int k = 0; k < path.size(); k++) {
      e = new Expr.Component(e, path.get(k),
          k == path.size() - 1 ? type : Type.reference("record"));
    }
    return e;
  }

  /**
   * The variable whose own storage the array argument {@code array} is (itself or a row of
   * it), when its adjoint is a buffer of this method: a differentiable parameter or a local
   * array that is no row alias. Null otherwise.
   */
  private Var owner(Expr array) {
    return owner(ctx, declarations, array);
  }

  /** As {@link #owner(Expr)}, for {@link Propagation}'s calls that stay calls. */
  static Var owner(AdjointContext ctx, AdjointDeclarations declarations, Expr array) {
    if (array instanceof Expr.Index i) {
      return owner(ctx, declarations, i.array());
    }
    if (!(array instanceof Expr.Read r)) {
      return null;
    }
    Var v = r.var();
    if (v.kind() == Var.Kind.PARAMETER) {
      boolean differentiable = ctx.function.params().stream()
          .anyMatch(p -> p.var() == v && p.differentiable());
      return differentiable ? v : null;
    }
    return declarations.hasOwnStorage(v) ? v : null;
  }
}
