package dev.adjoint.processor.ir;

/** Assignment operators: plain {@code =} and the compound forms, each with its binary operator. */
public enum AssignOp {
  SET("=", null), ADD("+=", BinaryOp.ADD), SUB("-=", BinaryOp.SUB), MUL("*=", BinaryOp.MUL),
  DIV("/=", BinaryOp.DIV), REM("%=", BinaryOp.REM), SHL("<<=", BinaryOp.SHL),
  SHR(">>=", BinaryOp.SHR), USHR(">>>=", BinaryOp.USHR), BIT_AND("&=", BinaryOp.BIT_AND),
  BIT_OR("|=", BinaryOp.BIT_OR), XOR("^=", BinaryOp.XOR);

  public final String symbol;
  /** The operator a compound assignment applies, null for {@code =}. */
  public final BinaryOp binary;

  AssignOp(String symbol, BinaryOp binary) {
    this.symbol = symbol;
    this.binary = binary;
  }
}
