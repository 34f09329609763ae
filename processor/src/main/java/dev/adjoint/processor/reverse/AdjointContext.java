package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.NonFinite;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.GradNames;
import dev.adjoint.processor.naming.NameAllocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * State shared by the parts of the reverse-mode transform: the names in use, the adjoint of each
 * variable, the tape and the scratch arena (each created on first use).
 */
final class AdjointContext {
  final Function function;
  final Activity activity;
  /** Which values and partials can be non-finite, for {@link Guards}. */
  final NonFinite nonFinite;
  private final NameAllocator names = new NameAllocator();
  private final Map<Var, Var> adjoints = new HashMap<>();
  private Var tape;
  private Var scratch;

  /**
   * A context for {@code function}; {@code scratch} is the frame of the scratch arena that its
   * body already takes buffers from (see {@link dev.adjoint.processor.transform.LoopInterchange}),
   * or null.
   */
  AdjointContext(Function function, Activity activity, Var scratch) {
    this(function, activity, scratch, c -> false);
  }

  /**
   * Which callees' generated classes have the seeded accumulating form of a scalar function,
   * {@code f(args..., seed, accumulator)}, which adds {@code seed} times the gradient into the
   * accumulator's buffers (array results always take a seed).
   */
  final java.util.function.Predicate<dev.adjoint.processor.ir.Callee> seededForms;

  AdjointContext(Function function, Activity activity, Var scratch,
      java.util.function.Predicate<dev.adjoint.processor.ir.Callee> seededForms) {
    this.seededForms = seededForms;
    this.function = function;
    this.activity = activity;
    this.nonFinite = NonFinite.of(function);
    this.scratch = scratch;
    if (scratch != null) {
      names.reserve(scratch.name());
    }
    for (Function.Param p : function.params()) {
      names.reserve(p.var().name());
    }
    for (Var v : Uses.assigned(function.body())) {
      names.reserve(v.name());
    }
  }

  /**
   * The inactive arrays that array variable {@code v} is at some point given as a whole
   * ({@code float[] h = x} with {@code x} a {@code @NoDerivative} batch): where {@code v} still
   * refers to one of them, its adjoint flows nowhere, so a pullback need not compute it.
   */
  List<Var> inactiveSources(Var v) {
    if (inactiveSources == null) {
      inactiveSources = new HashMap<>();
      collectInactiveSources(function.body());
    }
    return inactiveSources.getOrDefault(v, List.of());
  }

  private Map<Var, List<Var>> inactiveSources;

  /**
   * {@code v == x || v == y} over the inactive arrays {@code v} may hold
   * ({@link #inactiveSources}), or null when it holds none.
   */
  Expr holdsInactive(Var v) {
    Expr test = null;
    for (Var src : inactiveParameters(v)) {
      Expr same = new Expr.Binary(dev.adjoint.processor.ir.BinaryOp.EQ, new Expr.Read(v),
          new Expr.Read(src), Type.BOOLEAN);
      test = test == null ? same
          : new Expr.Binary(dev.adjoint.processor.ir.BinaryOp.OR, test, same, Type.BOOLEAN);
    }
    return test;
  }

  /**
   * The {@link #inactiveSources} of {@code v} that are parameters (the batch {@code x}), which
   * a test may name anywhere in the method; a local array declared in a block may be out of
   * scope where the test would go.
   */
  List<Var> inactiveParameters(Var v) {
    return inactiveSources(v).stream().filter(s -> s.kind() == Var.Kind.PARAMETER).toList();
  }

  /**
   * {@link #holdsInactive} for an array variable whose adjoint may be null while it holds an
   * inactive array (a layer loop's {@code h} while it is the batch {@code x}): one that the
   * function reads only as an array argument of functions with hand-written pullbacks, which
   * then get null for its adjoint and skip it, or for its length. Null otherwise: its adjoint is
   * always a buffer.
   */
  Expr adjointMayBeNull(Var v) {
    if (inactiveParameters(v).isEmpty()) {
      return null;
    }
    if (onlyPullbackReads == null) {
      onlyPullbackReads = new HashMap<>();
    }
    boolean only = onlyPullbackReads.computeIfAbsent(v,
        k -> readsOnlyAsPullbackArgument(function.body(), k));
    return only ? holdsInactive(v) : null;
  }

  private Map<Var, Boolean> onlyPullbackReads;

  private static boolean readsOnlyAsPullbackArgument(List<Stmt> stmts, Var v) {
    for (Stmt s : stmts) {
      for (Expr e : s.expressions()) {
        if (!readsOnlyAsPullbackArgument(e, v)) {
          return false;
        }
      }
      if (s instanceof Stmt.If i && !(readsOnlyAsPullbackArgument(i.then(), v)
          && readsOnlyAsPullbackArgument(i.otherwise(), v))) {
        return false;
      }
      if (s instanceof Stmt.Loop l && !(readsOnlyAsPullbackArgument(l.init(), v)
          && readsOnlyAsPullbackArgument(l.body(), v)
          && readsOnlyAsPullbackArgument(l.update(), v)
          && (l.condition() == null || readsOnlyAsPullbackArgument(l.condition(), v)))) {
        return false;
      }
    }
    return true;
  }

