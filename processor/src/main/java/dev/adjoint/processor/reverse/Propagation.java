package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.convert;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOp;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.GradNames;
import dev.adjoint.processor.rules.MathRules;
import dev.adjoint.processor.rules.OperatorRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The chain rule on one expression: emits the statements that add {@code seed} times the
 * derivative of the expression to the adjoints of the variables and elements it reads.
 */
final class Propagation {
  private final AdjointContext ctx;
  private final AdjointDeclarations declarations;

  Propagation(AdjointContext ctx, AdjointDeclarations declarations) {
    this.ctx = ctx;
    this.declarations = declarations;
  }

  private boolean active(Expr e) {
    return ctx.activity.isActive(e);
  }

  /** Adds {@code seed * d(e)} to the adjoints {@code e} reaches; {@code e} is a scalar. */
  void scalar(Expr e, Expr seed, List<Stmt> out) {
    if (!active(e)) {
      return;
    }
    if (e instanceof Expr.Read r) {
      accumulate(read(ctx.adjoint(r.var())), seed, out);
    } else if (e instanceof Expr.Index i) {
      Expr.Index target = new Expr.Index(ctx.adjointArray(i.array()), i.index(), i.type());
      Expr active = mayHoldActive(i.array());
      if (active == null) {
        accumulate(target, seed, out);
      } else {
        // h[i] where h may still be the batch x (h = x; a layer loop written out): its
        // adjoint flows nowhere then, so the partial is not computed
        List<Stmt> then = new ArrayList<>();
        accumulate(target, seed, then);
        out.add(new Stmt.If(active, then, List.of(), Source.NONE));
      }
    } else if (e instanceof Expr.Unary u) {
      scalar(u.operand(), OperatorRules.negation(seed), out);
    } else if (e instanceof Expr.Cast c) {
      scalar(c.operand(), convert(seed, c.operand().type()), out);
    } else if (e instanceof Expr.Binary b) {
      binary(b, seed, out);
    } else if (e instanceof Expr.Conditional c) {
      Expr s = bind(seed, active(c.ifTrue()) && active(c.ifFalse()), "dChoice", out);
      List<Stmt> then = new ArrayList<>();
      scalar(c.ifTrue(), s, then);
      List<Stmt> otherwise = new ArrayList<>();
      scalar(c.ifFalse(), s, otherwise);
      out.add(new Stmt.If(c.condition(), then, otherwise, Source.NONE));
    } else if (e instanceof Expr.LibraryCall c && MathRules.isSelection(c)) {
      // max and min pass the whole adjoint to the argument they selected (the first on a tie).
      Expr s = bind(seed, active(c.args().get(0)) && active(c.args().get(1)),
          "d" + GradNames.capitalize(c.name()), out);
      List<Stmt> first = new ArrayList<>();
      scalar(c.args().get(0), s, first);
      List<Stmt> second = new ArrayList<>();
      scalar(c.args().get(1), s, second);
      out.add(new Stmt.If(MathRules.selectsFirst(c), first, second, Source.NONE));
    } else if (e instanceof Expr.LibraryCall c) {
      libraryCall(c, null, seed, out);
    } else if (e instanceof Expr.DiffCall c) {
      call(c, seed, null, out);
    } else if (e instanceof Expr.CustomCall c) {
      pullback(c, convert(seed, c.type()), out);
    } else {
      throw new IllegalStateException("no derivative for expression " + e);
    }
  }

  /**
   * Adds {@code seed * d(c)} for a smooth Math call {@code c}; {@code known} is a variable
   * holding its value (the local it was declared into), or null to compute it here.
   */
  void libraryCall(Expr.LibraryCall c, Expr known, Expr seed, List<Stmt> out) {
    {
      Expr value = known != null ? known : c;
      if (known == null && MathRules.reusesValue(c)) {
        Var v = ctx.newVar(c.name() + "Value", c.type());
        out.add(new Stmt.Declare(v, c, Source.NONE));
        value = read(v);
      }
      List<Expr> partials = MathRules.partials(c, value);
      int count = 0;
      for (int i = 0; i < partials.size(); i++) {
        if (partials.get(i) != null && active(c.args().get(i))) {
          count++;
        }
      }
      Expr s = bind(seed, count > 1, "d" + GradNames.capitalize(c.name()), out);
      for (int i = 0; i < partials.size(); i++) {
        if (partials.get(i) != null) {
          scalar(c.args().get(i), mul(s, partials.get(i)), out);
        }
      }
    }
  }

