package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A hand-written derivative registered with {@code @DerivativeOf}: how to call the function and
 * its pullback.
 *
 * @param targetPackage package of the function's class
 * @param targetOwner simple names of the function's class, outermost first, joined by '.'
 * @param targetMethod the function's name
 * @param pullbackPackage package of the pullback's class
 * @param pullbackOwner simple names of the pullback's class, joined by '.'
 * @param pullbackMethod the pullback's name
 * @param params the function's parameters; {@code differentiable} ones get a buffer (arrays) or
 *     the pullback's return value (the one scalar)
 * @param returnType the function's result type (and the seed's type)
 */
public record Pullback(
    String targetPackage, String targetOwner, String targetMethod,
    String pullbackPackage, String pullbackOwner, String pullbackMethod,
    List<Callee.Param> params, Type returnType) {

  /** Index of the differentiable scalar parameter whose adjoint the pullback returns, or -1. */
  public int scalarParameter() {
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i).differentiable() && params.get(i).type().dims() == 0) {
        return i;
      }
    }
    return -1;
  }
}
