package dev.adjoint.processor.normalize;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import dev.adjoint.processor.naming.NameAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The flags of one {@code if}'s jumps, for {@link ReturnNormalization}'s jump after the
 * {@code if}: inside it, a {@code break} sets {@code breaking}, a {@code continue} sets
 * {@code continuing} and a {@code return} is {@linkplain DeferredReturns#record recorded}; just
 * after it, the flags are tested and the jumps happen there. The rest of the block then follows
 * the {@code if} once instead of being copied into each path that goes on.
 */
final class JumpFlags {
  private final DeferredReturns returns;
  private final NameAllocator names;
  /** True when some return was recorded. */
  private boolean returning;
  private Var breaking;
  private Var continuing;

  JumpFlags(DeferredReturns returns, NameAllocator names) {
    this.returns = returns;
    this.names = names;
  }

  /** {@code block} with its jumps (outside nested loops) replaced by setting flags. */
  List<Stmt> replaceJumps(List<Stmt> block) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block) {
      if (s instanceof Stmt.Return r) {
        returning = true;
        out.addAll(returns.record(r));
      } else if (s instanceof Stmt.Break) {
        breaking = breaking != null ? breaking : flag("breaking");
        out.add(set(breaking));
      } else if (s instanceof Stmt.Continue) {
        continuing = continuing != null ? continuing : flag("continuing");
        out.add(set(continuing));
      } else if (s instanceof Stmt.If i) {
        out.add(new Stmt.If(i.condition(), replaceJumps(i.then()), replaceJumps(i.otherwise()),
            i.source()));
      } else {
        out.add(s); // a loop's own jumps stay: they leave that loop, not the block
      }
    }
    return out;
  }

  /** Declares the break and continue flags (fresh per if, so a loop body resets them). */
  void declare(List<Stmt> out) {
    for (Var v : new Var[] {breaking, continuing}) {
      if (v != null) {
        out.add(new Stmt.Declare(v, new Expr.Const(false, Type.BOOLEAN), Source.NONE));
      }
    }
  }

  /** The jumps the flags stand for, each under a test of its flag. */
  List<Stmt> jumps() {
    List<Stmt> out = new ArrayList<>();
    if (returning) {
      out.addAll(returns.returnRecorded());
    }
    if (breaking != null) {
      out.add(new Stmt.If(new Expr.Read(breaking), List.of(new Stmt.Break(Source.NONE)),
          List.of(), Source.NONE));
    }
    if (continuing != null) {
      out.add(new Stmt.If(new Expr.Read(continuing),
          List.of(new Stmt.Continue(Source.NONE)), List.of(), Source.NONE));
    }
    return out;
  }

  private Var flag(String name) {
    return new Var(names.allocate(name), name, Type.BOOLEAN, Var.Kind.LOCAL);
  }

  private static Stmt set(Var v) {
    return new Stmt.Assign(v, AssignOp.SET, new Expr.Const(true, Type.BOOLEAN), Source.NONE);
  }
}
