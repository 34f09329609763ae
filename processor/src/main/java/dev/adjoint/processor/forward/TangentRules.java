package dev.adjoint.processor.forward;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.constant;
import static dev.adjoint.processor.ir.Exprs.convert;
import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.read;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.diagnostics.Message;
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
 * The chain rule forward, on one expression: its value (with calls of other differentiable
 * methods replaced by the value their JVP form returned) and its tangent. The partial
 * derivatives of the {@code Math} functions are reverse mode's ({@link MathRules}): one rule per
 * function gives both its pullback and its JVP.
 */
final class TangentRules {

  /**
   * An expression in forward code.
   *
   * @param primal the value (the original expression, or one reading hoisted results)
   * @param tangent its tangent, or null where it is zero
   */
  record Jvp(Expr primal, Expr tangent) {}

  private final ForwardMode mode;
  private final ForwardMode.Calls calls;
  /** The condition under which the expression being transformed runs, or null: always. */
  private Expr guard;

  TangentRules(ForwardMode mode, ForwardMode.Calls calls) {
    this.mode = mode;
    this.calls = calls;
  }

  /**
   * The value and tangent of {@code e}. Calls are evaluated once, into locals added to
   * {@code pre} (run before the statement; inside a {@code ?:} branch, only when the branch is
   * taken); {@code pre} is null where statements cannot go (a {@code for} update).
   */
  Jvp jvp(Expr e, List<Stmt> pre) {
    if (!e.type().isDifferentiable()) {
      // conditions, indices, integers: no tangent, and calls in them are evaluated as they are
      return new Jvp(e, null);
    }
    if (e instanceof Expr.Const || e instanceof Expr.StaticField || e instanceof Expr.Length) {
      return new Jvp(e, null);
    }
    if (e instanceof Expr.Read r) {
      Var t = r.var().type().isDifferentiable() ? mode.tangentOf(r.var()) : null;
      return new Jvp(e, t == null ? null : read(t));
    }
    if (e instanceof Expr.Index i) {
      Jvp array = jvp(i.array(), pre);
      Jvp index = jvp(i.index(), pre);
      Expr primal = same(i.array(), array) && same(i.index(), index) ? e
          : new Expr.Index(array.primal(), index.primal(), i.type());
      return new Jvp(primal, array.tangent() == null ? null
          : new Expr.Index(array.tangent(), index.primal(), i.type()));
    }
    if (e instanceof Expr.Unary u) {
      Jvp o = jvp(u.operand(), pre);
      Expr primal = same(u.operand(), o) ? e : new Expr.Unary(u.op(), o.primal(), u.type());
      Expr t = o.tangent() == null || !u.type().isFloating() ? null
          : u.op() == UnaryOp.NEG ? OperatorRules.negation(o.tangent()) : o.tangent();
      return new Jvp(primal, t);
    }
    if (e instanceof Expr.Cast c) {
      Jvp o = jvp(c.operand(), pre);
      Expr primal = same(c.operand(), o) ? e
          : new Expr.Cast(c.type(), o.primal(), c.explicit());
      return new Jvp(primal, o.tangent() == null || !c.type().isFloating() ? null
          : convert(o.tangent(), c.type()));
    }
    if (e instanceof Expr.Binary b) {
      return binary(b, pre);
    }
    if (e instanceof Expr.Conditional c) {
      Jvp cond = jvp(c.condition(), pre);
      // calls in a branch run only when it is taken: their JVP forms are called under a guard
      Expr outer = guard;
      guard = and(outer, c.condition());
      Jvp a = jvp(c.ifTrue(), pre);
      guard = and(outer, new Expr.Unary(UnaryOp.NOT, c.condition(), Type.BOOLEAN));
      Jvp b = jvp(c.ifFalse(), pre);
      guard = outer;
      Expr primal = same(c.condition(), cond) && same(c.ifTrue(), a) && same(c.ifFalse(), b)
          ? e : new Expr.Conditional(cond.primal(), a.primal(), b.primal(), c.type());
      if (a.tangent() == null && b.tangent() == null || !c.type().isDifferentiable()) {
        return new Jvp(primal, null);
      }
      return new Jvp(primal, new Expr.Conditional(cond.primal(),
          orZero(a.tangent(), c.type(), a.primal()), orZero(b.tangent(), c.type(), b.primal()),
          c.type()));
    }
    if (e instanceof Expr.LibraryCall c) {
      return library(c, pre);
    }
    if (e instanceof Expr.DiffCall c) {
      return call(c, pre);
    }
    if (e instanceof Expr.CustomCall c) {
      return custom(c, pre);
    }
    if (e instanceof Expr.NewArray n) {
      List<Expr> dims = new ArrayList<>();
      for (Expr d : n.dims()) {
        dims.add(jvp(d, pre).primal());
      }
      if (n.elements() == null) {
        return new Jvp(new Expr.NewArray(n.type(), dims, null), n.type().isFloatingArray()
            ? new Expr.NewArray(n.type(), dims, null) : null);
      }
      List<Jvp> elements = new ArrayList<>();
      boolean any = false;
      for (Expr x : n.elements()) {
        Jvp j = jvp(x, pre);
        elements.add(j);
        any |= j.tangent() != null;
      }
      Expr primal = new Expr.NewArray(n.type(), dims, primals(elements));
      if (!any || !n.type().isFloatingArray()) {
        return new Jvp(primal, null);
      }
      List<Expr> tangents = new ArrayList<>();
      for (Jvp j : elements) {
        tangents.add(orZero(j.tangent(), n.type().component(), j.primal()));
      }
      return new Jvp(primal, new Expr.NewArray(n.type(), List.of(), tangents));
    }
    throw mode.unsupported(Message.FORWARD_UNSUPPORTED, e);
  }

