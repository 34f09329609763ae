package dev.adjoint.processor.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The IR walker: operands in evaluation order, rebuilt unchanged, receivers as reads. */
class ExprWalkTest {
  private static final Var X = new Var("x", "x", Type.DOUBLE, Var.Kind.PARAMETER);
  private static final Var N = new Var("n", "n", Type.INT, Var.Kind.LOCAL);
  private static final Var TAPE = new Var("tape", "tape", Type.reference("Tape"),
      Var.Kind.LOCAL);

  @Test
  void operandsRebuildEveryKindOfNode() {
    Expr x = new Expr.Read(X);
    Expr n = new Expr.Read(N);
    Expr.Index element = new Expr.Index(new Expr.Read(new Var("a", "a",
        new Type(Type.Prim.DOUBLE, 1, null), Var.Kind.LOCAL)), n, Type.DOUBLE);
    List<Expr> nodes = List.of(
        Exprs.constant(2, Type.DOUBLE), x, new Expr.StaticField("Math", "PI", Type.DOUBLE),
        new Expr.Unary(UnaryOp.NEG, x, Type.DOUBLE),
        new Expr.Binary(BinaryOp.MUL, x, element, Type.DOUBLE),
        new Expr.Cast(Type.FLOAT, x, true),
        new Expr.Conditional(new Expr.Binary(BinaryOp.LT, n, n, Type.BOOLEAN), x, element,
            Type.DOUBLE),
        new Expr.LibraryCall("Math", "sin", List.of(x), Type.DOUBLE),
        new Expr.Null(Type.DOUBLE), element, new Expr.Length(element.array()),
        new Expr.NewArray(new Type(Type.Prim.DOUBLE, 1, null), List.of(), List.of(x, element)),
        new Expr.NewArray(new Type(Type.Prim.DOUBLE, 2, null), List.of(n, n), null),
        new Expr.RuntimeCall(TAPE, "Tape", "popDouble", List.of(), Type.DOUBLE),
        new Expr.Field(TAPE, "size", Type.INT));
    for (Expr e : nodes) {
      assertEquals(e, e.withOperands(e.operands()), e.toString());
    }
  }

  @Test
  void newArrayOperandsAreItsDimensionsThenItsElements() {
    Expr x = new Expr.Read(X);
    Expr n = new Expr.Read(N);
    Expr init = new Expr.NewArray(new Type(Type.Prim.DOUBLE, 1, null), List.of(), List.of(x, x));
    assertEquals(List.of(x, x), init.operands());
    Expr sized = new Expr.NewArray(new Type(Type.Prim.DOUBLE, 1, null), List.of(n), null);
    assertEquals(List.of(n), sized.operands());
    assertEquals(new Expr.NewArray(new Type(Type.Prim.DOUBLE, 1, null), List.of(), List.of(n, x)),
        init.withOperands(List.of(n, x)));
  }

  @Test
  void childrenAddTheReceiverAsARead() {
    Expr x = new Expr.Read(X);
    Expr call = new Expr.RuntimeCall(TAPE, "Tape", "push", List.of(x), Type.BOOLEAN);
    assertEquals(List.of(), call.withOperands(List.of()).operands());
    assertEquals(List.of(x, new Expr.Read(TAPE)), Exprs.children(call));
    assertEquals(List.of(new Expr.Read(TAPE)),
        Exprs.children(new Expr.Field(TAPE, "size", Type.INT)));
  }
}
