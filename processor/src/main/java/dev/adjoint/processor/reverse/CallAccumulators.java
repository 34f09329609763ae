package dev.adjoint.processor.reverse;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The accumulator a call of another method's accumulating form adds into: a view of the
 * caller's own adjoint buffers, {@code new FAccumulator(new Params(dW, dB, n), dX)}, and the
 * scalar partials read back from it. Shared by {@link TailCalls} and by {@link Propagation}'s
 * calls that stay calls.
 */
final class CallAccumulators {
  private final AdjointContext ctx;
  private final AdjointDeclarations declarations;

  CallAccumulators(AdjointContext ctx, AdjointDeclarations declarations) {
    this.ctx = ctx;
    this.declarations = declarations;
  }

  /**
   * The accumulator's constructor arguments for call {@code c}, in the order
   * {@link Expr.NewAccumulator} takes them: per leaf of a record parameter its buffer, a zero
   * (a scalar leaf, which the callee replaces with its partial) or the argument (a leaf without
   * derivative, which the record copies), and a buffer per differentiable array parameter.
   * Each active array argument must be a variable with storage of its own, or a row of one,
   * not shared with another such argument; an argument without derivative (the batch) gets a
   * zeroed buffer of the scratch arena shaped like it, when it is a variable or a row of one.
   * Null when some argument has no buffer.
   */
  List<Expr> buffers(Expr.DiffCall c) {
    Callee callee = c.callee();
    List<Expr> buffers = new ArrayList<>();
    Set<Var> storage = new HashSet<>();
    for (int i = 0; i < c.args().size(); i++) {
      Callee.Param p = callee.params().get(i);
      Expr arg = c.args().get(i);
      if (p.leaf() != null && !p.differentiable()) {
        buffers.add(arg);
      } else if (p.differentiable() && p.type().dims() == 0) {
        if (p.leaf() != null) {
          buffers.add(Exprs.constant(0, p.type()));
        }
      } else if (p.differentiable()) {
        Expr buffer;
        if (!ctx.activity.isActive(arg)) {
          buffer = arg instanceof Expr.Read || arg instanceof Expr.Index ? scratchLike(arg) : null;
        } else {
          Var owner = owner(arg);
          buffer = owner != null && storage.add(owner) ? ctx.adjointArray(arg) : null;
        }
        if (buffer == null) {
          return null;
        }
        buffers.add(buffer);
      }
    }
    return buffers;
  }

  /** True when an argument of a scalar differentiable parameter of {@code c} is active. */
  boolean scalars(Expr.DiffCall c) {
    for (int i = 0; i < c.args().size(); i++) {
      Callee.Param p = c.callee().params().get(i);
      if (p.differentiable() && p.type().dims() == 0 && ctx.activity.isActive(c.args().get(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * After the call added into {@code gradient}: the scalar arguments' adjoints get the partials
   * its fields hold (seed-weighted already; 0 where an argument does not reach the callee's
   * result, which a guard keeps from multiplying the argument's own, perhaps infinite, one).
   */
  void scalarPartials(Expr.DiffCall c, Var gradient, Propagation prop, List<Stmt> out) {
    for (int i = 0; i < c.args().size(); i++) {
      Callee.Param p = c.callee().params().get(i);
      if (p.differentiable() && p.type().dims() == 0) {
        List<String> path = p.partialPath();
        Expr partial = new Expr.Field(gradient, path.get(0),
            path.size() == 1 ? p.type() : p.leaf().shape().type());
        for (int k = 1; k < path.size(); k++) {
          partial = new Expr.Component(partial, path.get(k),
              k == path.size() - 1 ? p.type() : Type.reference("record"));
        }
        List<Stmt> pullback = new ArrayList<>();
        prop.scalar(c.args().get(i), partial, pullback);
        Guards.add(partial, ctx.nonFinite.partialsCanBeNonFinite(c.args().get(i)), pullback,
            out);
      }
    }
  }

  /**
   * {@code accumulator} as the call's last argument: bound to a local declared into
   * {@code out} when scalar partials are read back from it ({@code gradient[0]} receives it),
   * else as it is.
   */
  Expr bind(Expr.NewAccumulator accumulator, boolean scalars, Var[] gradient, List<Stmt> out) {
    if (!scalars) {
      return accumulator;
    }
    gradient[0] = ctx.newVar(accumulator.callee().method() + "Gradient", accumulator.type());
    out.add(new Stmt.Declare(gradient[0], accumulator, Source.NONE));
    return new Expr.Read(gradient[0]);
  }

  /** A zeroed buffer of the scratch arena shaped like array {@code array}. */
  private Expr scratchLike(Expr array) {
    Type t = array.type();
    String kind = t.elementType().prim() == Type.Prim.FLOAT ? "floats" : "doubles";
    return t.dims() == 1
        ? new Expr.RuntimeCall(ctx.scratch(), null, kind, List.of(new Expr.Length(array)), t)
        : new Expr.RuntimeCall(ctx.scratch(), null, kind + "Like", List.of(array), t);
  }

  /**
   * The variable whose own storage the array argument {@code array} is (itself or a row of
   * it), when its adjoint is a buffer of this method: a differentiable parameter or a local
   * array that is no row alias. Null otherwise.
   */
  private Var owner(Expr array) {
    if (array instanceof Expr.Index i) {
      return owner(i.array());
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
