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
   */
  public record Param(Var var, boolean differentiable) {}
}
