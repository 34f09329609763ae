package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.constant;
import static dev.adjoint.processor.ir.Exprs.convert;
import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse-mode transform: from a normalised function to the body of its gradient method.
 *
 * <p>Each block that ends in a return becomes: its forward statements (the user's code, plus
 * saves of overwritten values the reverse sweep needs), the adjoint declarations of its
 * variables, the reverse sweep of its tail, then the reverse sweep of its statements in reverse
 * order. A loop's reverse sweep is a loop running the other way: counted loops count their index
 * back down, other loops replay their recorded trip count; each reverse iteration first
 * recomputes the body's cheap locals, then walks the body backwards. Values the reverse sweep
 * needs from inside loops go on the per-thread {@link dev.adjoint.Tape}, everywhere else into
 * plain locals.
 */
public final class ReverseMode {
  /**
   * The generated method body.
   *
   * @param body statements up to, not including, the final return
   * @param value the variable holding the function's value
   * @param params each parameter with its adjoint (null when it has none)
   * @param seed the extra parameter of array-returning functions, else null
   * @param gradient the accumulator parameter of the accumulating form, else null
   * @param tape the tape variable, declared at the top of {@code body}, or null
   */
  public record Result(List<Stmt> body, Var value, List<ParamAdjoint> params, Var seed,
      Var gradient, Var tape) {}

  /** A parameter and its adjoint variable (null when inactive or not differentiable). */
  public record ParamAdjoint(Function.Param param, Var adjoint) {}

  private final AdjointContext ctx;
  private final Propagation prop;
  private final Function function;
  private final Activity activity;
  private final Recording recording;
  private final Loops loops;
  private final Var value;
  private final Var seed;
  private final Var gradient;
  private final Map<Stmt, Var> saved = new IdentityHashMap<>();
  private final Map<Stmt, Var> flags = new IdentityHashMap<>();
  private final Map<Stmt.Loop, Var> counts = new IdentityHashMap<>();
  private final Map<Stmt.Loop, List<Var>> loopDeclared = new IdentityHashMap<>();
  private final Map<Var, Expr> declaredInit = new HashMap<>();
  /** Reverse bodies (without recomputation) of loops that {@link #fusion} may fuse. */
  private final Map<Stmt.Loop, List<Stmt>> fusableBodies = new IdentityHashMap<>();
  private final Deque<List<Stmt>> hoistTargets = new ArrayDeque<>();
  private final Deque<List<Var>> adjointScopes = new ArrayDeque<>();
  private int nonTailDepth;
  /** Set while forwarding the header of a loop whose variables the reverse loop reads. */
  private boolean hoistLoopVariables;

  private ReverseMode(Function function, Activity activity, Recording recording, Loops loops,
      boolean accumulate) {
    this.ctx = new AdjointContext(function, activity);
    this.prop = new Propagation(ctx);
    this.function = function;
    this.activity = activity;
    this.recording = recording;
    this.loops = loops;
    this.value = ctx.newVar("value", function.returnType());
    this.seed = function.returnType().dims() > 0 ? ctx.newVar("seed", function.returnType())
        : null;
    this.gradient = accumulate ? ctx.newVar("gradient", Type.reference("Accumulator")) : null;
  }

  /**
   * Transforms {@code f}, whose body must be {@linkplain ReturnNormalization normalised}. With
   * {@code accumulate}, array parameters' adjoints are the fields of the {@code gradient}
   * accumulator (the caller's buffers) instead of new arrays.
   */
  public static Result transform(Function f, Activity activity, Recording recording,
      Loops loops, boolean accumulate) {
    ReverseMode m = new ReverseMode(f, activity, recording, loops, accumulate);
    List<Stmt> body = m.tailBlock(f.body(), true);
    List<Var> scalarAdjoints = new ArrayList<>();
    for (Var v : activity.active()) {
      if (v.type().isFloating() && m.ctx.hasAdjoint(v) && v.kind() != Var.Kind.PARAMETER) {
        scalarAdjoints.add(m.ctx.adjoint(v));
      }
    }
    body = ConstantAdjoints.apply(body, scalarAdjoints);
    body = FirstUpdates.apply(body);
    List<ParamAdjoint> params = new ArrayList<>();
    for (Function.Param p : f.params()) {
      boolean has = p.differentiable() && activity.isActive(p.var());
      params.add(new ParamAdjoint(p, has ? m.ctx.adjoint(p.var()) : null));
    }
    Var tape = m.ctx.tapeOrNull();
    if (tape != null) {
      List<Stmt> withTape = new ArrayList<>();
      withTape.add(body.get(0)); // the opening comment
      body = body.subList(1, body.size());
      withTape.add(new Stmt.Declare(tape,
          new Expr.RuntimeCall(null, "Tape", "get", List.of(), Type.TAPE), Source.NONE));
      withTape.addAll(body);
      body = withTape;
    }
    return new Result(body, m.value, params, m.seed, m.gradient, tape);
  }

