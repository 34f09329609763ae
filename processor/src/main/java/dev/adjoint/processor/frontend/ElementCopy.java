package dev.adjoint.processor.frontend;

import dev.adjoint.processor.ir.AssignOp;
import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Source;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.util.List;

/**
 * The counted loop that copies one array into another, element by element: how the front end
 * spells a copy ({@code clone()}, {@code Arrays.copyOf}, a parameter array written in place), so
 * that the reverse sweep differentiates it like any counted loop.
 */
final class ElementCopy {
  private ElementCopy() {}

  /** {@code for (int index = 0; index < bound; index++) target[index] = source[index];} */
  static Stmt loop(Var index, Var target, Expr source, Expr bound, Source src) {
    Type element = target.type().component();
    return new Stmt.Loop(List.of(new Stmt.Declare(index, new Expr.Const(0, Type.INT), src)),
        new Expr.Binary(BinaryOp.LT, new Expr.Read(index), bound, Type.BOOLEAN),
        List.of(new Stmt.Assign(index, AssignOp.ADD, new Expr.Const(1, Type.INT), src)),
        List.of(new Stmt.Store(new Expr.Index(new Expr.Read(target), new Expr.Read(index), element),
            AssignOp.SET, new Expr.Index(source, new Expr.Read(index), element), src)),
        true, src);
  }
}
