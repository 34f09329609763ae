package dev.adjoint.processor.fuzz;

import java.util.List;
import java.util.Map;

/**
 * One generated program: a class of {@code @Differentiable} functions, and its probe twin (the
 * same functions without annotations, with every data-dependent branch decision, {@code max},
 * {@code min}, {@code abs} and integer cast recorded in a trace) used to tell whether the branch
 * structure is the same at a point and at its finite-difference neighbours.
 *
 * @param index the program's index in the run (with the run's seed, enough to regenerate it)
 * @param seed the seed the generator used for this program
 * @param className the simple name of the class, in package {@link #PACKAGE}
 * @param source the program's source text
 * @param probeSource the probe class's source text (class {@code className + "Probe"})
 * @param functions the functions, helpers first
 * @param features how often each construct was generated
 */
record FuzzProgram(int index, long seed, String className, String source, String probeSource,
    List<Function> functions, Map<String, Integer> features) {

  static final String PACKAGE = "fuzz";

  String qualifiedName() {
    return PACKAGE + "." + className;
  }

  String probeName() {
    return qualifiedName() + "Probe";
  }

  /**
   * A parameter of a generated function; {@code writtenInPlace} when the function writes its
   * elements (a 2-D one is then sampled rectangular: the gradient's copy of it is rectangular).
   */
  record Param(String name, Ty type, boolean noDerivative, boolean writtenInPlace) {
    Param(String name, Ty type, boolean noDerivative) {
      this(name, type, noDerivative, false);
    }

    boolean differentiable() {
      return type.differentiable() && !noDerivative;
    }
  }

  /**
   * A generated function.
   *
   * @param floatMode true when float arithmetic happens anywhere in it (or in a callee): checked
   *     with float-sized finite-difference steps and tolerance
   */
  record Function(String name, List<Param> params, Ty result, boolean floatMode) {}
}
