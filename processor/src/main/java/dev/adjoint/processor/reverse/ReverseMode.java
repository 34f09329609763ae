package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.constant;
import static dev.adjoint.processor.ir.Exprs.convert;
import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.read;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Recording;
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
import dev.adjoint.processor.naming.GradNames;
import dev.adjoint.processor.naming.NameAllocator;
import dev.adjoint.processor.rules.MathRules;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode transform: from a normalised function to the body of its gradient method.
 *
 * <p>Each block that ends in a return becomes: its forward statements (the user's code, plus
 * saves of overwritten values the reverse sweep needs), the adjoint declarations of its
 * variables, the reverse sweep of its tail, then the reverse sweep of its statements in reverse
 * order. Locals declared in branches that do not return are hoisted to the enclosing such block,
 * because their reverse sweep runs outside the branch's Java scope.
 */
public final class ReverseMode {
  /**
   * The generated method body.
   *
   * @param body statements up to, not including, the final return of the record
   * @param value the variable holding the function's value
   * @param components the record's gradient components, one per differentiable parameter
   */
  public record Result(List<Stmt> body, Var value, List<Expr> components) {}

  private final Function function;
  private final Activity activity;
  private final Recording recording;
  private final NameAllocator names = new NameAllocator();
  private final Map<Var, Var> adjoints = new HashMap<>();
  private final Map<Stmt, Var> saved = new IdentityHashMap<>();
  private final Map<Stmt, Var> flags = new IdentityHashMap<>();
  private final Deque<Scope> scopes = new ArrayDeque<>();
  private final Var value;
  /** Variables some assignment saves before overwriting: they must always hold a value. */
  private final Set<Var> savedTargets = new HashSet<>();
  private int nonTailDepth;

  /** Variables and hoisted declarations of one tail block. */
  private static final class Scope {
    final List<Stmt> hoisted = new ArrayList<>();
    final List<Var> declared = new ArrayList<>();
  }

  private ReverseMode(Function function, Activity activity, Recording recording) {
    this.function = function;
    this.activity = activity;
    this.recording = recording;
    for (Function.Param p : function.params()) {
      names.reserve(p.var().name());
    }
    for (Var v : Uses.assigned(function.body())) {
      names.reserve(v.name());
    }
    this.value = newVar("value", function.returnType());
    collectSavedTargets(function.body());
  }

  /** Transforms {@code f}, whose body must be {@linkplain ReturnNormalization normalised}. */
  public static Result transform(Function f, Activity activity, Recording recording) {
    ReverseMode m = new ReverseMode(f, activity, recording);
    List<Stmt> body = m.tailBlock(f.body(), true);
    List<Expr> components = new ArrayList<>();
    for (Function.Param p : f.params()) {
      if (p.differentiable()) {
        components.add(activity.isActive(p.var()) ? read(m.adjoint(p.var()))
            : constant(0, p.var().type()));
      }
    }
    return new Result(body, m.value, components);
  }

  // ---------------------------------------------------------------- blocks

  private List<Stmt> tailBlock(List<Stmt> block, boolean top) {
    if (block.isEmpty()) {
      throw new IllegalStateException("block does not end in a return");
    }
    Scope scope = new Scope();
    scopes.push(scope);
    if (top) {
      for (Function.Param p : function.params()) {
        scope.declared.add(p.var());
      }
    }
    List<Stmt> prefix = block.subList(0, block.size() - 1);
    Stmt tail = block.get(block.size() - 1);

    List<Stmt> forward = new ArrayList<>();
    for (Stmt s : prefix) {
      forward(s, forward);
    }
    List<Stmt> tailCode = new ArrayList<>();
    if (tail instanceof Stmt.Return r) {
      forward.add(top ? new Stmt.Declare(value, r.value(), r.source())
          : new Stmt.Assign(value, AssignOp.SET, r.value(), r.source()));
      List<Stmt> rev = new ArrayList<>();
      propagate(r.value(), constant(1, function.returnType()), rev);
      comment(r.source(), rev, tailCode);
    } else if (tail instanceof Stmt.If i) {
      if (top) {
        forward.add(new Stmt.Declare(value, null, Source.NONE));
      }
      tailCode.add(new Stmt.If(i.condition(), tailBlock(i.then(), false),
          tailBlock(i.otherwise(), false), i.source()));
    } else {
      throw new IllegalStateException("block ends in " + tail);
    }
    List<Stmt> reverse = new ArrayList<>();
    for (int k = prefix.size() - 1; k >= 0; k--) {
      reverse(prefix.get(k), reverse);
    }
    scopes.pop();

    List<Stmt> out = new ArrayList<>(scope.hoisted);
    out.addAll(forward);
    List<Stmt> adjointDecls = new ArrayList<>();
    for (Var v : scope.declared) {
      if (activity.isActive(v)) {
        adjointDecls.add(new Stmt.Declare(adjoint(v), constant(0, v.type()), Source.NONE));
      }
    }
    if (top || !adjointDecls.isEmpty()) {
      out.add(new Stmt.Blank());
      out.add(new Stmt.Comment(top ? "Reverse sweep: adjoints of the variables, "
          + "then each statement's chain rule, last to first" : "Reverse sweep of this branch"));
    }
    out.addAll(adjointDecls);
    out.addAll(tailCode);
    out.addAll(reverse);
    return out;
  }