  /** {@code target += seed}, as {@code -=} when the seed is a negation. */
  private static void accumulate(Expr target, Expr seed, List<Stmt> out) {
    AssignOp op = AssignOp.ADD;
    Expr value = seed;
    if (seed instanceof Expr.Unary u && u.op() == UnaryOp.NEG) {
      op = AssignOp.SUB;
      value = u.operand();
    }
    value = convert(value, target.type());
    if (target instanceof Expr.Read r) {
      out.add(new Stmt.Assign(r.var(), op, value, Source.NONE));
    } else {
      out.add(new Stmt.Store((Expr.Index) target, op, value, Source.NONE));
    }
  }

  private void binary(Expr.Binary b, Expr seed, List<Stmt> out) {
    List<RepeatedFactors.Partial> powers =
        b.op() == BinaryOp.MUL ? RepeatedFactors.of(b, this::active) : null;
    if (powers != null) {
      Expr s = bind(seed, powers.size() > 1, hint(b.op()), out);
      for (RepeatedFactors.Partial p : powers) {
        scalar(p.factor(), p.times(s), out);
      }
      return;
    }
    if (!OperatorRules.has(b.op())) {
      throw new IllegalStateException("no derivative for operator " + b.op());
    }
    boolean both = active(b.left()) && active(b.right());
    Expr s = bind(seed, both, hint(b.op()), out);
    scalar(b.left(), OperatorRules.left(b, s), out);
    scalar(b.right(), OperatorRules.right(b, s), out);
  }

  /**
   * Adds the vector-Jacobian product of an array-valued expression to the adjoints it reaches:
   * {@code scale * seed} (or {@code seed} when {@code scale} is null) times its derivative.
   */
  void array(Expr e, Expr seed, Expr scale, List<Stmt> out) {
    if (!active(e)) {
      return;
    }
    if (ctx.isAddressable(e)) {
      Expr target = ctx.adjointArray(e);
      Stmt add = new Stmt.Eval(scale == null
          ? new Expr.RuntimeCall(null, "Adjoints", "addTo", List.of(target, seed), Type.BOOLEAN)
          : new Expr.RuntimeCall(null, "Adjoints", "addScaled",
              List.of(target, convert(scale, e.type().elementType()), seed), Type.BOOLEAN));
      Expr active = mayHoldActive(e);
      out.add(active == null ? add : new Stmt.If(active, List.of(add), List.of(), Source.NONE));
    } else if (e instanceof Expr.NewArray n && n.elements() != null) {
      for (int k = 0; k < n.elements().size(); k++) {
        Expr element = n.elements().get(k);
        Expr elementSeed = new Expr.Index(seed, new Expr.Const(k, Type.INT),
            e.type().component());
        if (element.type().dims() > 0) {
          array(element, elementSeed, scale, out);
        } else {
          scalar(element, scale == null ? elementSeed : mul(scale, elementSeed), out);
        }
      }
    } else if (e instanceof Expr.DiffCall c) {
      Expr s = seed;
      if (scale != null) {
        s = new Expr.RuntimeCall(null, "Adjoints", "scaled",
            List.of(convert(scale, e.type().elementType()), seed), e.type());
      }
      call(c, null, s, out);
    } else if (e instanceof Expr.CustomCall c) {
      pullback(c, scale == null ? seed : new Expr.RuntimeCall(null, "Adjoints", "scaled",
          List.of(convert(scale, e.type().elementType()), seed), e.type()), out);
    } else if (e instanceof Expr.Conditional c) {
      List<Stmt> then = new ArrayList<>();
      array(c.ifTrue(), seed, scale, then);
      List<Stmt> otherwise = new ArrayList<>();
      array(c.ifFalse(), seed, scale, otherwise);
      out.add(new Stmt.If(c.condition(), then, otherwise, Source.NONE));
    } else {
      throw new IllegalStateException("cannot differentiate array expression " + e
          + "; assign it to a local array first");
    }
  }