  // ---------------------------------------------------------------- blocks

  private List<Stmt> tailBlock(List<Stmt> block, boolean top) {
    if (block.isEmpty()) {
      throw new IllegalStateException("block does not end in a return");
    }
    List<Stmt> hoisted = new ArrayList<>();
    List<Var> declared = new ArrayList<>();
    hoistTargets.push(hoisted);
    adjointScopes.push(declared);
    if (top) {
      for (Function.Param p : function.params()) {
        declared.add(p.var());
      }
    }
    List<Stmt> prefix = block.subList(0, block.size() - 1);
    Stmt tail = block.get(block.size() - 1);

    List<Stmt> forward = new ArrayList<>();
    int[] forwardStart = new int[prefix.size() + 1];
    for (int k = 0; k < prefix.size(); k++) {
      forwardStart[k] = forward.size();
      forward(prefix.get(k), forward);
    }
    forwardStart[prefix.size()] = forward.size();
    List<Stmt> tailCode = new ArrayList<>();
    if (tail instanceof Stmt.Return r) {
      Expr result = r.value();
      if (result instanceof Expr.Read a && restoresElementsOf(a.var())) {
        // The reverse sweep restores the array's old elements: return a copy of the result.
        result = new Expr.RuntimeCall(a.var(), null, "clone", List.of(), a.type());
      }
      forward.add(top ? new Stmt.Declare(value, result, r.source())
          : new Stmt.Assign(value, AssignOp.SET, result, r.source()));
      List<Stmt> rev = new ArrayList<>();
      if (r.value().type().dims() > 0) {
        prop.array(r.value(), read(seed), null, rev);
      } else {
        prop.scalar(r.value(), constant(1, function.returnType()), rev);
      }
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
    int[] reverseStart = new int[prefix.size() + 1];
    reverseStart[prefix.size()] = 0;
    for (int k = prefix.size() - 1; k >= 0; k--) {
      reverse(prefix.get(k), reverse);
      reverseStart[k] = reverse.size(); // reverse of prefix k ends here (it runs last to first)
    }
    hoistTargets.pop();
    adjointScopes.pop();
    Fusion fusion = tail instanceof Stmt.Return
        ? fusion(prefix, forward, forwardStart, reverse, reverseStart, tailCode) : null;

    List<Stmt> out = new ArrayList<>();
    if (top) {
      out.add(new Stmt.Comment("Forward sweep: the original code, saving what the reverse "
          + "sweep needs"));
    }
    if (!hoisted.isEmpty()) {
      out.add(new Stmt.Comment("Declared up front: the reverse sweep reads them outside "
          + "their blocks"));
      out.addAll(hoisted);
    }
    List<Stmt> adjointDecls = adjointDeclarations(declared, top);
    if (fusion != null) {
      // The last loop runs its reverse iterations inside its forward ones (see fusion()).
      out.addAll(forward.subList(0, fusion.forwardFrom()));
      out.add(new Stmt.Blank());
      out.add(new Stmt.Comment("Reverse sweep: dV accumulates the derivative of value with "
          + "respect to v; the last loop's reverse runs within it"));
      out.addAll(adjointDecls);
      out.addAll(tailCode);
      out.addAll(reverse.subList(0, fusion.reverseFrom()));
      comment(fusion.loop().source(), List.of(fusion.loop()), out);
      out.addAll(forward.subList(fusion.forwardTo(), forward.size()));
      out.addAll(reverse.subList(fusion.reverseTo(), reverse.size()));
      return out;
    }
    out.addAll(forward);
    if (top || !adjointDecls.isEmpty()) {
      out.add(new Stmt.Blank());
      out.add(new Stmt.Comment(top ? "Reverse sweep: dV accumulates the derivative of "
          + "value with respect to v, statements last to first" : "Reverse sweep of this branch"));
    }
    out.addAll(adjointDecls);
    out.addAll(tailCode);
    out.addAll(reverse);
    return out;
  }

  /**
   * A loop whose reverse iterations run inside its forward iterations, as hand-written gradients
   * do: one pass over the data instead of two.
   *
   * @param loop the fused loop
   * @param forwardFrom where the loop's forward code starts in the forward statements
   * @param forwardTo where it ends
   * @param reverseFrom where the loop's reverse code starts in the reverse statements
   * @param reverseTo where it ends
   */
  private record Fusion(Stmt.Loop loop, int forwardFrom, int forwardTo, int reverseFrom,
      int reverseTo) {}

  /**
   * Fuses the block's last loop with its reverse when that is sound: a counted loop without
   * jumps whose reverse iterations commute and record nothing, followed only by statements whose
   * reverse reads nothing the loop or they assign (so their reverse can run before the loop,
   * giving the loop's adjoints their final values first), none of them declaring arrays or
   * saving values.
   */
  private Fusion fusion(List<Stmt> prefix, List<Stmt> forward, int[] forwardStart,
      List<Stmt> reverse, int[] reverseStart, List<Stmt> tailCode) {
    int at = -1;
    for (int k = prefix.size() - 1; k >= 0; k--) {
      if (prefix.get(k) instanceof Stmt.Loop) {
        at = k;
        break;
      }
    }
    if (at < 0) {
      return null;
    }
    Stmt.Loop l = (Stmt.Loop) prefix.get(at);
    List<Stmt> reverseBody = fusableBodies.get(l);
    List<Stmt> forwardCode = forward.subList(forwardStart[at], forwardStart[at + 1]);
    if (reverseBody == null || loops.counted(l) == null || Uses.jumps(l.body(), true)
        || forwardCode.size() != 1 || !(forwardCode.get(0) instanceof Stmt.Loop forwardLoop)) {
      return null;
    }
    List<Stmt> after = prefix.subList(at + 1, prefix.size());
    java.util.Set<Var> assigned = Uses.assigned(List.of(l));
    assigned.addAll(Uses.assigned(after));
    for (Stmt s : after) {
      if (s instanceof Stmt.Declare d && d.var().type().dims() > 0 || recording.needsSave(s)
          || s instanceof Stmt.If || s instanceof Stmt.Loop) {
        return null;
      }
    }
    List<Stmt> moved = new ArrayList<>(reverse.subList(0, reverseStart[at + 1]));
    moved.addAll(tailCode);
    for (Var v : IterationOrder.reads(moved)) {
      if (assigned.contains(v)) {
        return null;
      }
    }
    List<Stmt> body = new ArrayList<>(forwardLoop.body());
    body.add(new Stmt.Comment("reverse of this iteration (iterations only add into adjoints)"));
    body.addAll(reverseBody);
    Stmt.Loop fused = new Stmt.Loop(forwardLoop.init(), forwardLoop.condition(),
        forwardLoop.update(), body, true, l.source());
    return new Fusion(fused, forwardStart[at], forwardStart[at + 1], reverseStart[at + 1],
        reverseStart[at]);
  }

  private boolean restoresElementsOf(Var array) {
    for (Stmt s : saved.keySet()) {
      if (s instanceof Stmt.Store st && Uses.storeBase(st) == array) {
        return true;
      }
    }
    return false;
  }

  private List<Stmt> adjointDeclarations(List<Var> vars, boolean top) {
    List<Stmt> out = new ArrayList<>();
    // A declaration that jump normalisation copied into several branches of one block (the
    // statements after an if whose branch may break) is seen once per copy: declare once.
    for (Var v : new java.util.LinkedHashSet<>(vars)) {
      if (!activity.isActive(v)) {
        continue;
      }
      if (v.kind() == Var.Kind.PARAMETER) {
        if (!function.params().stream().anyMatch(p -> p.var() == v && p.differentiable())) {
          // A @NoDerivative parameter reassigned from active values: a local adjoint only.
          out.add(new Stmt.Declare(ctx.adjoint(v), constant(0, v.type()), Source.NONE));
          continue;
        }
        Expr init = v.type().dims() > 0
            ? (gradient != null ? new Expr.Field(gradient, v.sourceName(), v.type()) : zerosLike(v))
            : constant(0, v.type());
        out.add(new Stmt.Declare(ctx.adjoint(v), init, Source.NONE));
        continue;
      }
      Expr init = declaredInit.get(v);
      if (v.type().dims() > 0) {
        Expr adjoint = init instanceof Expr.Index row ? ctx.adjointArray(row) : zerosLike(v);
        out.add(new Stmt.Declare(ctx.adjoint(v), adjoint, Source.NONE));
      } else {
        out.add(new Stmt.Declare(ctx.adjoint(v), constant(0, v.type()), Source.NONE));
      }
    }
    return out;
  }

  private static Expr zerosLike(Var v) {
    if (v.type().dims() == 1) {
      return new Expr.NewArray(v.type(), List.of(new Expr.Length(read(v))), null);
    }
    return new Expr.RuntimeCall(null, "Adjoints", "zerosLike", List.of(read(v)), v.type());
  }

  // ---------------------------------------------------------------- forward sweep

  private boolean insideSplitBlock() {
    return nonTailDepth > 0;
  }

  private void forward(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Declare d) {
      Var v = d.var();
      adjointScopes.peek().add(v);
      declaredInit.put(v, d.init());
      boolean hoist = (insideSplitBlock() || hoistLoopVariables) && !loops.isRecomputed(v)
          && !loops.isCountedIndex(v)
          && (recording.isReadInReverse(v) || recording.needsSave(d)
              || recording.isSavedSomewhere(v));
      if (hoist && v.type().dims() > 0) {
        throw new IllegalStateException("array '" + v.sourceName() + "' is declared inside a "
            + "branch or loop; declare arrays at the top level of the method");
      }
      if (recording.needsSave(d)) {
        save(d, v, read(v), out);
      }
      if (hoist) {
        hoist(v);
        if (d.init() != null) {
          out.add(new Stmt.Assign(v, AssignOp.SET, d.init(), d.source()));
        }
      } else if (d.init() == null && recording.isSavedSomewhere(v)) {
        // A save may read the variable on a path where the user's code has not assigned it
        // yet (it then saves a value no path uses); javac requires it to be assigned.
        out.add(new Stmt.Declare(v, constant(0, v.type()), d.source()));
      } else {
        out.add(d);
      }
    } else if (s instanceof Stmt.Assign a) {
      if (recording.needsSave(a)) {
        save(a, a.target(), read(a.target()), out);
      }
      out.add(a);
    } else if (s instanceof Stmt.Store st) {
      if (recording.needsSave(st)) {
        save(st, null, st.target(), out);
      }
      out.add(st);
    } else if (s instanceof Stmt.If i) {
      Expr condition = i.condition();
      Var flag = null;
      if (usesFlag(i)) {
        flag = ctx.newVar("branch", Type.BOOLEAN);
        flags.put(i, flag);
        if (loops.inLoop(i)) {
          out.add(new Stmt.Declare(flag, condition, Source.NONE));
        } else {
          declare(flag, condition, out);
        }
        condition = read(flag);
      }
      nonTailDepth++;
      List<Stmt> then = new ArrayList<>();
      i.then().forEach(t -> forward(t, then));
      List<Stmt> otherwise = new ArrayList<>();
      i.otherwise().forEach(t -> forward(t, otherwise));
      nonTailDepth--;
      out.add(new Stmt.If(condition, then, otherwise, i.source()));
      if (flag != null && loops.inLoop(i)) {
        // Pushed after the branch, so that the reverse sweep pops it before what the branch
        // pushed: the tape is a stack.
        if (ReturnNormalization.containsJump(i.then())
            || ReturnNormalization.containsJump(i.otherwise())) {
          pushBeforeJumps(then, flag);
          pushBeforeJumps(otherwise, flag);
          out.set(out.size() - 1, new Stmt.If(condition, then, otherwise, i.source()));
        } else {
          out.add(ctx.push(read(flag)));
        }
      }
    } else if (s instanceof Stmt.Loop l) {
      forwardLoop(l, out);
    } else if (s instanceof Stmt.Break || s instanceof Stmt.Continue) {
      out.add(s);
    } else {
      throw new IllegalStateException("unexpected statement in forward sweep: " + s);
    }
  }

