package dev.adjoint.processor.frontend;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** Recognises {@code dev.adjoint.StopGradient.stopGradient}, the explicit zero derivative. */
public final class StopGradients {
  /** The runtime class, as generated code names it. */
  public static final String OWNER = "dev.adjoint.StopGradient";
  /** Its one method name. */
  public static final String METHOD = "stopGradient";

  private StopGradients() {}

  /** True for {@code StopGradient.stopGradient} of any type. */
  static boolean is(ExecutableElement method) {
    return method.getSimpleName().contentEquals(METHOD)
        && method.getEnclosingElement() instanceof TypeElement t
        && t.getQualifiedName().contentEquals(OWNER);
  }
}