  /**
   * Chains through a call of another {@code @Differentiable} method with its generated gradient:
   * for a scalar result, {@code seed} scales the gradient; for an array result, {@code
   * arraySeed} is passed to the gradient method as its {@code seed}.
   */
  private void call(Expr.DiffCall c, Expr seed, Expr arraySeed, List<Stmt> out) {
    if (accumulatingCall(c, seed, arraySeed, out)) {
      return;
    }
    List<Expr> args = new ArrayList<>(c.args());
    if (arraySeed != null) {
      args.add(arraySeed);
    }
    Expr.GradCall call = new Expr.GradCall(c.callee(), List.copyOf(args));
    Var gradient = ctx.newVar(c.callee().method() + "Grad", call.type());
    out.add(new Stmt.Declare(gradient, call, Source.NONE));
    int count = 0;
    for (int i = 0; i < c.args().size(); i++) {
      if (c.callee().params().get(i).differentiable() && active(c.args().get(i))) {
        count++;
      }
    }
    Expr s = seed == null ? null
        : bind(seed, count > 1, "d" + GradNames.capitalize(c.callee().method()), out);
    for (int i = 0; i < c.args().size(); i++) {
      var p = c.callee().params().get(i);
      if (!p.differentiable()) {
        continue;
      }
      Expr partial = read(gradient);
      List<String> path = p.partialPath();
      for (int k = 0; k < path.size(); k++) {
        partial = new Expr.Component(partial, path.get(k),
            k == path.size() - 1 ? p.type() : Type.reference("record"));
      }
      Expr arg = c.args().get(i);
      if (p.type().dims() > 0) {
        array(arg, partial, s, out);
      } else {
        // The callee's partial is 0 where its argument does not reach its result on the path
        // it took: the argument's own, perhaps infinite, partial must not multiply that 0.
        List<Stmt> pullback = new ArrayList<>();
        scalar(arg, s == null ? partial : mul(s, partial), pullback);
        Guards.add(partial, ctx.nonFinite.partialsCanBeNonFinite(arg), pullback, out);
      }
    }
  }

  /**
   * Chains through a call that stays a call with the callee's accumulating form, when it has one
   * that takes the seed (every array-valued callee's; a scalar one's seeded form, see
   * {@link AdjointContext#seededForms}): {@code FGrad.f(args..., seed, new FAccumulator(dW,
   * ...))} adds the seed-weighted gradient straight into this method's adjoint buffers, where the
   * record form would allocate a gradient as large as the callee's array and record arguments
   * (a whole model, for a model record's method) on every call, for this method to add up.
   * Each differentiable array parameter of the callee gets the buffer of its argument, which
   * must be a variable with storage of its own or a row of one, not shared with another such
   * argument (as for {@link TailCalls}); an argument carrying no derivative gets a zeroed buffer
   * of the scratch arena. The scalar parameters' partials come back in the accumulator's fields.
   * Returns false, emitting nothing, when the call must go through the record form.
   */
  private boolean accumulatingCall(Expr.DiffCall c, Expr seed, Expr arraySeed,
      List<Stmt> out) {
    Callee callee = c.callee();
    if (callee.accumulatorName() == null
        || arraySeed == null && (seed == null || !ctx.seededForms.test(callee))) {
      return false;
    }
    CallAccumulators accumulators = new CallAccumulators(ctx, declarations);
    List<Expr> buffers = accumulators.buffers(c);
    if (buffers == null || arraySeed != null && !(arraySeed instanceof Expr.Read seedVar
        && buffers.stream().noneMatch(b -> b instanceof Expr.Read r
            && r.var() == seedVar.var()))) {
      // (the callee reads its seed while adding into its buffers: they must be apart)
      return false;
    }
    Var[] gradient = new Var[1];
    Expr accumulator = accumulators.bind(new Expr.NewAccumulator(callee, List.copyOf(buffers)),
        accumulators.scalars(c), gradient, out);
    List<Expr> args = new ArrayList<>(c.args());
    args.add(arraySeed != null ? arraySeed : convert(seed, callee.returnType()));
    args.add(accumulator);
    out.add(new Stmt.Eval(new Expr.AccumulatingCall(callee, List.copyOf(args))));
    if (gradient[0] != null) {
      accumulators.scalarPartials(c, gradient[0], this, out);
    }
    return true;
  }