  private Jvp binary(Expr.Binary b, List<Stmt> pre) {
    Jvp l = jvp(b.left(), pre);
    Jvp r = jvp(b.right(), pre);
    Expr primal = same(b.left(), l) && same(b.right(), r) ? b
        : new Expr.Binary(b.op(), l.primal(), r.primal(), b.type());
    if (!b.type().isFloating() || l.tangent() == null && r.tangent() == null) {
      return new Jvp(primal, null);
    }
    if (!OperatorRules.has(b.op())) {
      throw mode.unsupported(Message.FORWARD_UNSUPPORTED, "operator " + b.op().symbol);
    }
    // the reverse-mode table's entries are linear in the seed: applied to the operands'
    // tangents, they give the tangent
    Type t = b.type();
    Expr.Binary at = primal instanceof Expr.Binary pb ? pb
        : new Expr.Binary(b.op(), l.primal(), r.primal(), t);
    Expr tangent = null;
    if (l.tangent() != null) {
      tangent = OperatorRules.left(at, convert(l.tangent(), t));
    }
    if (r.tangent() != null) {
      Expr right = OperatorRules.right(at, convert(r.tangent(), t));
      tangent = tangent == null ? right : add(tangent, right);
    }
    return new Jvp(primal, tangent);
  }

  private Jvp library(Expr.LibraryCall c, List<Stmt> pre) {
    List<Jvp> args = new ArrayList<>();
    boolean any = false;
    for (Expr a : c.args()) {
      Jvp j = jvp(a, pre);
      args.add(j);
      any |= j.tangent() != null;
    }
    boolean unchanged = true;
    for (int k = 0; k < args.size(); k++) {
      unchanged &= same(c.args().get(k), args.get(k));
    }
    Expr.LibraryCall call = unchanged ? c
        : new Expr.LibraryCall(c.owner(), c.name(), primals(args), c.type());
    if (!any || !c.type().isFloating()) {
      return new Jvp(call, null);
    }
    Type t = c.type();
    if (MathRules.isSelection(call)) {
      // max and min pass on the tangent of the argument they select (the first on a tie)
      return new Jvp(call, Exprs.conditional(MathRules.selectsFirst(call),
          orZero(args.get(0).tangent(), t, null), orZero(args.get(1).tangent(), t, null)));
    }
    Expr value = call;
    // the value is computed anyway: where a partial the tangent needs reads it (pow's x^b / x,
    // hypot's quotients; and for exp, whose derivative is itself), it is computed once into a
    // local rather than again in the partial
    boolean exp = c.name().equals("exp");
    if (pre != null && guard == null && (exp || partialsReadValue(call, args))) {
      Var v = mode.newVar(c.name() + "Value", t);
      pre.add(new Stmt.Declare(v, call, Source.NONE));
      value = read(v);
    }
    List<Expr> partials = new ArrayList<>(MathRules.partials(call, value));
    if (value != call && exp) {
      partials.set(0, value); // exp' = exp, computed once
    }
    Expr tangent = null;
    for (int k = 0; k < partials.size(); k++) {
      Expr ta = args.get(k).tangent();
      if (partials.get(k) == null || ta == null) {
        continue;
      }
      Expr term = mul(convert(ta, t), partials.get(k));
      tangent = tangent == null ? term : add(tangent, term);
    }
    return new Jvp(value, tangent);
  }

