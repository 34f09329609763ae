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
   * @param leaf for a leaf of a record parameter (or of the receiver), where in the record it
   *     is; the call passes the record rebuilt from its leaves. Else null
   */
  public record Param(String name, Type type, boolean differentiable, RecordLeaf leaf) {
    public Param(String name, Type type, boolean differentiable) {
      this(name, type, differentiable, null);
    }

    /** The accessors from the gradient record to this parameter's partial. */
    public List<String> partialPath() {
      if (leaf == null) {
        return List.of(name);
      }
      List<String> out = new java.util.ArrayList<>();
      out.add(leaf.root());
      out.addAll(leaf.path());
      return out;
    }
  }

  /** True when the callee is an instance method of a record: its first parameters are the receiver's leaves. */
  public boolean isInstance() {
    return !params.isEmpty() && params.get(0).leaf() != null && params.get(0).leaf().receiver();
  }

  /** True when some parameter is a leaf of a record. */
  public boolean hasRecords() {
    return params.stream().anyMatch(p -> p.leaf() != null);
  }
}
