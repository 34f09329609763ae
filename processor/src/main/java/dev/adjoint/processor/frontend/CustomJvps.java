package dev.adjoint.processor.frontend;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * The registry of hand-written forward-mode derivatives ({@code @JvpOf}), the forward
 * counterpart of {@link CustomDerivatives}: JVPs declared in this compilation, and JVPs declared
 * in a function's own class (also from a jar). Each JVP's signature is checked against its
 * function; a mismatch is an error on the JVP.
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

  private final Elements elements;
  private final Map<ExecutableElement, Jvp> byTarget = new HashMap<>();
  private final Set<TypeElement> scanned = new HashSet<>();
  private final List<Problem> problems = new ArrayList<>();

  public CustomJvps(Elements elements) {
    this.elements = elements;
  }

  /** Registers JVPs declared in this compilation. */
  public void registerAll(Iterable<? extends Element> annotated) {
    for (Element e : annotated) {
      if (e instanceof ExecutableElement m) {
        register(m, true);
      }
    }
  }

  /** Problems found in registered JVPs' signatures. */
  public List<Problem> problems() {
    return problems;
  }

  /** The registered JVP of {@code target}, or null. */
  public Jvp lookup(ExecutableElement target) {
    TypeElement owner = (TypeElement) target.getEnclosingElement();
    if (scanned.add(owner)) {
      for (ExecutableElement m : ElementFilter.methodsIn(owner.getEnclosedElements())) {
        if (GradNames.hasAnnotation(m, JVP_OF)) {
          register(m, false);
        }
      }
    }
    return byTarget.get(target);
  }

  private void register(ExecutableElement jvp, boolean report) {
    String name = null;
    TypeElement in = (TypeElement) jvp.getEnclosingElement();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(annotation(jvp)).entrySet()) {
      String key = e.getKey().getSimpleName().toString();
      Object v = e.getValue().getValue();
      if (key.equals("value")) {
        name = (String) v;
      } else if (key.equals("in") && v instanceof TypeMirror t && t instanceof DeclaredType dt) {
        in = (TypeElement) dt.asElement();
      }
    }
    List<ExecutableElement> candidates = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(in))) {
      if (m.getSimpleName().contentEquals(name) && m.getModifiers().contains(Modifier.STATIC)
          && !m.equals(jvp)) {
        candidates.add(m);
      }
    }
    if (candidates.isEmpty()) {
      fail(report, Problem.on(jvp, Message.JVP_OF_NO_TARGET, name, name, in.getQualifiedName()));
      return;
    }
    Problem firstError = null;
    for (ExecutableElement target : candidates) {
      String error = check(jvp, target);
      if (error == null) {
        Jvp j = new Jvp(jvp, differentiable(jvp, target));
        Jvp previous = byTarget.putIfAbsent(target, j);
        if (previous != null && !previous.method().equals(jvp)) {
          fail(report, Problem.on(jvp, Message.JVP_OF_DUPLICATE, signature(target)));
        }
        return;
      }
      if (firstError == null || candidates.size() == 1) {
        firstError = Problem.on(jvp, Message.JVP_SIGNATURE, signature(target),
            expectedSignature(jvp, target), error);
      }
    }
    fail(report, firstError);
  }

  private void fail(boolean report, Problem problem) {
    if (report) {
      problems.add(problem);
    }
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

  private static String signature(ExecutableElement m) {
    return m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName() + "("
        + m.getParameters().stream().map(p -> p.asType().toString())
            .collect(Collectors.joining(", ")) + ")";
  }

  private static AnnotationMirror annotation(Element e) {
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(JVP_OF)) {
        return a;
      }
    }
    throw new IllegalStateException("not annotated: " + e);
  }
}
