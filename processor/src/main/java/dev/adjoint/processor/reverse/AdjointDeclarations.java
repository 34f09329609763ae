package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.constant;
import static dev.adjoint.processor.ir.Exprs.read;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Where each adjoint is declared, and with what. The adjoints of a block's variables are
 * declared where the reverse sweep of that block starts (a tail block's, or each reverse
 * iteration of a loop's), so the forward sweep notes each declaration in the innermost open
 * scope. Scalars start at zero; a local array's adjoint at a zeroed buffer of the thread's
 * scratch arena; an array parameter's at the caller's buffer in the accumulating form, else at
 * new zeros (it is part of the result).
 */
final class AdjointDeclarations {
  private final AdjointContext ctx;
  private final Function function;
  /** The accumulator parameter of the accumulating form, else null. */
  private final Var gradient;
  /** The variables declared in each open scope, innermost first. */
  private final Deque<List<Var>> scopes = new ArrayDeque<>();
  /** The variables declared in each loop's body and update. */
  private final Map<Stmt.Loop, List<Var>> loopScopes = new IdentityHashMap<>();
  /** Each declared variable's initialiser (null when it has none). */
  private final Map<Var, Expr> inits = new HashMap<>();
  /** The arrays declared in branches (see {@link #noteInBranch}). */
  private final java.util.Set<Var> branchArrays = new java.util.HashSet<>();

  AdjointDeclarations(AdjointContext ctx, Var gradient) {
    this.ctx = ctx;
    this.function = ctx.function;
    this.gradient = gradient;
  }

  /** Opens a scope that already holds {@code vars} (the parameters, at the top). */
  void openScope(List<Var> vars) {
    scopes.push(new ArrayList<>(vars));
  }

  /** Closes the innermost scope; returns the variables declared in it. */
  List<Var> closeScope() {
    return scopes.pop();
  }

  /** Closes the scope of loop {@code l}'s body, for {@link #ofLoop}. */
  void closeLoopScope(Stmt.Loop l) {
    loopScopes.put(l, scopes.pop());
  }

  /** The variables declared in the body and update of loop {@code l}. */
  List<Var> ofLoop(Stmt.Loop l) {
    return loopScopes.get(l);
  }

  /** Notes the declaration {@code d} in the innermost scope. */
  void note(Stmt.Declare d) {
    scopes.peek().add(d.var());
    inits.put(d.var(), d.init());
  }

  /**
   * Notes the declaration {@code d} of an array in a branch: its adjoint is declared at the
   * start of the branch's reverse ({@link #ofBranch}), not of the enclosing block's.
   */
  void noteInBranch(Stmt.Declare d) {
    inits.put(d.var(), d.init());
    branchArrays.add(d.var());
  }

  /** The declarations of the adjoints of the arrays {@code branch} declares at its top level. */
  List<Stmt> ofBranch(List<Stmt> branch) {
    List<Var> vars = new ArrayList<>();
    for (Stmt s : branch) {
      if (s instanceof Stmt.Declare d && branchArrays.contains(d.var())) {
        vars.add(d.var());
      }
    }
    return declarations(vars);
  }

  /**
   * True when local array {@code v} was declared with storage of its own (a new array or a
   * call's result), so that its adjoint is a buffer of its own; false for a row alias, whose
   * adjoint is a row of another array's adjoint, and for a variable not declared so far.
   */
  boolean hasOwnStorage(Var v) {
    Expr init = inits.get(v);
    return init != null && !(init instanceof Expr.Index);
  }

  /** The declarations of the adjoints of {@code vars}, the active ones. */
  List<Stmt> declarations(List<Var> vars) {
    List<Stmt> out = new ArrayList<>();
    // A declaration that jump normalisation copied into several branches of one block (the
    // statements after an if whose branch may break) is seen once per copy: declare once.
    for (Var v : new LinkedHashSet<>(vars)) {
      if (!ctx.activity.isActive(v)) {
        continue;
      }
      if (v.kind() == Var.Kind.PARAMETER) {
        if (!function.params().stream().anyMatch(p -> p.var() == v && p.differentiable())) {
          // A @NoDerivative parameter reassigned from active values: a local adjoint only.
          out.add(new Stmt.Declare(ctx.adjoint(v), constant(0, v.type()), Source.NONE));
          continue;
        }
        Expr init = v.type().dims() > 0
            ? (gradient != null ? buffer(v) : zerosLike(v))
            : constant(0, v.type());
        out.add(new Stmt.Declare(ctx.adjoint(v), init, Source.NONE));
        continue;
      }
      Expr init = inits.get(v);
      if (v.type().dims() > 0) {
        Expr adjoint = init instanceof Expr.Index row ? ctx.adjointArray(row) : scratchLike(v);
        Expr inactive = init instanceof Expr.Index ? null : ctx.adjointMayBeNull(v);
        if (inactive != null) {
          // the array may still be the inactive one it was given: no buffer then (as in
          // StatementAdjoints.arrayAssignment)
          adjoint = new Expr.Conditional(inactive, new Expr.Null(v.type()), adjoint, v.type());
        }
        out.add(new Stmt.Declare(ctx.adjoint(v), adjoint, Source.NONE));
      } else {
        out.add(new Stmt.Declare(ctx.adjoint(v), constant(0, v.type()), Source.NONE));
      }
    }
    return out;
  }

  /**
   * A zeroed adjoint for local array {@code v}, taken from the thread's scratch arena
   * ({@code scratch.floats(v.length)}, {@code scratch.doublesLike(v)} for rows): it is discarded
   * when the method returns, so it need not be a new array.
   */
  private Expr scratchLike(Var v) {
    return scratchLike(ctx, v);
  }

  /** As {@link #scratchLike(Var)}, for the reverse of an array assignment. */
  static Expr scratchLike(AdjointContext ctx, Var v) {
    String kind = v.type().elementType().prim() == Type.Prim.FLOAT ? "floats" : "doubles";
    return v.type().dims() == 1
        ? new Expr.RuntimeCall(ctx.scratch(), null, kind, List.of(new Expr.Length(read(v))),
            v.type())
        : new Expr.RuntimeCall(ctx.scratch(), null, kind + "Like", List.of(read(v)), v.type());
  }

  /**
   * The accumulator's buffer for array parameter {@code v}: its field, or for a leaf of a record
   * parameter, the component of the record of buffers the accumulator holds for that parameter
   * ({@code gradient.p.w1()}).
   */
  private Expr buffer(Var v) {
    dev.adjoint.processor.ir.RecordLeaf leaf = function.params().stream()
        .filter(p -> p.var() == v).map(Function.Param::leaf).filter(java.util.Objects::nonNull)
        .findFirst().orElse(null);
    if (leaf == null) {
      return new Expr.Field(gradient, v.sourceName(), v.type());
    }
    Expr e = new Expr.Field(gradient, leaf.root(), leaf.shape().type());
    dev.adjoint.processor.ir.RecordShape shape = leaf.shape();
    for (int i = 0; i < leaf.path().size(); i++) {
      String name = leaf.path().get(i);
      dev.adjoint.processor.ir.RecordShape.Component c = shape.components().stream()
          .filter(x -> x.name().equals(name)).findFirst().orElseThrow();
      if (c.nested() != null) {
        shape = c.nested();
        e = new Expr.Component(e, name, shape.type());
      } else {
        e = new Expr.Component(e, name, c.type());
      }
    }
    return e;
  }

  private static Expr zerosLike(Var v) {
    if (v.type().dims() == 1) {
      return new Expr.NewArray(v.type(), List.of(new Expr.Length(read(v))), null);
    }
    return new Expr.RuntimeCall(null, "Adjoints", "zerosLike", List.of(read(v)), v.type());
  }
}
