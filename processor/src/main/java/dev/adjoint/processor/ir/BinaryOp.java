package dev.adjoint.processor.ir;

/** Binary operators of the IR, with their Java precedence (higher binds tighter). */
public enum BinaryOp {
  MUL("*", 12), DIV("/", 12), REM("%", 12),
  ADD("+", 11), SUB("-", 11),
  SHL("<<", 10), SHR(">>", 10), USHR(">>>", 10),
  LT("<", 9), LE("<=", 9), GT(">", 9), GE(">=", 9),
  EQ("==", 8), NE("!=", 8),
  BIT_AND("&", 7), XOR("^", 6), BIT_OR("|", 5),
  AND("&&", 4), OR("||", 3);

  public final String symbol;
  public final int precedence;

  BinaryOp(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  /**
   * The order comparison, or {@code !=}, with its operands swapped ({@code n > i} is
   * {@code i < n}); null for other operators.
   */
  public BinaryOp mirrored() {
    return switch (this) {
      case LT -> GT;
      case LE -> GE;
      case GT -> LT;
      case GE -> LE;
      case NE -> NE;
      default -> null;
    };
  }

  /** True for operators whose result is boolean whatever their operands. */
  public boolean isComparisonOrLogical() {
    return precedence <= 9 && this != BIT_AND && this != XOR && this != BIT_OR
        || this == AND || this == OR;
  }
}
