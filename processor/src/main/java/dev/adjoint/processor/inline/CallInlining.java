package dev.adjoint.processor.inline;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.NameAllocator;
import dev.adjoint.processor.normalize.ReturnNormalization;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces calls of small {@code @Differentiable} helpers by their bodies.
 *
 * <p>Calling a helper's generated gradient from a caller's reverse sweep runs the helper's
 * forward pass twice (once for the caller's value, once inside the helper's gradient), and a
 * call in a loop does so on every iteration: a least-squares fit calling {@code model(a, b, t[i])}
 * cost half as much again as the same code written inline. Inlined, the helper's statements become
 * the caller's: its forward pass runs once and its intermediates are kept or recomputed by the
 * same analyses as the caller's own.
 *
 * <p>{@code y = sigmoid(w * x);} becomes {@code double sigmoid = 1 / (1 + Math.exp(-(w * x)));
 * y = sigmoid;}: the helper's result is a local named after the helper, its locals and the
 * parameters it assigns are locals named after the helper and themselves ({@code sigmoidZ}), its
 * other parameters stand for the arguments, and the comments of the reverse sweep say which
 * helper each line was inlined from. A helper with several returns assigns its result in each
 * branch; one returning a new array ({@code double[] h = dense(x, w);}) fills the caller's
 * variable directly; one whose last statement returns an array expression gives it to the
 * caller's variable ({@code h = layer(h, l);} in a layer loop becomes the layer's statements and
 * {@code h = relu(dense(h, w[l], ...));}, an instance method of a record too, whose receiver's
 * components are the caller's); a {@code void} helper called inside a loop or a branch writes the
 * caller's out-argument in place.
 *
 * <p>A call stays a call (of the helper's generated gradient, as before) when the helper's source
 * is not in this compilation, when it is larger than {@link #MAX_STATEMENTS} statements or
 * {@link #MAX_NODES} expression nodes, when it is recursive (already being inlined, or the
 * caller itself; inlining stops {@link #MAX_DEPTH} helpers deep), when it gives an array variable
 * another array, when it returns an array and has a return before its last statement or
 * returns an array not of its own (an argument, a row of one), when it is a {@code void} helper with an out-parameter
 * called at the top level (its value form is called), when the call is evaluated only on some
 * paths of an expression
 * (a branch of {@code ?:}, the right of {@code &&}/{@code ||}) or in a loop's header, and when an
 * array argument is not a variable or a row of one.
 */
public final class CallInlining {
  /** Helpers with more statements than this (nested ones counted) are called, not inlined. */
  static final int MAX_STATEMENTS = 40;
  /** Helpers with more expression nodes than this are called, not inlined. */
  static final int MAX_NODES = 400;
  /** Helpers inlined into inlined helpers at most this deep. */
  static final int MAX_DEPTH = 4;

  /** Finds the lowered body of a helper whose source is in this compilation. */
  @FunctionalInterface
  public interface Bodies {
    /** The helper's lowered body, or null when it has no source here or did not lower cleanly. */
    Function of(Callee callee);
  }

  private final Bodies bodies;
  private final NameAllocator names = new NameAllocator();
  /** The helpers being inlined, innermost last, and the caller itself first. */
  private final Deque<String> stack = new ArrayDeque<>();
  /** The caller's parameters that carry no derivative. */
  private final Set<Var> inactive = new HashSet<>();
  private int inlined;

  private CallInlining(Bodies bodies) {
    this.bodies = bodies;
  }

  /**
   * {@code f} with the calls it makes of small helpers replaced by their bodies, or {@code f}
   * itself when there are none; {@code self} identifies {@code f} as {@link #key} does a callee.
   */
  public static Function apply(Function f, String self, Bodies bodies) {
    CallInlining pass = new CallInlining(bodies);
    pass.stack.push(self);
    for (Function.Param p : f.params()) {
      if (!p.differentiable()) {
        pass.inactive.add(p.var());
      }
    }
    Set<Var> all = new HashSet<>();
    f.params().forEach(p -> all.add(p.var()));
    collectVars(f.body(), all);
    all.forEach(v -> pass.names.reserve(v.name()));
    for (String hidden : List.of("Tape", "Scratch", "Adjoints", "StopGradient", "Arrays", "Math",
        "StrictMath", "Double", "Float", "Integer", "Long")) {
      pass.names.reserve(hidden);
    }
    List<Stmt> body = pass.block(f.body());
    if (pass.inlined == 0) {
      return f;
    }
    // The inlined body's arrays given another array (an inlined helper's arrays declared in the
    // caller's loop too), marked as the front end marks the caller's own.
    Var.markReassignedArrays(body);
    return new Function(f.name(), f.params(), f.returnType(), body, f.source());
  }

  /** Identifies a method: its owner, name and parameter types. */
  public static String key(String packageName, String ownerName, String method,
      List<Type> params) {
    return (packageName.isEmpty() ? "" : packageName + ".") + ownerName + "#" + method + params;
  }

  private static String key(Callee c) {
    return key(c.packageName(), c.ownerName(), c.method(),
        c.params().stream().map(Callee.Param::type).toList());
  }

  // ------------------------------------------------------------------ call sites

  private List<Stmt> block(List<Stmt> in) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : in) {
      if (s instanceof Stmt.Eval e && e.expr() instanceof Expr.DiffCall c
          && c.callee().outParameter() >= 0) {
        List<Stmt> pre = new ArrayList<>();
        List<Expr> args = new ArrayList<>();
        c.args().forEach(a -> args.add(expr(a, pre, Source.NONE)));
        if (inlineInPlace(c.callee(), args, pre)) {
          out.addAll(pre);
        } else {
          out.add(s); // reported as the front end said (see MethodLowering.inPlaceCalls)
        }
        continue;
      }
      if (s instanceof Stmt.Declare d && d.init() instanceof Expr.DiffCall c
          && d.var().type().dims() > 0) {
        List<Stmt> pre = new ArrayList<>();
        List<Expr> args = new ArrayList<>();
        c.args().forEach(a -> args.add(expr(a, pre, d.source())));
        if (inline(c.callee(), args, d.var(), pre, d.source()) != null
            || inlineArray(c.callee(), args, d.var(), true, pre, d.source()) != null) {
          out.addAll(pre);
          continue;
        }
        out.addAll(pre);
        out.add(new Stmt.Declare(d.var(), new Expr.DiffCall(c.callee(), List.copyOf(args),
            c.type()), d.source()));
        continue;
      }
      if (s instanceof Stmt.Assign a && a.op() == AssignOp.SET
          && a.value() instanceof Expr.DiffCall c && a.target().type().dims() > 0) {
        // h = layer(h, l): the helper's statements, then h given the array it returns.
        List<Stmt> pre = new ArrayList<>();
        List<Expr> args = new ArrayList<>();
        c.args().forEach(x -> args.add(expr(x, pre, a.source())));
        out.addAll(pre);
        List<Stmt> code = new ArrayList<>();
        if (inlineArray(c.callee(), args, a.target(), false, code, a.source()) != null) {
          out.addAll(code);
        } else {
          out.add(new Stmt.Assign(a.target(), a.op(), new Expr.DiffCall(c.callee(),
              List.copyOf(args), c.type()), a.source()));
        }
        continue;
      }
      List<Stmt> pre = new ArrayList<>();
      Stmt t = site(s, pre);
      out.addAll(pre);
      out.add(t);
    }
    return out;
  }

  /** {@code s} with the calls it evaluates itself inlined into {@code pre}, its blocks too. */
  private Stmt site(Stmt s, List<Stmt> pre) {
    if (s instanceof Stmt.Declare d) {
      return d.init() == null ? d
          : new Stmt.Declare(d.var(), expr(d.init(), pre, d.source()), d.source());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.target(), a.op(), expr(a.value(), pre, a.source()), a.source());
    }
    if (s instanceof Stmt.Return r) {
      return new Stmt.Return(expr(r.value(), pre, r.source()), r.source());
    }
    if (s instanceof Stmt.Store st) {
      Expr target = expr(st.target(), pre, st.source());
      return new Stmt.Store((Expr.Index) target, st.op(), expr(st.value(), pre, st.source()),
          st.source());
    }
    if (s instanceof Stmt.If i) {
      Expr condition = expr(i.condition(), pre, i.source());
      return new Stmt.If(condition, block(i.then()), block(i.otherwise()), i.source());
    }
    if (s instanceof Stmt.Loop l) {
      // The header runs on every iteration: a call there stays a call.
      return new Stmt.Loop(l.init(), l.condition(), l.update(), block(l.body()), l.testFirst(),
          l.source());
    }
    return s;
  }

  /**
   * {@code e} with the calls evaluated on every evaluation of it inlined into {@code pre}
   * (arguments first), replaced by reads of their results.
   */
  private Expr expr(Expr e, List<Stmt> pre, Source at) {
    if (e instanceof Expr.DiffCall c) {
      List<Expr> args = new ArrayList<>();
      c.args().forEach(a -> args.add(expr(a, pre, at)));
      if (c.type().dims() == 0) {
        Expr result = inline(c.callee(), args, null, pre, at);
        if (result != null) {
          return result;
        }
      } else {
        // relu(linear(h, l)): the array linear returns in a local named after it.
        Var result = inlineArray(c.callee(), args, null, true, pre, at);
        if (result != null) {
          return new Expr.Read(result);
        }
      }
      return new Expr.DiffCall(c.callee(), List.copyOf(args), c.type());
    }
    if (e instanceof Expr.Conditional k) {
      return new Expr.Conditional(expr(k.condition(), pre, at), k.ifTrue(), k.ifFalse(),
          k.type());
    }
    if (e instanceof Expr.Binary b && (b.op() == BinaryOp.AND || b.op() == BinaryOp.OR)) {
      return new Expr.Binary(b.op(), expr(b.left(), pre, at), b.right(), b.type());
    }
    if (e.operands().isEmpty()) {
      return e;
    }
    return Exprs.mapOperands(e, o -> expr(o, pre, at));
  }

  // ------------------------------------------------------------------ one call

  /**
   * Inlines one call into {@code pre}: returns the read of its result, or null (with
   * {@code pre} unchanged) when the call must stay a call. {@code into} is the caller's array
   * variable that a helper returning a new array fills, else null.
   */
  private Expr inline(Callee callee, List<Expr> args, Var into, List<Stmt> pre, Source at) {
    String key = key(callee);
    if (callee.outParameter() >= 0 || stack.contains(key) || stack.size() > MAX_DEPTH) {
      return null;
    }
    Function g = bodies.of(callee);
    if (!inlinable(g, args)) {
      return null;
    }
    g = ReturnNormalization.normalize(g);
    g = new Function(g.name(), g.params(), g.returnType(), conditionalReturns(g.body()),
        g.source());
    List<Stmt> code = new ArrayList<>();
    Renaming renaming = bind(callee, g, args, -1, code, at);
    if (renaming == null) {
      return null;
    }
    String method = callee.method();
    Map<Var, Var> locals = renaming.locals;
    List<Stmt> body = g.body();
    Stmt last = body.isEmpty() ? null : body.get(body.size() - 1);
    Var result;
    if (into != null) {
      // `return out;` of a new array declared at the helper's top level: out is the caller's.
      if (!(last instanceof Stmt.Return r && r.value() instanceof Expr.Read read)
          || Uses.containsReturn(body.subList(0, body.size() - 1))
          || body.stream().noneMatch(s -> s instanceof Stmt.Declare d && d.var() == read.var()
              && d.init() instanceof Expr.NewArray)) {
        return null;
      }
      locals.put(read.var(), into);
      for (Stmt s : body.subList(0, body.size() - 1)) {
        code.add(renaming.stmt(s));
      }
      result = into;
    } else {
      result = new Var(names.allocate(method), method, g.returnType(), Var.Kind.LOCAL);
      if (last instanceof Stmt.Return r && !Uses.containsReturn(body.subList(0, body.size() - 1))) {
        for (Stmt s : body.subList(0, body.size() - 1)) {
          code.add(renaming.stmt(s));
        }
        code.add(new Stmt.Declare(result, renaming.expr(r.value()), renaming.source(r.source())));
      } else {
        List<Stmt> tails = renaming.tails(body, result);
        if (tails == null) {
          return null;
        }
        code.add(new Stmt.Declare(result, null, new Source(at.line(),
            "result of " + method + " (inlined)")));
        code.addAll(tails);
      }
    }
    if (!(result.type().equals(callee.returnType()))) {
      return null;
    }
    stack.push(key);
    try {
      pre.addAll(block(code)); // the helper's own calls, in terms of the caller's variables
    } finally {
      stack.pop();
    }
    inlined++;
    return new Expr.Read(result);
  }

  /**
   * Whether the array expression a helper returns is an array of its own (a new array, a call's
   * result, or a local holding one), never an argument or a row of one: inlined, the caller's
   * variable would otherwise become another name of the argument's array, an alias the front end
   * checks only in code the user wrote.
   */
  private static boolean fresh(Expr value, List<Stmt> body) {
    if (value instanceof Expr.NewArray || value instanceof Expr.DiffCall
        || value instanceof Expr.CustomCall) {
      return true;
    }
    if (!(value instanceof Expr.Read read)) {
      return false;
    }
    boolean[] declared = {false};
    boolean[] ok = {true};
    Stmt.all(body, true).forEach(s -> {
      if (s instanceof Stmt.Declare d && d.var() == read.var()) {
        declared[0] = true;
        ok[0] &= d.init() != null && !(d.init() instanceof Expr.Read)
            && fresh(d.init(), List.of());
      }
    });
    return declared[0] && ok[0];
  }

  /**
   * Whether a helper whose lowered body is {@code g} (null when it has none in this
   * compilation) may be inlined at some call site: not too large, and giving no array variable
   * another array. A helper for which this is false (or a recursive one) stays a call wherever
   * it is called.
   */
  public static boolean inlinable(Function g) {
    return g != null && statements(g.body()) <= MAX_STATEMENTS && nodes(g.body()) <= MAX_NODES
        && !reassignsArray(g.body());
  }

  /** Whether {@code g}, a helper's lowered body (or null), may be inlined for a call with {@code args}. */
  private static boolean inlinable(Function g, List<Expr> args) {
    // Arrays the helper declares become the caller's; inside the caller's loops and branches
    // they are arrays allocated per iteration or per branch, which the reverse transform keeps
    // as it keeps the caller's own.
    return g != null && g.params().size() == args.size()
        && statements(g.body()) <= MAX_STATEMENTS && nodes(g.body()) <= MAX_NODES
        && !reassignsArray(g.body());
  }

  /**
   * Inlines a call returning an array that {@code target} is given ({@code h = layer(h, l);},
   * or declared with when {@code declare}): the helper's statements into {@code pre}, then
   * {@code target} given the expression the helper returns. Only a helper whose one return is
   * its last statement is inlined so (the returned expression is evaluated where the call
   * was: after the helper's statements, which read the arguments, never {@code target}'s new
   * value). A null {@code target} is a new local named after the helper. Returns the target,
   * or null, with {@code pre} unchanged, when the call must stay a call.
   */
  private Var inlineArray(Callee callee, List<Expr> args, Var target, boolean declare,
      List<Stmt> pre, Source at) {
    String key = key(callee);
    Type type = target != null ? target.type() : callee.returnType();
    if (callee.outParameter() >= 0 || stack.contains(key) || stack.size() > MAX_DEPTH
        || type == null || type.dims() == 0 || !type.equals(callee.returnType())) {
      return null;
    }
    Function g = bodies.of(callee);
    if (!inlinable(g, args)) {
      return null;
    }
    g = ReturnNormalization.normalize(g);
    g = new Function(g.name(), g.params(), g.returnType(), conditionalReturns(g.body()),
        g.source());
    List<Stmt> body = g.body();
    if (body.isEmpty() || !(body.get(body.size() - 1) instanceof Stmt.Return r)
        || Uses.containsReturn(body.subList(0, body.size() - 1))
        || !type.equals(g.returnType()) || !fresh(r.value(), body)) {
      return null;
    }
    List<Stmt> code = new ArrayList<>();
    Renaming renaming = bind(callee, g, args, -1, code, at);
    if (renaming == null) {
      return null;
    }
    if (target == null) {
      target = new Var(names.allocate(callee.method()), callee.method(), type, Var.Kind.LOCAL);
    }
    for (Stmt s : body.subList(0, body.size() - 1)) {
      code.add(renaming.stmt(s));
    }
    Expr value = renaming.expr(r.value());
    Source source = renaming.source(r.source());
    code.add(declare ? new Stmt.Declare(target, value, source)
        : new Stmt.Assign(target, AssignOp.SET, value, source));
    stack.push(key);
    try {
      pre.addAll(block(code));
    } finally {
      stack.pop();
    }
    inlined++;
    return target;
  }

  /**
   * Inlines a call of a void helper that writes its out-parameter, inside a loop or a branch of
   * the caller: the helper's statements write the caller's array in place (the front end lowered
   * the helper so, see {@code MethodLowering.lowerForInlining}). False when it cannot be.
   */
  private boolean inlineInPlace(Callee callee, List<Expr> args, List<Stmt> pre) {
    String key = key(callee);
    int out = callee.outParameter();
    if (stack.contains(key) || stack.size() > MAX_DEPTH
        || !(args.get(out) instanceof Expr.Read h) || h.var().kind() == Var.Kind.PARAMETER) {
      return false;
    }
    Function g = bodies.of(callee);
    if (g == null || g.params().size() != args.size() || allocates(g.body())
        || reassignsArray(g.body())) {
      return false;
    }
    g = ReturnNormalization.normalize(g);
    List<Stmt> code = new ArrayList<>();
    Renaming renaming = bind(callee, g, args, out, code, Source.NONE);
    if (renaming == null) {
      return false;
    }
    List<Stmt> body = renaming.withoutReturns(g.body());
    if (body == null) {
      return false;
    }
    code.addAll(body);
    stack.push(key);
    try {
      pre.addAll(block(code));
    } finally {
      stack.pop();
    }
    inlined++;
    return true;
  }

  /**
   * How the helper's parameters become the caller's: each stands for its argument, or for a new
   * local declared in {@code binds}; null when an argument cannot be passed so. {@code out} is
   * the position of the out-parameter written in place, or -1.
   */
  private Renaming bind(Callee callee, Function g, List<Expr> args, int out, List<Stmt> binds,
      Source at) {
    Set<Var> assigned = Uses.assigned(g.body());
    Map<Var, Expr> arguments = new HashMap<>();
    Map<Var, Var> locals = new HashMap<>();
    String method = callee.method();
    for (int i = 0; i < args.size(); i++) {
      Var p = g.params().get(i).var();
      Expr a = args.get(i);
      if (i == out) {
        arguments.put(p, a);
      } else if (p.type().dims() > 0) {
        Var root = root(a);
        if (root == null || assigned.contains(p)) {
          return null; // not a variable or a row of one
        }
        if (!callee.params().get(i).differentiable() && p.type().isDifferentiable()
            && !inactive.contains(root)) {
          return null; // an array whose derivative the helper stops: keep it stopped
        }
        arguments.put(p, a);
      } else if (!assigned.contains(p)
          && (a instanceof Expr.Const || a instanceof Expr.Read r && r.var().type().dims() == 0
          || a instanceof Expr.StaticField)) {
        // a constant (a String literal, an enum constant) or a variable: the helper's parameter
        // stands for it
        arguments.put(p, a);
      } else if (p.type().prim() == Type.Prim.REFERENCE) {
        return null; // a String or enum computed at the call (?:): no local of its type
      } else {
        Var local = fresh(method, p);
        locals.put(p, local);
        binds.add(new Stmt.Declare(local, a, new Source(at.line(),
            "parameter " + p.sourceName() + " of " + method + " (inlined)")));
      }
    }
    return new Renaming(method, arguments, locals, v -> fresh(method, v));
  }

  /**
   * {@code body} with a last {@code if (c) return a; else return b;} (nested ones too) made one
   * {@code return c ? a : b;}: inlined, the helper's result is then one declaration, which the
   * caller's reverse sweep differentiates like any other.
   */
  private static List<Stmt> conditionalReturns(List<Stmt> body) {
    if (body.isEmpty() || !(body.get(body.size() - 1) instanceof Stmt.If i)) {
      return body;
    }
    List<Stmt> then = conditionalReturns(i.then());
    List<Stmt> otherwise = conditionalReturns(i.otherwise());
    if (then.size() == 1 && then.get(0) instanceof Stmt.Return a
        && otherwise.size() == 1 && otherwise.get(0) instanceof Stmt.Return b
        && a.value().type().equals(b.value().type())) {
      List<Stmt> out = new ArrayList<>(body.subList(0, body.size() - 1));
      out.add(new Stmt.Return(new Expr.Conditional(i.condition(), a.value(), b.value(),
          a.value().type()), new Source(i.source().line(), i.source().text() + " ... return")));
      return out;
    }
    return body;
  }

  /** The array variable {@code a} is, or whose row (with pure indices) it is; else null. */
  private static Var root(Expr a) {
    if (a instanceof Expr.Read r) {
      return r.var();
    }
    if (a instanceof Expr.Index i && Exprs.pure(i.index())) {
      return root(i.array());
    }
    return null;
  }

  private Var fresh(String method, Var v) {
    String name = names.allocate(method + Character.toUpperCase(v.sourceName().charAt(0))
        + v.sourceName().substring(1));
    return new Var(name, name, v.type(), v.kind() == Var.Kind.PARAMETER ? Var.Kind.LOCAL
        : v.kind());
  }

  // ------------------------------------------------------------------ sizes and names

  /**
   * Whether {@code stmts} give an array variable another array ({@code x = normalize(x)}, or a
   * parameter the front end localised): inlined, such a variable could become a row alias of the
   * caller's array given another array, which the reverse transform does not support (fuzz seed
   * 20250611 program 29), so such a helper is called.
   */
  private static boolean reassignsArray(List<Stmt> stmts) {
    return Stmt.any(stmts, true, s -> s instanceof Stmt.Assign a && a.target().type().dims() > 0);
  }

  /**
   * Whether {@code stmts} declare an array: a void helper written in place inside a loop or a
   * branch must not (see {@link #inlineInPlace}).
   */
  private static boolean allocates(List<Stmt> stmts) {
    return Stmt.any(stmts, true, s -> s instanceof Stmt.Declare d && d.var().type().dims() > 0);
  }

  private static int statements(List<Stmt> stmts) {
    return Stmt.all(stmts, true).size();
  }

  private static int nodes(List<Stmt> stmts) {
    int n = 0;
    for (Stmt s : Stmt.all(stmts, true)) {
      for (Expr e : s.expressions()) {
        n += nodes(e);
      }
    }
    return n;
  }

  private static int nodes(Expr e) {
    int n = 1;
    for (Expr o : Exprs.children(e)) {
      n += nodes(o);
    }
    return n;
  }

  private static void collectVars(List<Stmt> stmts, Set<Var> out) {
    for (Stmt s : Stmt.all(stmts, true)) {
      if (s instanceof Stmt.Declare d) {
        out.add(d.var());
      } else if (s instanceof Stmt.Assign a) {
        out.add(a.target());
      }
      for (Expr e : s.expressions()) {
        collectVars(e, out);
      }
    }
  }

  private static void collectVars(Expr e, Set<Var> out) {
    if (e instanceof Expr.Read r) {
      out.add(r.var());
    }
    Exprs.children(e).forEach(o -> collectVars(o, out));
  }
}
