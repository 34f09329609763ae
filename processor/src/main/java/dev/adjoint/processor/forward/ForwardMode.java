package dev.adjoint.processor.forward;

import static dev.adjoint.processor.ir.Exprs.constant;
import static dev.adjoint.processor.ir.Exprs.convert;
import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.UnsupportedConstruct;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.RecordLeaf;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.GradNames;
import dev.adjoint.processor.naming.NameAllocator;
import dev.adjoint.processor.rules.OperatorRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The forward-mode transform: from a lowered function to a body that computes, beside each
 * value, its tangent (the directional derivative along the tangents of the parameters).
 *
 * <p>Every statement that assigns a varied variable ({@link Variedness}) is preceded by the
 * statement that updates its tangent, read off the same values ({@code tY = tX * w + x * tW;}
 * then {@code y = x * w;}), under a comment quoting the source line. Control flow is kept as it
 * is: branches, loops, {@code break}, {@code continue} and returns need no tape in forward mode.
 * The derivative of each operation is {@link TangentRules}. A return becomes whatever
 * {@link Returns} makes of the value and its tangent: the {@code FJvp} record of the JVP form,
 * or the tangent alone for the Hessian-vector product (which differentiates that in reverse).
 */
public final class ForwardMode {
  /** Builds the statement that returns a value and its tangent. */
  @FunctionalInterface
  public interface Returns {
    Stmt of(Expr value, Expr tangent, Source source);
  }

  /**
   * How calls of other {@code @Differentiable} methods are chained: the callee's JVP form, or
   * null when calls are not supported here (the message says why).
   */
  public interface Calls {
    /** The callee with its forward-mode method and record, or null when it has none. */
    dev.adjoint.processor.ir.Callee jvpOf(dev.adjoint.processor.ir.Callee callee);

    /** Why a call cannot be chained (for {@link #jvpOf} returning null). */
    UnsupportedConstruct unsupported(dev.adjoint.processor.ir.Callee callee, long line,
        String text);

    /**
     * The hand-written JVP ({@code @JvpOf}) of a function with a hand-written derivative, or
     * null when it has only a pullback.
     */
    CustomJvp customJvpOf(dev.adjoint.processor.ir.Pullback function);

    /**
     * True in the directional derivative of a Hessian-vector product, which reverse mode
     * differentiates again: calls must then be calls of {@code @Differentiable} methods.
     */
    default boolean secondOrder() {
      return false;
    }

    /**
     * In {@linkplain #secondOrder second order}: the callee's directional derivative (its
     * arguments, then one tangent per differentiable parameter; returns {@code J·t}) as a
     * {@code @Differentiable} callee with a generated gradient, or null when it has none (then
     * {@link #unsupported} says why).
     */
    default dev.adjoint.processor.ir.Callee directionalOf(dev.adjoint.processor.ir.Callee callee) {
      return null;
    }
  }

  /**
   * A hand-written JVP.
   *
   * @param call how to call it: a {@link dev.adjoint.processor.ir.Pullback} whose pullback
   *     names the JVP method (printed as a call of it by {@link Expr.PullbackCall})
   * @param differentiable per parameter of the function: whether the JVP takes its tangent
   * @param differentiated the JVP as a {@code @Differentiable} callee, whose gradient a
   *     Hessian-vector product chains through, or null when it is not {@code @Differentiable}
   * @param pullback the JVP as a function with a hand-written pullback of its own
   *     ({@code @DerivativeOf} the JVP, as Adjoint's runtime ops register), which a
   *     Hessian-vector product chains through where {@code differentiated} is null; or null
   */
  public record CustomJvp(dev.adjoint.processor.ir.Pullback call, List<Boolean> differentiable,
      dev.adjoint.processor.ir.Callee differentiated, dev.adjoint.processor.ir.Pullback pullback) {
    /** {@code Owner.method}, for messages. */
    public String name() {
      return call.pullbackOwner() + "." + call.pullbackMethod();
    }
  }

