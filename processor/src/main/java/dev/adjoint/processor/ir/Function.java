package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A {@code @Differentiable} method lowered to IR.
 *
 * @param name the method name
 * @param params the parameters in declaration order
 * @param returnType {@code double} or {@code float}
 * @param body the statements of the method body
 * @param source where the method is declared (its line and signature)
 */
public record Function(
    String name, List<Param> params, Type returnType, List<Stmt> body, Source source) {

  /**
   * A parameter.
   *
   * @param var the variable that holds it
   * @param differentiable true when the generated record has a partial derivative for it
   * @param leaf for a leaf of a record parameter, where in the record it is; else null
   */
  public record Param(Var var, boolean differentiable, RecordLeaf leaf) {
    public Param(Var var, boolean differentiable) {
      this(var, differentiable, null);
    }
  }

  /** True when some parameter is a leaf of a record parameter (or of the receiver). */
  public boolean hasRecords() {
    return params.stream().anyMatch(p -> p.leaf() != null);
  }
}
