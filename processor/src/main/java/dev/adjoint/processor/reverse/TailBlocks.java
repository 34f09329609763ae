package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.constant;
import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.analysis.Uses;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * The gradient code of a block that ends in a return (the body, or a branch of a final
 * {@code if} whose branches all return): its forward sweep, then its reverse sweep. The layout,
 * top to bottom: the declarations hoisted out of its branches and loops, its forward
 * statements, the value's assignment, the declarations of the block's adjoints, the reverse of
 * the return, and the reverse of its statements, last to first. A final {@code if} puts a tail
 * block in each branch instead of the return; a last loop that {@link LoopFusion fuses} runs its
 * reverse inside its forward iterations. A returned call that {@link TailCalls} chains through
 * the callee's accumulating form assigns the value where the reverse of the return goes.
 */
final class TailBlocks {
  private final AdjointContext ctx;
  private final Function function;
  private final Propagation prop;
  private final TailCalls tailCalls;
  private final Hoisting hoisting;
  private final AdjointDeclarations declarations;
  private final Saves saves;
  private final LoopFusion fusion;
  private final ForwardSweep forward;
  private final ReverseSweep reverse;
  /** The variable holding the function's value. */
  private final Var value;
  /** The extra parameter of array-returning functions, else null. */
  private final Var seed;

  TailBlocks(AdjointContext ctx, Function function, Propagation prop, TailCalls tailCalls,
      Hoisting hoisting, AdjointDeclarations declarations, Saves saves, LoopFusion fusion,
      ForwardSweep forward, ReverseSweep reverse, Var value, Var seed) {
    this.ctx = ctx;
    this.function = function;
    this.prop = prop;
    this.tailCalls = tailCalls;
    this.hoisting = hoisting;
    this.declarations = declarations;
    this.saves = saves;
    this.fusion = fusion;
    this.forward = forward;
    this.reverse = reverse;
    this.value = value;
    this.seed = seed;
  }

  /** The array variables {@code stmts} assign as a whole, in order of first assignment. */
  private static java.util.Set<Var> reassignedArrays(List<Stmt> stmts) {
    java.util.Set<Var> out = new java.util.LinkedHashSet<>();
    for (Stmt s : Stmt.all(stmts, true)) {
      if (s instanceof Stmt.Assign a && a.target().type().dims() > 0) {
        out.add(a.target());
      }
    }
    return out;
  }