  /** Adds the flag's push at the end of each path of a branch that may leave the loop. */
  private void pushBeforeJumps(List<Stmt> block, Var flag) {
    Stmt last = block.isEmpty() ? null : block.get(block.size() - 1);
    if (last instanceof Stmt.Break || last instanceof Stmt.Continue) {
      block.add(block.size() - 1, ctx.push(read(flag)));
    } else if (last instanceof Stmt.If nested && (ReturnNormalization.containsJump(
        nested.then()) || ReturnNormalization.containsJump(nested.otherwise()))) {
      // Some path through the nested if leaves the loop (after normalisation a jump ends its
      // branch): push at the end of each of its paths.
      List<Stmt> then = new ArrayList<>(nested.then());
      List<Stmt> otherwise = new ArrayList<>(nested.otherwise());
      pushBeforeJumps(then, flag);
      pushBeforeJumps(otherwise, flag);
      block.set(block.size() - 1,
          new Stmt.If(nested.condition(), then, otherwise, nested.source()));
    } else {
      block.add(ctx.push(read(flag)));
    }
  }

  private boolean usesFlag(Stmt.If i) {
    return recording.needsFlag(i) && (hasReverseWork(i.then()) || hasReverseWork(i.otherwise()));
  }

  /** Saves the value {@code old} that statement {@code s} is about to overwrite. */
  private void save(Stmt s, Var v, Expr old, List<Stmt> out) {
    if (loops.inLoop(s)) {
      out.add(ctx.push(old));
      saved.put(s, null);
    } else {
      String name = v != null ? v.name() : baseName(old);
      Var slot = ctx.newVar(name + "Before", old.type());
      saved.put(s, slot);
      declare(slot, old, out);
    }
  }

