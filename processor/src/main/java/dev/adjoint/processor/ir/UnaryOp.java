package dev.adjoint.processor.ir;

/** Unary operators of the IR. */
public enum UnaryOp {
  NEG("-"), PLUS("+"), NOT("!"), COMPLEMENT("~");

  public final String symbol;

  UnaryOp(String symbol) {
    this.symbol = symbol;
  }
}