  /**
   * The transformed body and the tangent parameters, one per differentiable parameter in order.
   *
   * @param body the statements of the generated method
   * @param tangents the tangent parameters: one per differentiable parameter of {@code f}, and
   *     for a record parameter with a differentiable leaf (or the receiver) one per leaf, a
   *     {@link RecordLeaf} of a record of the same type named like the parameter with the
   *     prefix ({@code tP}, {@code tSelf}); the tangents of leaves without derivative (an
   *     {@code int} component) are never read and are not {@code differentiable}
   */
  public record Result(List<Stmt> body, List<Function.Param> tangents) {}

  /** For a function returning a record: what its return keeps (see {@link #transform}). */
  private dev.adjoint.processor.ir.RecordResult recordResult;
  /** The variable of the seed-weighted sum the IR of a record result returns, or null. */
  private Var dot;
  private final Set<Var> varied;
  private final Map<Var, Var> tangent = new HashMap<>();
  private final NameAllocator names = new NameAllocator();
  private final TangentRules rules;
  private Source current = Source.NONE;

  private ForwardMode(Function f, boolean analyses, Calls calls) {
    varied = Variedness.of(f, analyses);
    f.params().forEach(p -> names.reserve(p.var().name()));
    Uses.assigned(f.body()).forEach(v -> names.reserve(v.name()));
    collectNames(f.body());
    rules = new TangentRules(this, calls);
  }

  /**
   * Transforms {@code f} (as lowered, not normalised: forward mode keeps returns where they
   * are). Tangent parameters are named {@code prefix} followed by the parameter's name
   * ({@code tX}, {@code vX}).
   *
   * @throws UnsupportedConstruct for code forward mode cannot differentiate yet
   */
  public static Result transform(Function f, boolean analyses, String prefix, Calls calls,
      Returns returns) {
    return transform(f, null, analyses, prefix, calls, returns);
  }

  /**
   * As {@link #transform(Function, boolean, String, Calls, Returns)} for a function that returns
   * a record ({@code returned}, else null): its IR takes a seed record and returns the
   * seed-weighted sum of the leaves (for reverse mode); here the seed and the sum are dropped
   * and the return gives {@code returns} the record of the leaves and the record of their
   * tangents, of the same type (components without derivative, such as an {@code int}, hold
   * the value's).
   */
  public static Result transform(Function f, dev.adjoint.processor.ir.RecordResult returned,
      boolean analyses, String prefix, Calls calls, Returns returns) {
    Var dot = null;
    if (returned != null) {
      List<Stmt> body = f.body();
      if (!(body.get(body.size() - 1) instanceof Stmt.Return r
          && r.value() instanceof Expr.Read read)) {
        throw new IllegalStateException("a record result's IR ends in return of its sum");
      }
      dot = read.var();
      int seeds = returned.shape().leaves().size();
      List<Function.Param> params = f.params().subList(0, f.params().size() - seeds);
      List<Stmt> kept = new ArrayList<>();
      for (Stmt st : body) {
        if (!writesOnly(st, dot)) {
          kept.add(st);
        }
      }
      f = new Function(f.name(), params, f.returnType(), kept, f.source());
    }
    ForwardMode m = new ForwardMode(f, analyses, calls);
    m.recordResult = returned;
    m.dot = dot;
    List<Function.Param> tangents = new ArrayList<>();
    List<Function.Param> params = f.params();
    for (int i = 0; i < params.size(); i++) {
      Function.Param p = params.get(i);
      if (p.leaf() != null) {
        // a record (or the receiver): a tangent record of its type, when a leaf has derivative
        int n = p.leaf().shape().leaves().size();
        List<Function.Param> group = params.subList(i, i + n);
        if (group.stream().anyMatch(Function.Param::differentiable)) {
          RecordLeaf root = p.leaf();
          String name = m.names.allocate(prefix + GradNames.capitalize(root.root()));
          for (Function.Param q : group) {
            Var t = new Var(m.names.allocate(prefix + GradNames.capitalize(q.var().sourceName())),
                prefix + GradNames.capitalize(q.var().sourceName()), q.var().type(),
                Var.Kind.PARAMETER);
            if (q.differentiable()) {
              m.tangent.put(q.var(), t);
            }
            tangents.add(new Function.Param(t, q.differentiable(),
                new RecordLeaf(name, root.shape(), q.leaf().path(), false)));
          }
        }
        i += n - 1;
        continue;
      }
      if (p.differentiable()) {
        Var t = new Var(m.names.allocate(prefix + GradNames.capitalize(p.var().sourceName())),
            prefix + GradNames.capitalize(p.var().sourceName()), p.var().type(),
            Var.Kind.PARAMETER);
        m.tangent.put(p.var(), t);
        tangents.add(new Function.Param(t, true));
      }
    }
    List<Stmt> body = new ArrayList<>();
    for (Function.Param p : f.params()) {
      // a @NoDerivative parameter assigned a varied value: its tangent starts at zero
      if (!p.differentiable() && m.varied.contains(p.var())) {
        Var t = m.tangentOf(p.var());
        body.add(new Stmt.Declare(t, m.zero(p.var().type(), read(p.var())), Source.NONE));
      }
    }
    body.addAll(m.new Block(returns).of(f.body()));
    body = ScaledAccumulators.apply(body, Set.copyOf(m.tangent.values()));
    return new Result(body, tangents);
  }