  private static String baseName(Expr e) {
    Expr x = e;
    while (x instanceof Expr.Index i) {
      x = i.array();
    }
    return x instanceof Expr.Read r ? r.var().name() + "Element" : "element";
  }

  private void forwardLoop(Stmt.Loop l, List<Stmt> out) {
    boolean work = hasReverseWork(l.body()) || hasReverseWork(l.update());
    Loops.Counted counted = loops.counted(l);
    List<Stmt> init = new ArrayList<>();
    hoistLoopVariables = counted == null;
    l.init().forEach(s -> forward(s, init));
    hoistLoopVariables = false;
    Var count = null;
    if (work && counted == null) {
      count = ctx.newVar("iterations", Type.INT);
      counts.put(l, count);
      if (loops.inLoop(l)) {
        out.add(new Stmt.Declare(count, new Expr.Const(0, Type.INT), Source.NONE));
      } else {
        declare(count, new Expr.Const(0, Type.INT), out);
      }
    }
    List<Var> declared = new ArrayList<>();
    adjointScopes.push(declared);
    nonTailDepth++;
    List<Stmt> body = new ArrayList<>();
    if (count != null) {
      body.add(new Stmt.Assign(count, AssignOp.ADD, new Expr.Const(1, Type.INT), Source.NONE));
    }
    l.body().forEach(s -> forward(s, body));
    List<Stmt> update = new ArrayList<>();
    l.update().forEach(s -> forward(s, update));
    nonTailDepth--;
    adjointScopes.pop();
    loopDeclared.put(l, declared);
    List<Stmt> header = init;
    if (init.size() > 1) {
      out.addAll(init);
      header = List.of();
    }
    out.add(new Stmt.Loop(header, l.condition(), update, body, l.testFirst(), l.source()));
    if (count != null && loops.inLoop(l)) {
      out.add(ctx.push(read(count)));
    }
  }

