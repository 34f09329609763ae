package dev.adjoint.processor.frontend;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * The registry of hand-written forward-mode derivatives ({@code @JvpOf}), the forward
 * counterpart of {@link CustomDerivatives}: JVPs declared in this compilation, and JVPs declared
 * in a function's own class (also from a jar), kept by a {@link DerivativeRegistry}. Each JVP's
 * signature is checked against its function; a mismatch is an error on the JVP.
 */
public final class CustomJvps {
  /** Qualified name of the registration annotation. */
  public static final String JVP_OF = "dev.adjoint.JvpOf";

  /**
   * A registered JVP.
   *
   * @param method the JVP method
   * @param differentiable per parameter of the function: whether the JVP takes its tangent
   */
  public record Jvp(ExecutableElement method, List<Boolean> differentiable) {}

  private final DerivativeRegistry<Jvp> registry;

  public CustomJvps(Elements elements) {
    this.registry = new DerivativeRegistry<>(elements, JVP_OF, new DerivativeRegistry.Kind<>() {
      @Override
      public Problem check(ExecutableElement jvp, ExecutableElement target) {
        String error = CustomJvps.check(jvp, target);
        return error == null ? null : Problem.on(jvp, Message.JVP_SIGNATURE,
            DerivativeRegistry.signature(target), expectedSignature(jvp, target), error);
      }

      @Override
      public Jvp describe(ExecutableElement jvp, ExecutableElement target) {
        return new Jvp(jvp, differentiable(jvp, target));
      }

      @Override
      public Problem noTarget(ExecutableElement jvp, String name, TypeElement in) {
        return Problem.on(jvp, Message.JVP_OF_NO_TARGET, name, name, in.getQualifiedName());
      }

      @Override
      public Problem duplicate(ExecutableElement jvp, ExecutableElement target) {
        return Problem.on(jvp, Message.JVP_OF_DUPLICATE, DerivativeRegistry.signature(target));
      }
    });
  }

  /** Registers JVPs declared in this compilation. */
  public void registerAll(Iterable<? extends Element> annotated) {
    registry.registerAll(annotated);
  }

  /** Problems found in registered JVPs' signatures. */
  public List<Problem> problems() {
    return registry.problems();
  }

  /** The registered JVP of {@code target}, or null. */
  public Jvp lookup(ExecutableElement target) {
    return registry.lookup(target);
  }

  private static List<Boolean> differentiable(ExecutableElement jvp, ExecutableElement target) {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < target.getParameters().size(); i++) {
      Type t = TypeMapping.of(target.getParameters().get(i).asType());
      out.add(t != null && t.isDifferentiable() && !(i < jvp.getParameters().size()
          && GradNames.hasAnnotation(jvp.getParameters().get(i), GradNames.NO_DERIVATIVE)));
    }
    return List.copyOf(out);
  }

  /** Null when {@code jvp} has the signature {@code target} requires, else what is wrong. */
  private static String check(ExecutableElement jvp, ExecutableElement target) {
    if (!jvp.getModifiers().contains(Modifier.STATIC)) {
      return "it is not static";
    }
    Type result = TypeMapping.of(target.getReturnType());
    if (result == null || !result.isDifferentiable()) {
      return target.getSimpleName() + " returns " + target.getReturnType()
          + ", which has no derivative";
    }
    List<? extends VariableElement> jp = jvp.getParameters();
    List<? extends VariableElement> tp = target.getParameters();
    List<Boolean> diff = differentiable(jvp, target);
    List<String> wanted = new ArrayList<>();
    for (VariableElement p : tp) {
      wanted.add(p.asType().toString());
    }
    wanted.add(target.getReturnType().toString());
    for (int i = 0; i < tp.size(); i++) {
      if (diff.get(i)) {
        wanted.add(tp.get(i).asType().toString());
      }
    }
    if (jp.size() != wanted.size()) {
      return "it has " + jp.size() + " parameters, not " + wanted.size();
    }
    for (int i = 0; i < wanted.size(); i++) {
      if (!jp.get(i).asType().toString().equals(wanted.get(i))) {
        return "parameter " + (i + 1) + " must be " + wanted.get(i) + ", not "
            + jp.get(i).asType();
      }
    }
    if (!jvp.getReturnType().toString().equals(target.getReturnType().toString())) {
      return "it must return " + target.getReturnType() + " (the tangent of the result), not "
          + jvp.getReturnType();
    }
    return null;
  }

  private static String expectedSignature(ExecutableElement jvp, ExecutableElement target) {
    List<String> params = new ArrayList<>();
    List<String> tangents = new ArrayList<>();
    List<Boolean> diff = differentiable(jvp, target);
    for (int i = 0; i < target.getParameters().size(); i++) {
      VariableElement p = target.getParameters().get(i);
      params.add(p.asType() + " " + p.getSimpleName());
      if (diff.get(i)) {
        tangents.add(p.asType() + " t" + GradNames.capitalize(p.getSimpleName().toString()));
      }
    }
    params.add(target.getReturnType() + " value");
    params.addAll(tangents);
    return target.getReturnType() + " " + jvp.getSimpleName() + "(" + String.join(", ", params)
        + ")";
  }
}