  /**
   * True for a statement of the seed-weighted sum {@code dot} of a record result: it assigns
   * {@code dot} and otherwise only the variables it declares (a loop's index).
   */
  private static boolean writesOnly(Stmt s, Var dot) {
    if (s instanceof Stmt.Declare d) {
      return d.var() == dot;
    }
    if (s instanceof Stmt.Assign a) {
      return a.target() == dot;
    }
    if (s instanceof Stmt.Loop l) {
      Set<Var> own = new java.util.HashSet<>();
      for (Stmt x : l.init()) {
        if (x instanceof Stmt.Declare d) {
          own.add(d.var());
        }
      }
      List<Stmt> all = new ArrayList<>(l.init());
      all.addAll(l.body());
      all.addAll(l.update());
      return Uses.assigned(all).stream().allMatch(v -> v == dot || own.contains(v))
          && Uses.assigned(all).contains(dot);
    }
    return false;
  }

  /** The record of {@code leaves} (expressions in leaf order) of {@code shape}, nested. */
  private static Expr newRecord(dev.adjoint.processor.ir.RecordShape shape,
      java.util.Iterator<Expr> leaves) {
    List<Expr> parts = new ArrayList<>();
    for (dev.adjoint.processor.ir.RecordShape.Component c : shape.components()) {
      parts.add(c.nested() != null ? newRecord(c.nested(), leaves) : leaves.next());
    }
    return new Expr.NewRecord(shape.packageName(), shape.className(), parts);
  }