  /** The gradient code of {@code block}; {@code top} for the function's body. */
  List<Stmt> of(List<Stmt> block, boolean top) {
    if (block.isEmpty()) {
      throw new IllegalStateException("block does not end in a return");
    }
    hoisting.openBlock();
    List<Var> params = new ArrayList<>();
    if (top) {
      for (Function.Param p : function.params()) {
        params.add(p.var());
      }
    }
    declarations.openScope(params);
    List<Stmt> prefix = block.subList(0, block.size() - 1);
    Stmt tail = block.get(block.size() - 1);

    List<Stmt> forwardCode = new ArrayList<>();
    int[] forwardStart = new int[prefix.size() + 1];
    for (int k = 0; k < prefix.size(); k++) {
      forwardStart[k] = forwardCode.size();
      forward.forward(prefix.get(k), forwardCode);
    }
    forwardStart[prefix.size()] = forwardCode.size();
    List<Stmt> tailCode = new ArrayList<>();
    List<Stmt> tailCall = tail instanceof Stmt.Return r ? tailCalls.of(r, value, top) : null;
    if (tailCall != null) {
      // One call computes the value and chains its gradient (see TailCalls).
      tailCode.addAll(tailCall);
    } else if (tail instanceof Stmt.Return r) {
      Expr result = r.value();
      if (result instanceof Expr.Read a && (saves.restoresElementsOf(a.var())
          || mayHoldAnother(a.var()) && saves.restoresElements())) {
        // The reverse sweep restores the array's old elements (or those of an array it was
        // given, h = z, whose writes are undone): return a copy of the result.
        result = new Expr.RuntimeCall(a.var(), null, "clone", List.of(), a.type());
      }
      forwardCode.add(top ? new Stmt.Declare(value, result, r.source())
          : new Stmt.Assign(value, AssignOp.SET, result, r.source()));
      List<Stmt> rev = new ArrayList<>();
      if (r.value().type().dims() > 0) {
        prop.array(r.value(), read(seed), null, rev);
      } else {
        // (the seeded accumulating form of a scalar function: the caller's seed)
        prop.scalar(r.value(), seed != null ? read(seed) : constant(1, function.returnType()),
            rev);
      }
      LineComments.add(r.source(), rev, tailCode);
    } else if (tail instanceof Stmt.If i) {
      if (top) {
        forwardCode.add(new Stmt.Declare(value, null, Source.NONE));
      }
      tailCode.add(new Stmt.If(i.condition(), of(i.then(), false), of(i.otherwise(), false),
          i.source()));
    } else {
      throw new IllegalStateException("block ends in " + tail);
    }
    List<Stmt> reverseCode = new ArrayList<>();
    int[] reverseStart = new int[prefix.size() + 1];
    reverseStart[prefix.size()] = 0;
    for (int k = prefix.size() - 1; k >= 0; k--) {
      reverse.reverse(prefix.get(k), reverseCode);
      reverseStart[k] = reverseCode.size(); // reverse of prefix k ends here (it runs last to first)
    }
    List<Stmt> hoisted = hoisting.closeBlock();
    List<Var> declared = declarations.closeScope();
    LoopFusion.Fusion fused = tail instanceof Stmt.Return
        ? fusion.find(prefix, forwardCode, forwardStart, reverseCode, reverseStart, tailCode)
        : null;

    List<Stmt> out = new ArrayList<>();
    // A body that is one tail call has no forward sweep of its own: it starts with the reverse.
    boolean noForward = top && forwardCode.isEmpty() && hoisted.isEmpty();
    if (top && !noForward) {
      out.add(new Stmt.Comment("Forward sweep: the original code, saving what the reverse "
          + "sweep needs"));
    }
    if (!hoisted.isEmpty()) {
      out.add(new Stmt.Comment("Declared up front: the reverse sweep reads them outside "
          + "their blocks"));
      out.addAll(hoisted);
    }
    List<Stmt> adjointDecls = new ArrayList<>(declarations.declarations(declared));
    if (!top) {
      // An array of the enclosing block that this branch gives another array had its adjoint
      // taken for the array it held before the branch: take it again for the one it holds now.
      java.util.Set<Var> inside = Uses.declared(prefix);
      for (Var v : reassignedArrays(prefix)) {
        if (!inside.contains(v) && ctx.activity.isActive(v)) {
          adjointDecls.add(new Stmt.Assign(ctx.adjoint(v), AssignOp.SET,
              AdjointDeclarations.scratchLike(ctx, v), Source.NONE));
        }
      }
    }
    if (fused != null) {
      // The last loop runs its reverse iterations inside its forward ones (see LoopFusion).
      out.addAll(forwardCode.subList(0, fused.forwardFrom()));
      out.addAll(fused.early());
      out.add(new Stmt.Blank());
      out.add(new Stmt.Comment("Reverse sweep: dV accumulates the derivative of value with "
          + "respect to v; the last loop's reverse runs within it"));
      out.addAll(adjointDecls);
      out.addAll(fused.pre());
      out.addAll(fused.code());
      out.addAll(fused.late());
      if (!fused.post().isEmpty()) {
        out.add(new Stmt.Comment("What reads the loop's results, once it has run"));
        out.addAll(fused.post());
      }
      out.addAll(reverseCode.subList(fused.reverseTo(), reverseCode.size()));
      return out;
    }
    out.addAll(forwardCode);
    if (top || !adjointDecls.isEmpty()) {
      if (!noForward) {
        out.add(new Stmt.Blank());
      }
      out.add(new Stmt.Comment(top ? "Reverse sweep: dV accumulates the derivative of "
          + "value with respect to v, statements last to first" : "Reverse sweep of this branch"));
    }
    out.addAll(adjointDecls);
    out.addAll(tailCode);
    out.addAll(reverseCode);
    return out;
  }

  /**
   * True when array variable {@code v} may hold an array that another variable names: it is
   * given other arrays ({@code h = z}), or declared as another's ({@code double[] h = z;}).
   */
  private boolean mayHoldAnother(Var v) {
    if (v.type().dims() == 0) {
      return false;
    }
    if (v.isReassignedArray()) {
      return true;
    }
    return Stmt.any(function.body(), true, st -> st instanceof Stmt.Declare d && d.var() == v
        && d.init() instanceof Expr.Read);
  }
}