  /**
   * True when a partial of {@code call} that meets a tangent (of {@code args}) reads the call's
   * value: asked of the rule itself, with a stand-in for the value.
   */
  private static boolean partialsReadValue(Expr.LibraryCall call, List<Jvp> args) {
    Var probe = new Var("value", "value", call.type(), Var.Kind.LOCAL);
    List<Expr> partials = MathRules.partials(call, read(probe));
    for (int k = 0; k < partials.size(); k++) {
      if (partials.get(k) != null && args.get(k).tangent() != null
          && dev.adjoint.processor.analysis.Uses.all(partials.get(k)).contains(probe)) {
        return true;
      }
    }
    return false;
  }

  private Jvp call(Expr.DiffCall c, List<Stmt> pre) {
    List<Jvp> args = new ArrayList<>();
    boolean any = false;
    for (int k = 0; k < c.args().size(); k++) {
      Jvp a = jvp(c.args().get(k), pre);
      args.add(a);
      any |= a.tangent() != null && c.callee().params().get(k).differentiable();
    }
    Expr.DiffCall primalCall = new Expr.DiffCall(c.callee(), primals(args), c.type());
    if (!any) {
      return new Jvp(primalCall, null);
    }
    if (calls != null && calls.secondOrder()) {
      // reverse mode differentiates this code again: the tangent is a call of the callee's
      // directional derivative, a @Differentiable function of the arguments and their tangents
      // whose gradient is generated beside it (its value is the callee's, with its gradient)
      Callee directional = calls.directionalOf(c.callee());
      if (directional == null) {
        throw calls.unsupported(c.callee(), mode.current().line(), mode.current().text());
      }
      List<Expr> all = new ArrayList<>(primals(args));
      all.addAll(tangentArguments(c.callee(), args));
      return new Jvp(primalCall, new Expr.DiffCall(directional, List.copyOf(all), c.type()));
    }
    Callee jvp = calls == null ? null : calls.jvpOf(c.callee());
    if (jvp == null) {
      throw calls == null ? mode.unsupported(Message.HESSIAN_CALL, c.callee().method())
          : calls.unsupported(c.callee(), mode.current().line(), mode.current().text());
    }
    if (pre == null) {
      throw mode.unsupported(Message.FORWARD_CALL_POSITION, c.callee().method());
    }
    List<Expr> all = new ArrayList<>(primals(args));
    all.addAll(tangentArguments(c.callee(), args));
    Var result = mode.newVar(c.callee().method() + "Jvp",
        Type.reference(jvp.gradClass() + "." + jvp.recordName()));
    Expr jvpCall = new Expr.GradCall(jvp, all);
    if (guard != null) {
      jvpCall = new Expr.Conditional(guard, jvpCall, new Expr.Null(result.type()), result.type());
    }
    pre.add(new Stmt.Declare(result, jvpCall, Source.NONE));
    return new Jvp(new Expr.Component(read(result), "value", c.type()),
        new Expr.Component(read(result), "tangent", c.type()));
  }

