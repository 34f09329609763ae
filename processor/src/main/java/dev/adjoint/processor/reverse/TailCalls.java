package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

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
 * hands on to {@code f}'s seeded form (and without one is not chained this way). Accumulating
 * forms only add into the buffers of their array parameters: they never write a parameter
 * array, so they never reset its adjoint. Used only when each
 * differentiable array parameter of {@code f} gets a buffer ({@link CallAccumulators}): an active
 * argument's adjoint the caller may add into and no other argument's (a variable or a row of
 * one, neither a row alias nor sharing its variable with another such argument), or for an
 * argument without derivative a zeroed scratch buffer. Scalar parameters' derivatives come back
 * in the accumulator's fields.
 */
final class TailCalls {
  private final AdjointContext ctx;
  private final Propagation prop;
  private final CallAccumulators accumulators;
  /**
   * The seed of a scalar function's seeded accumulating form (the adjoint of the value it
   * returns, which the tail call's callee gets as its own seed), else null: the seed is 1.
   */
  private final Var seed;

  TailCalls(AdjointContext ctx, Propagation prop, AdjointDeclarations declarations, Var seed) {
    this.ctx = ctx;
    this.prop = prop;
    this.accumulators = new CallAccumulators(ctx, declarations);
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
    List<Expr> buffers = accumulators.buffers(c);
    if (buffers == null) {
      return null;
    }
    List<Stmt> out = new ArrayList<>();
    Var[] gradient = new Var[1];
    Expr accumulator = accumulators.bind(new Expr.NewAccumulator(callee, List.copyOf(buffers)),
        accumulators.scalars(c), gradient, out);
    List<Expr> args = new ArrayList<>(c.args());
    if (seed != null) {
      args.add(Exprs.convert(new Expr.Read(seed), callee.returnType()));
    }
    args.add(accumulator);
    Expr call = new Expr.AccumulatingCall(callee, List.copyOf(args));
    out.add(declare ? new Stmt.Declare(value, call, r.source())
        : new Stmt.Assign(value, AssignOp.SET, call, r.source()));
    if (gradient[0] != null) {
      accumulators.scalarPartials(c, gradient[0], prop, out);
    }
    List<Stmt> commented = new ArrayList<>();
    LineComments.add(r.source(), out, commented);
    return commented;
  }
}