  /** Declares a generated variable, hoisting it when the block's reverse runs elsewhere. */
  private void declare(Var v, Expr init, List<Stmt> out) {
    if (insideSplitBlock()) {
      hoist(v);
      out.add(new Stmt.Assign(v, AssignOp.SET, init, Source.NONE));
    } else {
      out.add(new Stmt.Declare(v, init, Source.NONE));
    }
  }

  private void hoist(Var v) {
    if (hoistTargets.isEmpty()) {
      throw new IllegalStateException("nowhere to declare " + v);
    }
    List<Stmt> target = hoistTargets.peek();
    for (Stmt s : target) {
      if (s instanceof Stmt.Declare d && d.var() == v) {
        return; // a copy of the same declaration, made by jump normalisation
      }
    }
    Expr zero = v.type().equals(Type.BOOLEAN) ? new Expr.Const(false, Type.BOOLEAN)
        : constant(0, v.type());
    target.add(new Stmt.Declare(v, zero, Source.NONE));
  }

  /** True when the reverse sweep of {@code stmts} does anything (adjoints, restores, pops). */
  private boolean hasReverseWork(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      boolean work;
      if (s instanceof Stmt.Declare d) {
        work = recording.needsSave(d) || d.init() != null && activity.isActive(d.var())
            && activity.isActive(d.init());
      } else if (s instanceof Stmt.Assign a) {
        work = recording.needsSave(a) || activity.isActive(a.target());
      } else if (s instanceof Stmt.Store st) {
        work = recording.needsSave(st) || activity.isActive(Uses.storeBase(st));
      } else if (s instanceof Stmt.If i) {
        work = hasReverseWork(i.then()) || hasReverseWork(i.otherwise());
      } else if (s instanceof Stmt.Loop l) {
        work = hasReverseWork(l.init()) || hasReverseWork(l.body())
            || hasReverseWork(l.update());
      } else {
        work = s instanceof Stmt.Return;
      }
      if (work) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- reverse sweep

  private void reverse(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Declare d) {
      List<Stmt> code = new ArrayList<>();
      restore(d, read(d.var()), code);
      Var v = d.var();
      if (d.init() != null && activity.isActive(v) && !(d.init() instanceof Expr.Index
          && v.type().dims() > 0)) {
        if (v.type().dims() > 0) {
          prop.array(d.init(), read(ctx.adjoint(v)), null, code);
        } else {
          prop.scalar(d.init(), read(ctx.adjoint(v)), code);
        }
      }
      comment(d.source(), code, out);
    } else if (s instanceof Stmt.Assign a) {
      List<Stmt> code = new ArrayList<>();
      restore(a, read(a.target()), code);
      if (activity.isActive(a.target())) {
        assignmentAdjoint(a, code);
      }
      comment(a.source(), code, out);
    } else if (s instanceof Stmt.Store st) {
      List<Stmt> code = new ArrayList<>();
      restore(st, st.target(), code);
      if (activity.isActive(Uses.storeBase(st)) && st.target().type().isFloating()) {
        storeAdjoint(st, code);
      }
      comment(st.source(), code, out);
    } else if (s instanceof Stmt.If i) {
      List<Stmt> then = new ArrayList<>();
      for (int k = i.then().size() - 1; k >= 0; k--) {
        reverse(i.then().get(k), then);
      }
      List<Stmt> otherwise = new ArrayList<>();
      for (int k = i.otherwise().size() - 1; k >= 0; k--) {
        reverse(i.otherwise().get(k), otherwise);
      }
      Var flag = flags.get(i);
      boolean popped = flag != null && loops.inLoop(i);
      if (!then.isEmpty() || !otherwise.isEmpty() || popped) {
        Expr condition = flag == null ? i.condition()
            : popped ? ctx.pop(Type.BOOLEAN) : read(flag);
        comment(i.source(), List.of(new Stmt.If(condition, then, otherwise, i.source())), out);
      }
    } else if (s instanceof Stmt.Loop l) {
      reverseLoop(l, out);
    } else if (!(s instanceof Stmt.Break || s instanceof Stmt.Continue)) {
      throw new IllegalStateException("unexpected statement in reverse sweep: " + s);
    }
  }