  /**
   * The tangent parameters of the forward-mode forms of a callee with parameters
   * {@code params}, as {@link #transform} makes them: one per differentiable parameter, and for
   * a record (or the receiver) with a differentiable leaf, one per leaf of a tangent record of
   * its type named {@code prefix} and the parameter's name.
   */
  public static List<dev.adjoint.processor.ir.Callee.Param> tangentParams(
      List<dev.adjoint.processor.ir.Callee.Param> params, String prefix) {
    List<dev.adjoint.processor.ir.Callee.Param> out = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      dev.adjoint.processor.ir.Callee.Param p = params.get(i);
      if (p.leaf() != null) {
        int n = p.leaf().shape().leaves().size();
        var group = params.subList(i, i + n);
        if (group.stream().anyMatch(dev.adjoint.processor.ir.Callee.Param::differentiable)) {
          String root = prefix + GradNames.capitalize(p.leaf().root());
          for (var q : group) {
            out.add(new dev.adjoint.processor.ir.Callee.Param(
                root + "." + String.join(".", q.leaf().path()), q.type(), q.differentiable(),
                new RecordLeaf(root, q.leaf().shape(), q.leaf().path(), false)));
          }
        }
        i += n - 1;
      } else if (p.differentiable()) {
        out.add(new dev.adjoint.processor.ir.Callee.Param(prefix + GradNames.capitalize(p.name()),
            p.type(), true));
      }
    }
    return out;
  }

  /** The tangent variable of {@code v}, or null when {@code v} is not varied. */
  Var tangentOf(Var v) {
    if (!varied.contains(v)) {
      return null;
    }
    return tangent.computeIfAbsent(v, k -> new Var(
        names.allocate("t" + GradNames.capitalize(k.name())), k.sourceName(), k.type(),
        Var.Kind.LOCAL));
  }

  /** True when {@code e} reads a tangent. */
  boolean readsTangent(Expr e) {
    return Uses.all(e).stream().anyMatch(tangent::containsValue);
  }

  /** A fresh generated variable. */
  Var newVar(String preferred, Type type) {
    String name = names.allocate(preferred);
    return new Var(name, name, type, Var.Kind.LOCAL);
  }

  /** An error on the statement being transformed. */
  /** The statement being transformed. */
  Source current() {
    return current;
  }

  UnsupportedConstruct unsupported(Message message, Object... args) {
    return new UnsupportedConstruct(current.line(), current.text(), message, args);
  }

  /** The zero tangent of a value of type {@code t} ({@code like}: an array of its shape). */
  Expr zero(Type t, Expr like) {
    if (t.dims() == 0) {
      return constant(0, t);
    }
    return new Expr.RuntimeCall(null, "Adjoints", "zerosLike", List.of(like), t);
  }

  private void collectNames(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d) {
        names.reserve(d.var().name());
      } else if (s instanceof Stmt.If i) {
        collectNames(i.then());
        collectNames(i.otherwise());
      } else if (s instanceof Stmt.Loop l) {
        collectNames(l.init());
        collectNames(l.body());
        collectNames(l.update());
      }
    }
  }

  /** The transform of statement lists. */
  private final class Block {
    private final Returns returns;

    Block(Returns returns) {
      this.returns = returns;
    }

    List<Stmt> of(List<Stmt> stmts) {
      List<Stmt> out = new ArrayList<>();
      for (Stmt s : stmts) {
        statement(s, out, true);
      }
      return out;
    }

    private void statement(Stmt s, List<Stmt> out, boolean comment) {
      Source previous = current;
      current = sourceOf(s, previous);
      try {
        List<Stmt> code = new ArrayList<>();
        boolean differs = translate(s, code, comment);
        Stmt.Comment quote = new Stmt.Comment("line " + current.line() + ": " + current.text());
        if (comment && differs && current.line() > 0 && !(s instanceof Stmt.Loop)
            && !(s instanceof Stmt.If) && !quote.equals(lastComment(out))) {
          // (a line already quoted by the last comment is not quoted again: the statements of
          // one line that assigns twice, the sums of iterations run side by side)
          out.add(quote);
        }
        out.addAll(code);
      } finally {
        current = previous;
      }
    }

    private Stmt lastComment(List<Stmt> out) {
      for (int k = out.size() - 1; k >= 0; k--) {
        if (out.get(k) instanceof Stmt.Comment c) {
          return c;
        }
      }
      return null;
    }

    /** Adds the forward code of {@code s}; true when it holds tangent code. */
    private boolean translate(Stmt s, List<Stmt> out, boolean hoist) {
      if (s instanceof Stmt.Declare d) {
        List<Stmt> pre = hoist ? out : null;
        Var t = tangentOf(d.var());
        if (d.init() == null) {
          if (t != null) {
            out.add(new Stmt.Declare(t, null, d.source()));
          }
          out.add(d);
          return t != null;
        }
        TangentRules.Jvp j = rules.jvp(d.init(), pre);
        if (t == null) {
          out.add(new Stmt.Declare(d.var(), j.primal(), d.source()));
          return j.primal() != d.init();
        }
        if (j.tangent() == null && d.var().type().dims() > 0) {
          out.add(new Stmt.Declare(d.var(), j.primal(), d.source()));
          out.add(new Stmt.Declare(t, zero(t.type(), read(d.var())), d.source()));
        } else {
          out.add(new Stmt.Declare(t, tangentOr(j, t.type()), d.source()));
          out.add(new Stmt.Declare(d.var(), j.primal(), d.source()));
        }
        return true;
      }
      if (s instanceof Stmt.Assign a) {
        List<Stmt> pre = hoist ? out : null;
        TangentRules.Jvp j = rules.jvp(a.value(), pre);
        Var t = tangentOf(a.target());
        Stmt primal = new Stmt.Assign(a.target(), a.op(), j.primal(), a.source());
        if (t == null) {
          out.add(primal);
          return j.primal() != a.value();
        }
        if (a.op() == AssignOp.SET && j.tangent() == null && a.target().type().dims() > 0) {
          out.add(primal);
          out.add(new Stmt.Assign(t, AssignOp.SET, zero(t.type(), read(a.target())),
              a.source()));
          return true;
        }
        Stmt update = update(read(t), read(a.target()), a.op(), j, a.source());
        if (update != null) {
          out.add(update);
        }
        out.add(primal);
        return true;
      }
      if (s instanceof Stmt.Store st) {
        List<Stmt> pre = hoist ? out : null;
        TangentRules.Jvp target = rules.jvp(st.target(), pre);
        TangentRules.Jvp j = rules.jvp(st.value(), pre);
        Expr.Index primalTarget = (Expr.Index) target.primal();
        Stmt primal = new Stmt.Store(primalTarget, st.op(), j.primal(), st.source());
        if (target.tangent() == null) {
          if (j.tangent() != null) {
            throw new IllegalStateException("store of a varied value into an array without "
                + "a tangent: " + st);
          }
          out.add(primal);
          return target.primal() != st.target() || j.primal() != st.value();
        }
        Stmt update = update(target.tangent(), primalTarget, st.op(), j, st.source());
        if (update != null) {
          out.add(update);
        }
        out.add(primal);
        return true;
      }
      if (s instanceof Stmt.If i) {
        TangentRules.Jvp c = rules.jvp(i.condition(), hoist ? out : null);
        List<Stmt> then = of(i.then());
        List<Stmt> otherwise = of(i.otherwise());
        out.add(new Stmt.If(c.primal(), then, otherwise, i.source()));
        return true;
      }
      if (s instanceof Stmt.Loop l) {
        List<Stmt> init = new ArrayList<>();
        for (Stmt x : l.init()) {
          translate(x, init, true);
        }
        Expr condition = rules.jvp(l.condition(), null).primal();
        List<Stmt> update = new ArrayList<>();
        for (Stmt x : l.update()) {
          translate(x, update, false);
        }
        List<Stmt> body = of(l.body());
        if (init.size() == l.init().size()) {
          out.add(new Stmt.Loop(init, condition, update, body, l.testFirst(), l.source()));
        } else {
          // the tangents of the loop's own variables are declared before it, as a for header
          // declares variables of one type only
          out.addAll(init);
          out.add(new Stmt.Loop(List.of(), condition, update, body, l.testFirst(), l.source()));
        }
        return true;
      }
      if (s instanceof Stmt.Return r && recordResult != null) {
        if (!(r.value() instanceof Expr.Read read && read.var() == dot)) {
          throw new IllegalStateException("a record result returns its sum: " + r);
        }
        List<Expr> values = new ArrayList<>();
        List<Expr> tangents = new ArrayList<>();
        for (Var leaf : recordResult.leaves()) {
          values.add(read(leaf));
          Var t = leaf.type().isDifferentiable() ? tangentOf(leaf) : null;
          tangents.add(t != null ? read(t) : leaf.type().isDifferentiable()
              ? zero(leaf.type(), read(leaf)) : read(leaf));
        }
        out.add(returns.of(newRecord(recordResult.shape(), values.iterator()),
            newRecord(recordResult.shape(), tangents.iterator()), r.source()));
        return true;
      }
      if (s instanceof Stmt.Return r) {
        TangentRules.Jvp j = rules.jvp(r.value(), hoist ? out : null);
        Expr t = j.tangent();
        if (t == null) {
          t = r.value().type().dims() > 0 ? zero(r.value().type(), j.primal())
              : constant(0, r.value().type());
        } else {
          t = convert(TangentSums.collect(t, ForwardMode.this::readsTangent), r.value().type());
        }
        out.add(returns.of(j.primal(), t, r.source()));
        return true;
      }
      if (s instanceof Stmt.Break || s instanceof Stmt.Continue || s instanceof Stmt.Comment
          || Stmt.isPrint(s)) {
        out.add(s); // a print prints the values, as the function does
        return false;
      }
      throw new IllegalStateException("forward mode: unexpected statement " + s);
    }

    /**
     * The tangent update of {@code target op= value} (before the value update itself), or null
     * when the tangent does not change.
     */
    private Stmt update(Expr tTarget, Expr target, AssignOp op, TangentRules.Jvp j,
        Source source) {
      Expr t = j.tangent();
      Expr v = j.primal();
      Type type = tTarget.type();
      Expr value;
      if (op == AssignOp.SET) {
        value = t == null ? constant(0, type) : t;
      } else if (op == AssignOp.ADD || op == AssignOp.SUB) {
        value = t;
      } else if (op == AssignOp.REM && t == null) {
        return null; // (v % c)' = v'
      } else if (OperatorRules.has(op.binary)) {
        // v op= e is v = v op e: the operator's rule from the table, applied to both tangents
        Expr.Binary b = new Expr.Binary(op.binary, target, v,
            Type.promote(target.type(), v.type()));
        value = OperatorRules.left(b, convert(tTarget, b.type()));
        if (t != null) {
          value = Exprs.add(value, OperatorRules.right(b, convert(t, b.type())));
        }
      } else {
        throw new IllegalStateException("no tangent for " + op);
      }
      if (value == null) {
        return null;
      }
      AssignOp tangentOp = op == AssignOp.ADD || op == AssignOp.SUB ? op : AssignOp.SET;
      value = convert(TangentSums.collect(value, ForwardMode.this::readsTangent), type);
      if (tTarget instanceof Expr.Read r) {
        return new Stmt.Assign(r.var(), tangentOp, value, source);
      }
      return new Stmt.Store((Expr.Index) tTarget, tangentOp, value, source);
    }

    private Expr tangentOr(TangentRules.Jvp j, Type type) {
      return j.tangent() == null ? constant(0, type)
          : convert(TangentSums.collect(j.tangent(), ForwardMode.this::readsTangent), type);
    }
  }

  private static Source sourceOf(Stmt s, Source fallback) {
    Source src = null;
    if (s instanceof Stmt.Declare d) {
      src = d.source();
    } else if (s instanceof Stmt.Assign a) {
      src = a.source();
    } else if (s instanceof Stmt.Store st) {
      src = st.source();
    } else if (s instanceof Stmt.If i) {
      src = i.source();
    } else if (s instanceof Stmt.Loop l) {
      src = l.source();
    } else if (s instanceof Stmt.Return r) {
      src = r.source();
    }
    return src == null || src.line() == 0 ? fallback : src;
  }
}
