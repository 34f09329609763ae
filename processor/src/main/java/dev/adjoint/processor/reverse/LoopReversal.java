package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.ir.Exprs.read;

import dev.adjoint.processor.analysis.Loops;
import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a loop runs backwards. A counted loop counts its index back down from the last index it
 * took; any other loop replays the trip count that its forward sweep counted (on the tape when
 * the loop itself runs inside a loop). When the reverse iterations commute, the reverse loop
 * keeps the forward header instead, and becomes a candidate for {@link LoopFusion}.
 */
final class LoopReversal {
  private final AdjointContext ctx;
  private final Loops loops;
  private final ReverseWork work;
  private final Hoisting hoisting;
  private final LoopFusion fusion;
  /** The trip counter of each loop whose reverse replays its trip count. */
  private final Map<Stmt.Loop, Var> counts = new IdentityHashMap<>();

  LoopReversal(AdjointContext ctx, Loops loops, ReverseWork work, Hoisting hoisting,
      LoopFusion fusion) {
    this.ctx = ctx;
    this.loops = loops;
    this.work = work;
    this.hoisting = hoisting;
    this.fusion = fusion;
  }

  // ---------------------------------------------------------------- forward sweep

  /**
   * Declares into {@code out} the trip counter of {@code l} when its reverse must replay the
   * trip count (it has reverse work and no counted index), and returns it; else null.
   */
  Var tripCounter(Stmt.Loop l, List<Stmt> out) {
    if (!work.inIterations(l) || loops.counted(l) != null) {
      return null;
    }
    Var count = ctx.newVar("iterations", Type.INT);
    counts.put(l, count);
    if (loops.inLoop(l)) {
      out.add(new Stmt.Declare(count, new Expr.Const(0, Type.INT), Source.NONE));
    } else {
      hoisting.declare(count, new Expr.Const(0, Type.INT), out);
    }
    return count;
  }

  /** The count of one trip, first in the forward body. */
  static Stmt countTrip(Var count) {
    return new Stmt.Assign(count, AssignOp.ADD, new Expr.Const(1, Type.INT), Source.NONE);
  }

  /** After a loop inside a loop, pushes its trip count (null: none) for its reverse. */
  void pushTripCount(Stmt.Loop l, Var count, List<Stmt> out) {
    if (count != null && loops.inLoop(l)) {
      out.add(ctx.push(read(count)));
    }
  }

  // ---------------------------------------------------------------- reverse sweep

  /**
   * The reverse loop of {@code l}, running {@code body} (one reverse iteration, starting with
   * the {@code recomputed} declarations) once per forward iteration; then, when reverse code
   * before the loop reads an index declared before it, the index set back to its start.
   */
  List<Stmt> reversed(Stmt.Loop l, List<Stmt> body, List<Stmt.Declare> recomputed) {
    Loops.Counted c = loops.counted(l);
    if (c == null) {
      Var count = counts.get(l);
      Var k = ctx.newVar("iteration", Type.INT);
      Expr start = loops.inLoop(l) ? ctx.pop(Type.INT) : read(count);
      return List.of(new Stmt.Loop(List.of(new Stmt.Declare(k, start, Source.NONE)),
          new Expr.Binary(BinaryOp.GT, read(k), new Expr.Const(0, Type.INT), Type.BOOLEAN),
          List.of(new Stmt.Assign(k, AssignOp.SUB, new Expr.Const(1, Type.INT), Source.NONE)),
          body, true, l.source()));
    }
    Var i = c.index();
    Stmt.Loop loop;
    if (IterationOrder.commutes(body)) {
      // The reverse iterations only add into adjoints: they can run in the forward order,
      // which HotSpot optimises better than a descending loop.
      List<Stmt> init = c.ownIndex() ? l.init() : List.of(setIndex(c, c.start()));
      // A do/while's condition is not tested before its first iteration: run to its last index.
      Expr test = l.testFirst() ? l.condition()
          : new Expr.Binary(c.step() > 0 ? BinaryOp.LE : BinaryOp.GE, read(i), c.last(),
              Type.BOOLEAN);
      loop = new Stmt.Loop(init, test, List.of(c.update()), body, true, l.source());
      fusion.offer(l, loop, recomputed, false);
    } else {
      boolean up = c.step() > 0;
      Stmt init = c.ownIndex() ? new Stmt.Declare(i, c.last(), Source.NONE)
          : setIndex(c, c.last());
      // An exact loop may have wrapped around int: it stops where the forward one started.
      Expr test = c.exact()
          ? new Expr.Binary(BinaryOp.NE, read(i), Exprs.plusInt(c.start(), -c.step()), Type.BOOLEAN)
          : new Expr.Binary(up ? BinaryOp.GE : BinaryOp.LE, read(i), c.start(), Type.BOOLEAN);
      loop = new Stmt.Loop(List.of(init), test,
          List.of(new Stmt.Assign(i, up ? AssignOp.SUB : AssignOp.ADD,
              new Expr.Const(Math.abs(c.step()), Type.INT), Source.NONE)),
          body, true, l.source());
      if (IterationOrder.commutesWithinIteration(body, declared(l.body()),
          freshArrays(l.body()))) {
        fusion.offer(l, loop, recomputed, true);
      }
    }
    return c.restoresIndex() ? List.of(loop, setIndex(c, c.start())) : List.of(loop);
  }

  /** The variables declared in {@code stmts}, nested blocks (and loop headers) included. */
  private static Set<Var> declared(List<Stmt> stmts) {
    Set<Var> out = new HashSet<>();
    for (Stmt s : Stmt.all(stmts, true)) {
      if (s instanceof Stmt.Declare d) {
        out.add(d.var());
      }
    }
    return out;
  }

  /** The array variables that {@code stmts} declare with a new array, nested blocks included. */
  private static Set<Var> freshArrays(List<Stmt> stmts) {
    Set<Var> out = new HashSet<>();
    for (Stmt s : Stmt.all(stmts, false)) {
      if (s instanceof Stmt.Declare d && d.var().type().dims() > 0
          && IterationOrder.allocates(d.init())) {
        out.add(d.var());
      }
    }
    return out;
  }

  private static Stmt setIndex(Loops.Counted c, Expr value) {
    return new Stmt.Assign(c.index(), AssignOp.SET, value, Source.NONE);
  }
}