  private void restore(Stmt s, Expr target, List<Stmt> out) {
    if (!saved.containsKey(s)) {
      return;
    }
    Var slot = saved.get(s);
    Expr old = slot != null ? read(slot) : ctx.pop(target.type());
    if (target instanceof Expr.Read r) {
      out.add(new Stmt.Assign(r.var(), AssignOp.SET, old, Source.NONE));
    } else {
      out.add(new Stmt.Store((Expr.Index) target, AssignOp.SET, old, Source.NONE));
    }
  }

  private void reverseLoop(Stmt.Loop l, List<Stmt> out) {
    if (!(hasReverseWork(l.body()) || hasReverseWork(l.update()))) {
      reverseInit(l, out);
      return;
    }
    List<Stmt> body = new ArrayList<>();
    List<Stmt.Declare> recomputed = loops.recomputed(l);
    if (!recomputed.isEmpty()) {
      body.add(new Stmt.Comment("recomputed, not recorded"));
      body.addAll(recomputed);
    }
    body.addAll(adjointDeclarations(loopDeclared.get(l), false));
    for (int k = l.update().size() - 1; k >= 0 && loops.counted(l) == null; k--) {
      reverse(l.update().get(k), body);
    }
    for (int k = l.body().size() - 1; k >= 0; k--) {
      reverse(l.body().get(k), body);
    }
    body = ElementAccumulators.apply(body, ctx, adjointArrays());
    Loops.Counted c = loops.counted(l);
    Stmt.Loop loop;
    if (c != null && IterationOrder.commutes(body)) {
      // The reverse iterations only add into adjoints: they can run in the forward order,
      // which HotSpot optimises better than a descending loop.
      loop = new Stmt.Loop(l.init(), l.condition(), l.update(), body, true, l.source());
      List<Stmt> withoutRecompute = new ArrayList<>();
      for (Stmt st : body) {
        boolean recomputeBlock = st instanceof Stmt.Comment cm
            && cm.text().startsWith("recomputed")
            || recomputed.stream().anyMatch(d -> d == st);
        if (!recomputeBlock) {
          withoutRecompute.add(st);
        }
      }
      fusableBodies.put(l, withoutRecompute);
    } else if (c != null) {
      Var i = c.index();
      int step = Math.abs(c.step());
      boolean up = c.step() > 0;
      Expr last = lastIndex(c);
      BinaryOp cmp = up ? BinaryOp.GE : BinaryOp.LE;
      loop = new Stmt.Loop(List.of(new Stmt.Declare(i, last, Source.NONE)),
          new Expr.Binary(cmp, read(i), c.start(), Type.BOOLEAN),
          List.of(new Stmt.Assign(i, up ? AssignOp.SUB : AssignOp.ADD,
              new Expr.Const(step, Type.INT), Source.NONE)),
          body, true, l.source());
    } else {
      Var count = counts.get(l);
      Var k = ctx.newVar("iteration", Type.INT);
      Expr start = loops.inLoop(l) ? ctx.pop(Type.INT) : read(count);
      loop = new Stmt.Loop(List.of(new Stmt.Declare(k, start, Source.NONE)),
          new Expr.Binary(BinaryOp.GT, read(k), new Expr.Const(0, Type.INT), Type.BOOLEAN),
          List.of(new Stmt.Assign(k, AssignOp.SUB, new Expr.Const(1, Type.INT), Source.NONE)),
          body, true, l.source());
    }
    List<Stmt> code = new ArrayList<>();
    code.add(loop);
    comment(l.source(), code, out);
    reverseInit(l, out);
  }

