package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A {@code @Differentiable} method called from differentiated code, with what the caller needs to
 * chain through its generated gradient.
 *
 * @param packageName package of the declaring class (and of its generated gradient class)
 * @param ownerName simple names of the declaring class, outermost first, joined by '.'
 * @param method the method name
 * @param gradName simple name of the generated class holding its gradient
 * @param recordName simple name of the gradient record nested in the generated class
 * @param accumulatorName simple name of the accumulator class nested in the generated class,
 *     or null when the gradient has no accumulating form (no array parameter or result) or a
 *     precompiled gradient class lacks it
 * @param params the callee's parameters, in order
 * @param returnType the callee's return type; for a void method, its out-parameter's type
 * @param outParameter for a void method, the position of the array parameter it writes (its
 *     out-parameter), whose new values the generated class's value form returns; else -1
 */
public record Callee(
    String packageName, String ownerName, String method, String gradName, String recordName,
    String accumulatorName, List<Param> params, Type returnType, int outParameter) {

  /** Qualified name of the generated gradient class. */
  public String gradClass() {
    return packageName.isEmpty() ? gradName : packageName + "." + gradName;
  }

  /**
   * A callee parameter.
   *
   * @param name the parameter (and record component) name
   * @param type the declared type
   * @param differentiable whether the gradient record has a component for it
   */
  public record Param(String name, Type type, boolean differentiable) {}
}
