package dev.adjoint.processor.reverse;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.analysis.Recording;
import dev.adjoint.processor.cleanup.ConstantAdjoints;
import dev.adjoint.processor.cleanup.DeadResets;
import dev.adjoint.processor.cleanup.FirstUpdates;
import dev.adjoint.processor.cleanup.NegationFolding;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.normalize.ReturnNormalization;
import java.util.ArrayList;
import java.util.List;

/**
 * The reverse-mode transform: from a normalised function to the body of its gradient method.
 *
 * <p>Each block that ends in a return becomes: its forward statements (the user's code, plus
 * saves of overwritten values the reverse sweep needs), the adjoint declarations of its
 * variables, the reverse sweep of its tail, then the reverse sweep of its statements in reverse
 * order ({@link TailBlocks}). A loop's reverse sweep is a loop running the other way
 * ({@link LoopReversal}): counted loops count their index back down, other loops replay their
 * recorded trip count; each reverse iteration first recomputes the body's cheap locals, then
 * walks the body backwards. Values the reverse sweep needs from inside loops go on the
 * per-thread {@code dev.adjoint.Tape}, everywhere else into plain locals. The adjoints of local
 * arrays are buffers of the per-thread {@code dev.adjoint.Scratch} arena, so a warmed-up call
 * allocates none.
 *
 * <p>This class wires the parts together and tidies the result with the clean-up passes
 * ({@link ConstantAdjoints}, {@link FirstUpdates}, {@link DeadResets}, {@link NegationFolding});
 * the sweeps themselves are {@link ForwardSweep} and {@link ReverseSweep}.
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
   * @param scratch the frame of the scratch arena from which {@code body} takes the adjoints of
   *     local arrays, or null when it takes none: the method must open it around {@code body}
   *     and close it on the way out
   * @param interchanged true when the forward sweep runs loops of the function interchanged
   *     ({@link dev.adjoint.processor.transform.LoopInterchange})
   */
  public record Result(List<Stmt> body, Var value, List<ParamAdjoint> params, Var seed,
      Var gradient, Var tape, Var scratch, boolean interchanged) {}

  /** A parameter and its adjoint variable (null when inactive or not differentiable). */
  public record ParamAdjoint(Function.Param param, Var adjoint) {}

  private ReverseMode() {}

  /**
   * Transforms {@code f}, whose body must be {@linkplain ReturnNormalization normalised}. With
   * {@code accumulate}, array parameters' adjoints are the fields of the {@code gradient}
   * accumulator (the caller's buffers) instead of new arrays. {@code scratch} is the frame of
   * the scratch arena that {@code f}'s body takes the partial sums of interchanged loops from,
   * or null when its loops were not interchanged.
   */
  public static Result transform(Function f, Activity activity, Recording recording,
      Loops loops, boolean accumulate, Var scratch) {
    return transform(f, activity, recording, loops, accumulate, scratch, false, c -> false);
  }

  /**
   * As {@link #transform(Function, Activity, Recording, Loops, boolean, Var)}; with
   * {@code seeded}, a scalar function's accumulating form takes a {@code seed} (its result's
   * adjoint) as an array function's does, and {@code seededForms} tells which callees have that
   * form: a call that stays a call then chains through the callee's accumulating form, adding
   * into this method's buffers, instead of through its record form.
   */
  public static Result transform(Function f, Activity activity, Recording recording,
      Loops loops, boolean accumulate, Var scratch, boolean seeded,
      java.util.function.Predicate<dev.adjoint.processor.ir.Callee> seededForms) {
    AdjointContext ctx = new AdjointContext(f, activity, scratch, seededForms);
    // Allocated before any other generated variable: where names clash, the first allocated
    // keeps the plain name.
    Var value = ctx.newVar("value", f.returnType());
    Var seed = f.returnType().dims() > 0 || seeded && accumulate
        ? ctx.newVar("seed", f.returnType()) : null;
    Var gradient = accumulate ? ctx.newVar("gradient", Type.reference("Accumulator")) : null;

    AdjointDeclarations declarations = new AdjointDeclarations(ctx, gradient);
    Propagation prop = new Propagation(ctx, declarations);
    ReverseWork work = new ReverseWork(activity, recording);
    Hoisting hoisting = new Hoisting();
    Saves saves = new Saves(ctx, loops, hoisting);
    BranchFlags flags = new BranchFlags(ctx, recording, loops, work, hoisting);
    LoopFusion fusion = new LoopFusion(ctx, loops, recording);
    LoopReversal loopReversal = new LoopReversal(ctx, loops, work, hoisting, fusion);
    ForwardSweep forward = new ForwardSweep(activity, recording, loops, hoisting, declarations,
        saves, flags, loopReversal);
    ReverseSweep reverse = new ReverseSweep(ctx, loops, work, declarations, saves, flags,
        loopReversal, new StatementAdjoints(ctx, prop, recording), recording);
    TailCalls tailCalls = new TailCalls(ctx, prop, declarations, seed);
    TailBlocks blocks = new TailBlocks(ctx, f, prop, tailCalls, hoisting, declarations, saves,
        fusion, forward, reverse, value, seed);

    List<Stmt> body = blocks.of(f.body(), true);
    List<Var> scalarAdjoints = new ArrayList<>();
    for (Var v : activity.active()) {
      if (v.type().isFloating() && ctx.hasAdjoint(v) && v.kind() != Var.Kind.PARAMETER) {
        scalarAdjoints.add(ctx.adjoint(v));
      }
    }
    body = ConstantAdjoints.apply(body, scalarAdjoints);
    body = Guards.fold(body);
    body = FirstUpdates.apply(body);
    body = DeadResets.apply(body, ctx.scratchOrNull());
    body = NegationFolding.apply(body);
    List<ParamAdjoint> params = new ArrayList<>();
    for (Function.Param p : f.params()) {
      boolean has = p.differentiable() && activity.isActive(p.var());
      params.add(new ParamAdjoint(p, has ? ctx.adjoint(p.var()) : null));
    }
    Var tape = ctx.tapeOrNull();
    if (tape != null && !LoopFusion.usesTape(body)) {
      tape = null; // what was recorded went with the saves a fused loop dropped
    }
    if (tape != null) {
      List<Stmt> withTape = new ArrayList<>();
      withTape.add(body.get(0)); // the opening comment
      body = body.subList(1, body.size());
      withTape.add(new Stmt.Declare(tape,
          new Expr.RuntimeCall(null, "Tape", "get", List.of(), Type.TAPE), Source.NONE));
      withTape.addAll(body);
      body = withTape;
    }
    return new Result(body, value, params, seed, gradient, tape, ctx.scratchOrNull(),
        scratch != null);
  }
}