  /** The adjoint arrays of the function's arrays (parameters and locals). */
  private java.util.Set<Var> adjointArrays() {
    java.util.Set<Var> out = new java.util.HashSet<>();
    for (Var v : activity.active()) {
      if (v.type().dims() > 0 && ctx.hasAdjoint(v)) {
        out.add(ctx.adjoint(v));
      }
    }
    return out;
  }

  private void reverseInit(Stmt.Loop l, List<Stmt> out) {
    for (int k = l.init().size() - 1; k >= 0; k--) {
      reverse(l.init().get(k), out);
    }
  }

  /** The index of the last iteration of a counted loop (before the start when it ran none). */
  private static Expr lastIndex(Loops.Counted c) {
    Expr start = c.start();
    Expr bound = c.bound();
    Expr one = new Expr.Const(1, Type.INT);
    int step = Math.abs(c.step());
    boolean inclusive = c.comparison() == BinaryOp.LE || c.comparison() == BinaryOp.GE;
    if (step == 1) {
      if (inclusive) {
        return bound;
      }
      return c.step() > 0 ? new Expr.Binary(BinaryOp.SUB, bound, one, Type.INT)
          : new Expr.Binary(BinaryOp.ADD, bound, one, Type.INT);
    }
    // start + floorDiv(bound - start - (inclusive ? 0 : 1), step) * step, mirrored downwards
    Expr span = c.step() > 0 ? new Expr.Binary(BinaryOp.SUB, bound, start, Type.INT)
        : new Expr.Binary(BinaryOp.SUB, start, bound, Type.INT);
    if (!inclusive) {
      span = new Expr.Binary(BinaryOp.SUB, span, one, Type.INT);
    }
    Expr steps = new Expr.Binary(BinaryOp.MUL, new Expr.LibraryCall("Math", "floorDiv",
        List.of(span, new Expr.Const(step, Type.INT)), Type.INT),
        new Expr.Const(step, Type.INT), Type.INT);
    return new Expr.Binary(c.step() > 0 ? BinaryOp.ADD : BinaryOp.SUB, start, steps, Type.INT);
  }

  private static void comment(Source source, List<Stmt> code, List<Stmt> out) {
    if (code.isEmpty()) {
      return;
    }
    code = mergeUpdates(code);
    if (source.line() > 0) {
      out.add(new Stmt.Comment("line " + source.line() + ": " + source.text()));
    }
    out.addAll(code);
  }