  // ---------------------------------------------------------------- forward sweep

  private void forward(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Declare d) {
      scopes.peek().declared.add(d.var());
      if (nonTailDepth > 0) {
        hoist(d.var());
        if (d.init() != null) {
          out.add(new Stmt.Assign(d.var(), AssignOp.SET, d.init(), d.source()));
        }
      } else if (d.init() == null && savedTargets.contains(d.var())) {
        // A save may read the variable on a path where the user's code has not assigned it
        // yet (it then saves a value no path uses); javac requires it to be assigned.
        out.add(new Stmt.Declare(d.var(), zero(d.var().type()), d.source()));
      } else {
        out.add(d);
      }
    } else if (s instanceof Stmt.Assign a) {
      if (recording.needsSave(a)) {
        Var save = newVar(a.target().name() + "Before", a.target().type());
        saved.put(a, save);
        declare(save, read(a.target()), out);
      }
      out.add(a);
    } else if (s instanceof Stmt.If i) {
      Expr condition = i.condition();
      if (recording.needsFlag(i)) {
        Var flag = newVar("branch", Type.BOOLEAN);
        flags.put(i, flag);
        declare(flag, condition, out);
        condition = read(flag);
      }
      nonTailDepth++;
      List<Stmt> then = new ArrayList<>();
      i.then().forEach(t -> forward(t, then));
      List<Stmt> otherwise = new ArrayList<>();
      i.otherwise().forEach(t -> forward(t, otherwise));
      nonTailDepth--;
      out.add(new Stmt.If(condition, then, otherwise, i.source()));
    } else {
      throw new IllegalStateException("unexpected statement in forward sweep: " + s);
    }
  }

  /** Declares a generated variable, hoisting it when the current block is not a tail block. */
  private void declare(Var v, Expr init, List<Stmt> out) {
    if (nonTailDepth > 0) {
      hoist(v);
      out.add(new Stmt.Assign(v, AssignOp.SET, init, Source.NONE));
    } else {
      out.add(new Stmt.Declare(v, init, Source.NONE));
    }
  }

  private void hoist(Var v) {
    scopes.peek().hoisted.add(new Stmt.Declare(v, zero(v.type()), Source.NONE));
  }

  private static Expr zero(Type t) {
    return t.equals(Type.BOOLEAN) ? new Expr.Const(false, Type.BOOLEAN) : constant(0, t);
  }

  private void collectSavedTargets(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Assign a && recording.needsSave(a)) {
        savedTargets.add(a.target());
      } else if (s instanceof Stmt.If i) {
        collectSavedTargets(i.then());
        collectSavedTargets(i.otherwise());
      }
    }
  }

  // ---------------------------------------------------------------- reverse sweep

  private void reverse(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Declare d) {
      if (d.init() != null && activity.isActive(d.var())) {
        List<Stmt> code = new ArrayList<>();
        propagate(d.init(), read(adjoint(d.var())), code);
        comment(d.source(), code, out);
      }
    } else if (s instanceof Stmt.Assign a) {
      List<Stmt> code = new ArrayList<>();
      Var save = saved.get(a);
      if (save != null) {
        code.add(new Stmt.Assign(a.target(), AssignOp.SET, read(save), Source.NONE));
      }
      if (activity.isActive(a.target())) {
        assignmentAdjoint(a, code);
      }
      comment(a.source(), code, out);
    } else if (s instanceof Stmt.If i) {
      List<Stmt> then = new ArrayList<>();
      for (int k = i.then().size() - 1; k >= 0; k--) {
        reverse(i.then().get(k), then);
      }
      List<Stmt> otherwise = new ArrayList<>();
      for (int k = i.otherwise().size() - 1; k >= 0; k--) {
        reverse(i.otherwise().get(k), otherwise);
      }
      if (!then.isEmpty() || !otherwise.isEmpty()) {
        Var flag = flags.get(i);
        Expr condition = flag != null ? read(flag) : i.condition();
        comment(i.source(), List.of(new Stmt.If(condition, then, otherwise, i.source())), out);
      }
    } else {
      throw new IllegalStateException("unexpected statement in reverse sweep: " + s);
    }
  }

  private static void comment(Source source, List<Stmt> code, List<Stmt> out) {
    if (code.isEmpty()) {
      return;
    }
    if (source.line() > 0) {
      out.add(new Stmt.Comment("line " + source.line() + ": " + source.text()));
    }
    out.addAll(code);
  }

  /** The reverse of {@code v op= e} for an active {@code v}, whose old value is restored. */
  private void assignmentAdjoint(Stmt.Assign a, List<Stmt> out) {
    Var v = a.target();
    Var dv = adjoint(v);
    Expr e = a.value();
    boolean selfReference = Uses.differentiable(e).contains(v);
    boolean carries = Uses.dependsOn(e, activity.active());
    if (!selfReference) {
      switch (a.op()) {
        case SET -> {
          if (carries) {
            propagate(e, read(dv), out);
          }
          out.add(new Stmt.Assign(dv, AssignOp.SET, constant(0, dv.type()), Source.NONE));
          return;
        }
        case ADD -> {
          propagate(e, read(dv), out);
          return;
        }
        case SUB -> {
          propagate(e, neg(read(dv)), out);
          return;
        }
        case MUL -> {
          propagate(e, mul(read(dv), read(v)), out);
          scale(dv, BinaryOp.MUL, e, out);
          return;
        }
        case DIV -> {
          propagate(e, neg(div(mul(read(dv), read(v)), mul(e, e))), out);
          scale(dv, BinaryOp.DIV, e, out);
          return;
        }
        default -> { }
      }
    }
    // General case: the adjoint of the new value flows through the whole right-hand side,
    // which may read the variable's old value.
    Var next = newVar(dv.name() + "New", dv.type());
    out.add(new Stmt.Declare(next, read(dv), Source.NONE));
    out.add(new Stmt.Assign(dv, AssignOp.SET, constant(0, dv.type()), Source.NONE));
    propagate(Recording.asExpression(a), read(next), out);
  }

  /** {@code dv *= e} or {@code dv /= e}, with an explicit cast when the types differ. */
  private static void scale(Var dv, BinaryOp op, Expr e, List<Stmt> out) {
    if (e.type().equals(dv.type())) {
      out.add(new Stmt.Assign(dv, op == BinaryOp.MUL ? AssignOp.MUL : AssignOp.DIV, e,
          Source.NONE));
    } else {
      Expr scaled = op == BinaryOp.MUL ? mul(read(dv), e) : div(read(dv), e);
      out.add(new Stmt.Assign(dv, AssignOp.SET, convert(scaled, dv.type()), Source.NONE));
    }
  }

  /** Emits the statements that add {@code seed} times d{@code e} to the adjoints it reaches. */
  private void propagate(Expr e, Expr seed, List<Stmt> out) {
    if (!Uses.dependsOn(e, activity.active())) {
      return;
    }
    if (e instanceof Expr.Read r) {
      Var dv = adjoint(r.var());
      out.add(new Stmt.Assign(dv, AssignOp.ADD, convert(seed, dv.type()), Source.NONE));
    } else if (e instanceof Expr.Unary u) {
      propagate(u.operand(), neg(seed), out);
    } else if (e instanceof Expr.Cast c) {
      propagate(c.operand(), convert(seed, c.operand().type()), out);
    } else if (e instanceof Expr.Binary b) {
      boolean both = active(b.left()) && active(b.right());
      Expr s = bind(seed, both, binaryHint(b.op()), out);
      switch (b.op()) {
        case ADD -> {
          propagate(b.left(), s, out);
          propagate(b.right(), s, out);
        }
        case SUB -> {
          propagate(b.left(), s, out);
          propagate(b.right(), neg(s), out);
        }
        case MUL -> {
          propagate(b.left(), mul(s, b.right()), out);
          propagate(b.right(), mul(s, b.left()), out);
        }
        case DIV -> {
          propagate(b.left(), div(s, b.right()), out);
          propagate(b.right(), neg(div(mul(s, b.left()), mul(b.right(), b.right()))), out);
        }
        case REM -> {
          // a % b == a - b * trunc(a / b), and trunc(a / b) == (a - a % b) / b
          propagate(b.left(), s, out);
          propagate(b.right(), neg(mul(s, div(sub(b.left(), b), b.right()))), out);
        }
        default -> throw new IllegalStateException("no derivative for operator " + b.op());
      }
    } else if (e instanceof Expr.Conditional c) {
      Expr s = bind(seed, active(c.ifTrue()) && active(c.ifFalse()), "dChoice", out);
      List<Stmt> then = new ArrayList<>();
      propagate(c.ifTrue(), s, then);
      List<Stmt> otherwise = new ArrayList<>();
      propagate(c.ifFalse(), s, otherwise);
      out.add(new Stmt.If(c.condition(), then, otherwise, Source.NONE));
    } else if (e instanceof Expr.LibraryCall c && MathRules.isSelection(c)) {
      // max and min pass the whole adjoint to the argument they selected (the first on a tie).
      Expr s = bind(seed, active(c.args().get(0)) && active(c.args().get(1)),
          "d" + GradNames.capitalize(c.name()), out);
      List<Stmt> first = new ArrayList<>();
      propagate(c.args().get(0), s, first);
      List<Stmt> second = new ArrayList<>();
      propagate(c.args().get(1), s, second);
      out.add(new Stmt.If(MathRules.selectsFirst(c), first, second, Source.NONE));
    } else if (e instanceof Expr.LibraryCall c) {
      List<Expr> partials = MathRules.partials(c);
      int count = 0;
      for (int i = 0; i < partials.size(); i++) {
        if (partials.get(i) != null && active(c.args().get(i))) {
          count++;
        }
      }
      Expr s = bind(seed, count > 1, "d" + GradNames.capitalize(c.name()), out);
      for (int i = 0; i < partials.size(); i++) {
        if (partials.get(i) != null) {
          propagate(c.args().get(i), mul(s, partials.get(i)), out);
        }
      }
    } else if (e instanceof Expr.DiffCall c) {
      Expr.GradCall call = new Expr.GradCall(c.callee(), c.args());
      Var gradient = newVar(c.callee().method() + "Grad", call.type());
      out.add(new Stmt.Declare(gradient, call, Source.NONE));
      int count = 0;
      for (int i = 0; i < c.args().size(); i++) {
        if (c.callee().params().get(i).differentiable() && active(c.args().get(i))) {
          count++;
        }
      }
      Expr s = bind(seed, count > 1, "d" + GradNames.capitalize(c.callee().method()), out);
      for (int i = 0; i < c.args().size(); i++) {
        var p = c.callee().params().get(i);
        if (p.differentiable()) {
          Expr partial = new Expr.Component(read(gradient), p.name(), p.type());
          propagate(c.args().get(i), mul(s, partial), out);
        }
      }
    }
  }

  private boolean active(Expr e) {
    return Uses.dependsOn(e, activity.active());
  }

  /** Binds a non-trivial seed to a local when it would otherwise be computed twice. */
  private Expr bind(Expr seed, boolean sharedByTwo, String hint, List<Stmt> out) {
    if (!sharedByTwo || Exprs.isTrivial(seed)) {
      return seed;
    }
    Var t = newVar(hint, seed.type());
    out.add(new Stmt.Declare(t, seed, Source.NONE));
    return read(t);
  }

  private static String binaryHint(BinaryOp op) {
    return switch (op) {
      case ADD -> "dSum";
      case SUB -> "dDifference";
      case MUL -> "dProduct";
      case DIV -> "dQuotient";
      default -> "dRemainder";
    };
  }

  private Var adjoint(Var v) {
    return adjoints.computeIfAbsent(v,
        k -> newVar(GradNames.adjointName(k.sourceName()), k.type()));
  }

  private Var newVar(String preferred, Type type) {
    return new Var(names.allocate(preferred), preferred, type, Var.Kind.GENERATED);
  }
}
