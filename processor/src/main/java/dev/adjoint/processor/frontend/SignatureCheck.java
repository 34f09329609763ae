package dev.adjoint.processor.frontend;

import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/** Checks that a {@code @Differentiable} method has a signature Adjoint can differentiate. */
public final class SignatureCheck {
  /** Names a record component cannot have (they clash with {@code Object}'s methods). */
  private static final Set<String> RESERVED_COMPONENTS = Set.of(
      "value", "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString",
      "wait");

  private SignatureCheck() {}

  /** The problems with {@code method}'s signature; empty when it can be differentiated. */
  public static List<Problem> check(ExecutableElement method) {
    List<Problem> problems = new ArrayList<>();
    String name = method.getSimpleName().toString();
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      problems.add(Problem.on(method, "@Differentiable method " + name + " must be static; "
          + "Adjoint differentiates pure static functions (pass state as parameters)"));
    }
    if (method.getModifiers().contains(Modifier.ABSTRACT)
        || method.getModifiers().contains(Modifier.NATIVE)) {
      problems.add(Problem.on(method, "@Differentiable method " + name + " must have a body"));
    }
    if (!method.getTypeParameters().isEmpty()) {
      problems.add(Problem.on(method, "@Differentiable method " + name + " must not be generic; "
          + "write one method per primitive type"));
    }
    Type ret = TypeMapping.of(method.getReturnType());
    if (ret == null || !(ret.isFloating() || ret.isFloatingArray() && ret.dims() == 1)) {
      problems.add(Problem.on(method, "@Differentiable method " + name + " must return double, "
          + "float, double[] or float[], not " + method.getReturnType()));
    }
    if (method.isVarArgs()) {
      problems.add(Problem.on(method, "@Differentiable method " + name + " must not have "
          + "variable arity; declare the parameters one by one"));
    }
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    if (!GradNames.isSupportedOwner(owner)) {
      problems.add(Problem.on(method, "@Differentiable methods must be declared in a top-level "
          + "class or a static nested class; " + owner.getSimpleName() + " is an inner or "
          + "local class"));
    }
    for (VariableElement p : method.getParameters()) {
      Type t = TypeMapping.of(p.asType());
      boolean noDerivative = GradNames.hasAnnotation(p, GradNames.NO_DERIVATIVE);
      if (t == null || t.dims() > 2) {
        problems.add(Problem.on(p, "parameter " + p.getSimpleName() + " has type " + p.asType()
            + "; @Differentiable methods take primitives and arrays of primitives of at most "
            + "two dimensions"));
        continue;
      }
      if (ret != null && ret.dims() > 0 && p.getSimpleName().contentEquals("seed")) {
        problems.add(Problem.on(p, "a method returning an array cannot have a parameter named "
            + "'seed': its gradient method adds a parameter of that name; rename it"));
      }
      if (noDerivative && !t.isDifferentiable()) {
        problems.add(Problem.warningOn(p, "@NoDerivative has no effect on " + t + " parameter "
            + p.getSimpleName() + ": only double and float parameters are differentiated"));
      }
      if (t.isDifferentiable() && !noDerivative
          && RESERVED_COMPONENTS.contains(p.getSimpleName().toString())) {
        problems.add(Problem.on(p, "a differentiable parameter cannot be named '"
            + p.getSimpleName() + "': the generated record would have a clashing component; "
            + "rename the parameter"));
      }
    }
    return problems;
  }
}