  /**
   * Chains through a hand-written pullback: it adds into the adjoint arrays of the array
   * arguments (null for those that need none) and returns the scalar argument's contribution.
   */
  private void pullback(Expr.CustomCall c, Expr seed, List<Stmt> out) {
    var p = c.pullback();
    List<Expr> args = new ArrayList<>(c.args());
    args.add(seed);
    boolean needed = false;
    for (int i = 0; i < c.args().size(); i++) {
      var param = p.params().get(i);
      if (!param.differentiable() || param.type().dims() == 0) {
        continue;
      }
      Expr arg = c.args().get(i);
      if (active(arg)) {
        if (!ctx.isAddressable(arg)) {
          throw new IllegalStateException("pass " + arg + " through a local array");
        }
        Expr adjoint = ctx.adjointArray(arg);
        if (arg instanceof Expr.Read r && !ctx.inactiveParameters(r.var()).isEmpty()) {
          // h = x; h = relu(dense(h, ...)): on the first layer h is the batch, whose adjoint
          // nobody reads; the pullback skips a null buffer.
          Expr inactive = null;
          for (Var src : ctx.inactiveParameters(r.var())) {
            Expr same = new Expr.Binary(BinaryOp.EQ, arg, read(src), Type.BOOLEAN);
            inactive = inactive == null ? same
                : new Expr.Binary(BinaryOp.OR, inactive, same, Type.BOOLEAN);
          }
          adjoint = new Expr.Conditional(inactive, new Expr.Null(param.type()), adjoint,
              param.type());
        }
        args.add(adjoint);
        needed = true;
      } else {
        args.add(new Expr.Null(param.type()));
      }
    }
    int k = p.scalarParameter();
    Type returns = k >= 0 ? p.params().get(k).type() : Type.BOOLEAN;
    Expr call = new Expr.PullbackCall(p, List.copyOf(args), returns);
    if (k >= 0 && active(c.args().get(k))) {
      Var contribution = ctx.newVar("d" + GradNames.capitalize(p.targetMethod()), returns);
      out.add(new Stmt.Declare(contribution, call, Source.NONE));
      List<Stmt> pullback = new ArrayList<>();
      scalar(c.args().get(k), read(contribution), pullback);
      Guards.add(read(contribution), ctx.nonFinite.partialsCanBeNonFinite(c.args().get(k)),
          pullback, out);
    } else if (needed) {
      out.add(new Stmt.Eval(call));
    }
  }

  /**
   * {@code h != x && h != y} for an array expression whose variable may hold one of the
   * inactive parameter arrays it is given ({@link AdjointContext#inactiveParameters}), or one of
   * their rows:
   * the adjoint is needed only when this is true. Null when the variable holds none.
   */
  private Expr mayHoldActive(Expr array) {
    Expr root = array;
    while (root instanceof Expr.Index i) {
      root = i.array();
    }
    if (!(root instanceof Expr.Read r)) {
      return null;
    }
    Expr test = null;
    for (Var src : ctx.inactiveParameters(r.var())) {
      Expr other = new Expr.Binary(BinaryOp.NE, root, read(src), Type.BOOLEAN);
      test = test == null ? other : new Expr.Binary(BinaryOp.AND, test, other, Type.BOOLEAN);
    }
    return test;
  }

  /** Binds a non-trivial seed to a local when it would otherwise be computed twice. */
  Expr bind(Expr seed, boolean sharedByTwo, String hint, List<Stmt> out) {
    if (!sharedByTwo || Exprs.isTrivial(seed)) {
      return seed;
    }
    Var t = ctx.newVar(hint, seed.type());
    out.add(new Stmt.Declare(t, seed, Source.NONE));
    return read(t);
  }

  private static String hint(BinaryOp op) {
    return switch (op) {
      case ADD -> "dSum";
      case SUB -> "dDifference";
      case MUL -> "dProduct";
      case DIV -> "dQuotient";
      default -> "dRemainder";
    };
  }
}