  /**
   * The tangent arguments of a call of {@code callee}'s forward-mode forms (see
   * {@link ForwardMode#tangentParams}): each differentiable argument's tangent (zero where it
   * has none); for a record with a differentiable leaf, every leaf's, where a leaf without
   * derivative passes its value (never read).
   */
  private List<Expr> tangentArguments(Callee callee, List<Jvp> args) {
    List<Expr> out = new ArrayList<>();
    List<Callee.Param> params = callee.params();
    for (int k = 0; k < args.size(); k++) {
      Callee.Param p = params.get(k);
      if (p.leaf() != null) {
        int n = p.leaf().shape().leaves().size();
        if (params.subList(k, k + n).stream().anyMatch(Callee.Param::differentiable)) {
          for (int i = k; i < k + n; i++) {
            Callee.Param q = params.get(i);
            out.add(q.differentiable()
                ? orZero(args.get(i).tangent(), q.type(), args.get(i).primal())
                : args.get(i).primal());
          }
        }
        k += n - 1;
      } else if (p.differentiable()) {
        out.add(orZero(args.get(k).tangent(), p.type(), args.get(k).primal()));
      }
    }
    return out;
  }

  /**
   * A call of a function with a hand-written derivative: its value into a local, and its tangent
   * from its hand-written JVP ({@code @JvpOf}), which takes the arguments, that value and the
   * arguments' tangents ({@code null} for an array argument without one).
   */
  private Jvp custom(Expr.CustomCall c, List<Stmt> pre) {
    List<Jvp> args = new ArrayList<>();
    boolean any = false;
    for (int k = 0; k < c.args().size(); k++) {
      Jvp a = jvp(c.args().get(k), pre);
      args.add(a);
      any |= a.tangent() != null && c.args().get(k).type().isDifferentiable();
    }
    Expr.CustomCall primal = new Expr.CustomCall(c.pullback(), primals(args), c.type());
    if (!any) {
      return new Jvp(primal, null);
    }
    var p = c.pullback();
    String function = p.targetOwner() + "." + p.targetMethod();
    ForwardMode.CustomJvp custom = calls == null ? null : calls.customJvpOf(p);
    if (custom == null) {
      throw mode.unsupported(Message.FORWARD_CUSTOM_DERIVATIVE, function, p.targetMethod(),
          expectedJvp(p), function);
    }
    for (int k = 0; k < args.size(); k++) {
      if (args.get(k).tangent() != null && c.args().get(k).type().isDifferentiable()
          && !custom.differentiable().get(k)) {
        throw mode.unsupported(Message.FORWARD_JVP_DROPS, p.params().get(k).name(), function,
            custom.name(), p.params().get(k).name());
      }
    }
    if (calls.secondOrder() && custom.differentiated() == null && custom.pullback() == null) {
      if (custom.call().pullbackPackage().equals("dev.adjoint.ops")) {
        throw mode.unsupported(Message.HESSIAN_RUNTIME_OP, custom.name(), function,
            custom.call().pullbackMethod(), expectedFunction(p));
      }
      // (a pullback returns the adjoint of at most one scalar: a JVP taking a scalar argument
      // and its tangent cannot have one)
      boolean scalars = false;
      for (int k = 0; k < c.args().size(); k++) {
        scalars |= custom.differentiable().get(k) && c.args().get(k).type().dims() == 0;
      }
      throw mode.unsupported(Message.HESSIAN_CUSTOM_JVP, custom.name(), function,
          custom.name(), scalars ? "" : ", register a pullback of it with @DerivativeOf(\""
              + custom.call().pullbackMethod() + "\")");
    }
    if (pre == null) {
      throw mode.unsupported(Message.FORWARD_CALL_POSITION, p.targetMethod());
    }
    Var value = mode.newVar(p.targetMethod() + "Value", c.type());
    pre.add(new Stmt.Declare(value, guarded(primal, c.type()), Source.NONE));
    List<Expr> all = new ArrayList<>(primals(args));
    all.add(read(value));
    for (int k = 0; k < args.size(); k++) {
      if (!custom.differentiable().get(k)) {
        continue;
      }
      Type type = c.args().get(k).type();
      Expr t = args.get(k).tangent();
      if (t != null) {
        all.add(convert(t, type));
      } else if (type.dims() == 0 || calls.secondOrder() && custom.differentiated() != null) {
        // a @Differentiable JVP is differentiated in reverse mode: zeros, never null (a
        // hand-written JVP and its pullback skip a null tangent)
        all.add(mode.zero(type, args.get(k).primal()));
      } else {
        all.add(new Expr.Null(type));
      }
    }
    // reverse mode differentiates the JVP again: through its generated gradient, or through
    // its own hand-written pullback (the runtime ops')
    Expr tangent = !calls.secondOrder()
        ? new Expr.PullbackCall(custom.call(), List.copyOf(all), c.type())
        : custom.differentiated() != null
            ? new Expr.DiffCall(custom.differentiated(), List.copyOf(all), c.type())
            : new Expr.CustomCall(custom.pullback(), List.copyOf(all), c.type());
    if (c.type().dims() > 0) {
      // an array tangent is read element by element: computed once, into a local
      Var t = mode.newVar("t" + GradNames.capitalize(p.targetMethod()), c.type());
      pre.add(new Stmt.Declare(t, guarded(tangent, c.type()), Source.NONE));
      tangent = read(t);
    }
    return new Jvp(read(value), tangent);
  }