  /**
   * Merges consecutive {@code +=}/{@code -=} updates of the same adjoint into one statement
   * ({@code dA += p; dA += q;} becomes {@code dA += p + q;}), so each adjoint is read and written
   * once per statement.
   */
  static List<Stmt> mergeUpdates(List<Stmt> code) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : code) {
      Stmt last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last instanceof Stmt.Assign a && s instanceof Stmt.Assign b && a.target() == b.target()
          && isAccumulation(a.op()) && isAccumulation(b.op())
          && !Uses.all(b.value()).contains(b.target())
          && a.value().type().equals(b.value().type())) {
        Expr first = a.value();
        Expr merged = a.op() == b.op() ? dev.adjoint.processor.ir.Exprs.add(first, b.value())
            : dev.adjoint.processor.ir.Exprs.sub(first, b.value());
        out.set(out.size() - 1, new Stmt.Assign(a.target(), a.op(), merged, a.source()));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean isAccumulation(AssignOp op) {
    return op == AssignOp.ADD || op == AssignOp.SUB;
  }

  /** The reverse of {@code v op= e} for an active {@code v}, whose old value is restored. */
  private void assignmentAdjoint(Stmt.Assign a, List<Stmt> out) {
    Var v = a.target();
    Var dv = ctx.adjoint(v);
    Expr e = a.value();
    AssignOp op = a.op();
    // v = v + e, v = e * v, ... read as the compound assignments they are.
    if (op == AssignOp.SET && e instanceof Expr.Binary b && isRead(b.left(), v)
        && compound(b.op()) != null && !Uses.differentiable(b.right()).contains(v)) {
      op = compound(b.op());
      e = b.right();
    } else if (op == AssignOp.SET && e instanceof Expr.Binary b && isRead(b.right(), v)
        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.MUL)
        && !Uses.differentiable(b.left()).contains(v)) {
      op = compound(b.op());
      e = b.left();
    }
    boolean selfReference = Uses.differentiable(e).contains(v);
    if (!selfReference) {
      switch (op) {
        case SET -> {
          prop.scalar(e, read(dv), out);
          out.add(new Stmt.Assign(dv, AssignOp.SET, constant(0, dv.type()), Source.NONE));
          return;
        }
        case ADD -> {
          prop.scalar(e, read(dv), out);
          return;
        }
        case SUB -> {
          prop.scalar(e, neg(read(dv)), out);
          return;
        }
        case MUL -> {
          prop.scalar(e, mul(read(dv), read(v)), out);
          scale(dv, BinaryOp.MUL, e, out);
          return;
        }
        case DIV -> {
          prop.scalar(e, neg(div(mul(read(dv), read(v)), mul(e, e))), out);
          scale(dv, BinaryOp.DIV, e, out);
          return;
        }
        default -> { }
      }
    }
    // General case: the adjoint of the new value flows through the whole right-hand side,
    // which may read the variable's old value.
    Var next = ctx.newVar(dv.name() + "New", dv.type());
    out.add(new Stmt.Declare(next, read(dv), Source.NONE));
    out.add(new Stmt.Assign(dv, AssignOp.SET, constant(0, dv.type()), Source.NONE));
    prop.scalar(Recording.asExpression(a), read(next), out);
  }

  private static boolean isRead(Expr e, Var v) {
    return e instanceof Expr.Read r && r.var() == v;
  }

  private static AssignOp compound(BinaryOp op) {
    return switch (op) {
      case ADD -> AssignOp.ADD;
      case SUB -> AssignOp.SUB;
      case MUL -> AssignOp.MUL;
      case DIV -> AssignOp.DIV;
      default -> null;
    };
  }

  /** The reverse of {@code a[i] op= e} for an active array, whose old element is restored. */
  private void storeAdjoint(Stmt.Store st, List<Stmt> out) {
    Expr.Index target = st.target();
    Expr.Index adjoint = new Expr.Index(ctx.adjointArray(target.array()), target.index(),
        target.type());
    Var root = Uses.storeBase(st);
    boolean readsArray = Uses.differentiable(st.value()).contains(root);
    if (!readsArray) {
      switch (st.op()) {
        case SET -> {
          prop.scalar(st.value(), adjoint, out);
          out.add(new Stmt.Store(adjoint, AssignOp.SET, constant(0, adjoint.type()),
              Source.NONE));
          return;
        }
        case ADD -> {
          prop.scalar(st.value(), adjoint, out);
          return;
        }
        case SUB -> {
          prop.scalar(st.value(), neg(adjoint), out);
          return;
        }
        default -> { }
      }
    }
    Var next = ctx.newVar(ctx.adjoint(root).name() + "New", adjoint.type());
    out.add(new Stmt.Declare(next, adjoint, Source.NONE));
    out.add(new Stmt.Store(adjoint, AssignOp.SET, constant(0, adjoint.type()), Source.NONE));
    prop.scalar(Recording.asExpression(st), read(next), out);
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
}