  private static boolean readsOnlyAsPullbackArgument(Expr e, Var v) {
    if (e instanceof Expr.Read r) {
      return r.var() != v;
    }
    if (e instanceof Expr.Length l && l.array() instanceof Expr.Read r && r.var() == v) {
      return true;
    }
    if (e.receiver() == v) {
      return false;
    }
    for (Expr operand : e.operands()) {
      boolean argument = e instanceof Expr.CustomCall && operand instanceof Expr.Read r
          && r.var() == v;
      if (!argument && !readsOnlyAsPullbackArgument(operand, v)) {
        return false;
      }
    }
    return true;
  }

  private void collectInactiveSources(List<Stmt> stmts) {
    for (Stmt s : Stmt.all(stmts, true)) {
      Var target = s instanceof Stmt.Declare d ? d.var()
          : s instanceof Stmt.Assign a ? a.target() : null;
      Expr value = s instanceof Stmt.Declare d ? d.init()
          : s instanceof Stmt.Assign a ? a.value() : null;
      if (target != null && target.type().dims() > 0 && value instanceof Expr.Read r
          && !activity.isActive(r.var())) {
        List<Var> sources = inactiveSources.computeIfAbsent(target, k -> new ArrayList<>());
        if (!sources.contains(r.var())) {
          sources.add(r.var());
        }
      }
    }
  }

  /** A fresh generated variable named {@code preferred} or a numbered variant. */
  Var newVar(String preferred, Type type) {
    return new Var(names.allocate(preferred), preferred, type, Var.Kind.GENERATED);
  }

  /** The adjoint of {@code v}: {@code dW} for {@code w}. */
  Var adjoint(Var v) {
    return adjoints.computeIfAbsent(v,
        k -> newVar(GradNames.adjointName(k.name()), k.type()));
  }

  /** The variable whose adjoint {@code adjoint} is, or null when it is none. */
  Var primal(Var adjoint) {
    for (Map.Entry<Var, Var> e : adjoints.entrySet()) {
      if (e.getValue() == adjoint) {
        return e.getKey();
      }
    }
    return null;
  }

  boolean hasAdjoint(Var v) {
    return adjoints.containsKey(v);
  }

  /** The adjoint arrays of the function's arrays (parameters and locals) so far. */
  Set<Var> adjointArrays() {
    Set<Var> out = new HashSet<>();
    for (Var v : activity.active()) {
      if (v.type().dims() > 0 && hasAdjoint(v)) {
        out.add(adjoint(v));
      }
    }
    return out;
  }

  /** The adjoint of an array expression: {@code dW[i]} for {@code w[i]}. */
  Expr adjointArray(Expr array) {
    if (array instanceof Expr.Read r) {
      return new Expr.Read(adjoint(r.var()));
    }
    if (array instanceof Expr.Index i) {
      return new Expr.Index(adjointArray(i.array()), i.index(), i.type());
    }
    throw new IllegalStateException("no adjoint for array expression " + array);
  }

  /** True when the array expression {@code e} denotes storage whose adjoint exists. */
  boolean isAddressable(Expr e) {
    return e instanceof Expr.Read || e instanceof Expr.Index i && isAddressable(i.array());
  }

  /** The thread's tape, declared once at the top of the generated method. */
  Var tape() {
    if (tape == null) {
      tape = newVar("tape", Type.TAPE);
    }
    return tape;
  }

  Var tapeOrNull() {
    return tape;
  }

  /**
   * The frame of the thread's scratch arena, from which the adjoints of local arrays are taken
   * (see {@code dev.adjoint.Scratch}); the generated method opens it around its body.
   */
  Var scratch() {
    if (scratch == null) {
      scratch = newVar("scratch", Type.SCRATCH);
    }
    return scratch;
  }

  Var scratchOrNull() {
    return scratch;
  }

  /** {@code tape.pushX(value)} for the type of {@code value}. */
  Stmt push(Expr value) {
    return new Stmt.Eval(new Expr.RuntimeCall(tape(), null, "push" + tapeKind(value.type()),
        List.of(value), Type.BOOLEAN));
  }

  /** {@code tape.popX()}, converted to {@code type}. */
  Expr pop(Type type) {
    String kind = tapeKind(type);
    Type stored = switch (kind) {
      case "Double" -> Type.DOUBLE;
      case "Long" -> Type.LONG;
      case "Boolean" -> Type.BOOLEAN;
      case "Object" -> Type.reference("Object");
      default -> Type.INT;
    };
    Expr call = new Expr.RuntimeCall(tape(), null, "pop" + kind, List.of(), stored);
    return stored.equals(type) ? call : new Expr.Cast(type, call, true);
  }

  private static String tapeKind(Type t) {
    if (t.dims() > 0) {
      return "Object"; // the reference to an array, never its elements
    }
    return switch (t.prim()) {
      case DOUBLE, FLOAT -> "Double";
      case LONG -> "Long";
      case BOOLEAN -> "Boolean";
      default -> "Int";
    };
  }
}