  /** {@code e}, evaluated only where the expression being transformed runs. */
  private Expr guarded(Expr e, Type type) {
    if (guard == null) {
      return e;
    }
    return new Expr.Conditional(guard, e,
        type.dims() > 0 ? new Expr.Null(type) : constant(0, type), type);
  }

  /** The signature of {@code p}'s function, as a user would declare it. */
  private static String expectedFunction(dev.adjoint.processor.ir.Pullback p) {
    List<String> params = new ArrayList<>();
    for (Callee.Param q : p.params()) {
      params.add(q.type().javaName() + " " + q.name());
    }
    return "@Differentiable static " + p.returnType().javaName() + " " + p.targetMethod() + "("
        + String.join(", ", params) + ")";
  }

  private static String expectedJvp(dev.adjoint.processor.ir.Pullback p) {
    List<String> params = new ArrayList<>();
    List<String> tangents = new ArrayList<>();
    for (Callee.Param q : p.params()) {
      params.add(q.type().javaName() + " " + q.name());
      if (q.type().isDifferentiable()) {
        tangents.add(q.type().javaName() + " t" + GradNames.capitalize(q.name()));
      }
    }
    params.add(p.returnType().javaName() + " value");
    params.addAll(tangents);
    return p.returnType().javaName() + " " + p.targetMethod() + "Jvp(" + String.join(", ", params)
        + ")";
  }

  private static Expr and(Expr a, Expr b) {
    return a == null ? b : new Expr.Binary(BinaryOp.AND, a, b, Type.BOOLEAN);
  }

  private Expr orZero(Expr tangent, Type type, Expr like) {
    if (tangent != null) {
      return convert(tangent, type);
    }
    return mode.zero(type, like);
  }

  private static boolean same(Expr original, Jvp j) {
    return j.primal() == original;
  }

  private static List<Expr> primals(List<Jvp> js) {
    return js.stream().map(Jvp::primal).toList();
  }
}
