package dev.adjoint.processor.frontend;

import dev.adjoint.processor.diagnostics.Problem;
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
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * A registry of hand-written derivatives registered by an annotation naming their function
 * ({@code @DerivativeOf("f")}, {@code @JvpOf("f")}, with an optional {@code in} class): those
 * declared in this compilation, and those declared in a function's own class (also from a jar),
 * found when the function is first looked up. What a derivative must look like is the
 * {@link Kind}'s; {@link CustomDerivatives} and {@link CustomJvps} are its two uses.
 *
 * @param <V> what is registered for a function
 */
final class DerivativeRegistry<V> {
  /** The checks and the registered value of one kind of hand-written derivative. */
  interface Kind<V> {
    /** Null when {@code derivative} fits {@code target}, else the problem on it. */
    Problem check(ExecutableElement derivative, ExecutableElement target);

    /** What is registered for {@code target}. */
    V describe(ExecutableElement derivative, ExecutableElement target);

    /** The problem of a derivative naming no static method {@code name} in {@code in}. */
    Problem noTarget(ExecutableElement derivative, String name, TypeElement in);

    /** The problem of a second, different derivative registered for {@code target}. */
    Problem duplicate(ExecutableElement derivative, ExecutableElement target);
  }

  private final Elements elements;
  private final String annotation;
  private final Kind<V> kind;
  private final Map<ExecutableElement, V> byTarget = new HashMap<>();
  private final Set<TypeElement> scanned = new HashSet<>();
  private final List<Problem> problems = new ArrayList<>();

  DerivativeRegistry(Elements elements, String annotation, Kind<V> kind) {
    this.elements = elements;
    this.annotation = annotation;
    this.kind = kind;
  }

  /** Registers the derivatives declared in this compilation, reporting their problems. */
  void registerAll(Iterable<? extends Element> annotated) {
    for (Element e : annotated) {
      if (e instanceof ExecutableElement m) {
        register(m, true);
      }
    }
  }

  /** Problems found in the signatures of derivatives declared in this compilation. */
  List<Problem> problems() {
    return problems;
  }

  /** The derivative registered for {@code target}, or null. */
  V lookup(ExecutableElement target) {
    TypeElement owner = (TypeElement) target.getEnclosingElement();
    if (scanned.add(owner)) {
      // Derivatives next to their function, e.g. Adjoint's own ops read from a jar.
      for (ExecutableElement m : ElementFilter.methodsIn(owner.getEnclosedElements())) {
        if (GradNames.hasAnnotation(m, annotation)) {
          register(m, false);
        }
      }
    }
    return byTarget.get(target);
  }

  private void register(ExecutableElement derivative, boolean report) {
    String name = null;
    TypeElement in = (TypeElement) derivative.getEnclosingElement();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(annotationOf(derivative)).entrySet()) {
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
          && !m.equals(derivative)) {
        candidates.add(m);
      }
    }
    if (candidates.isEmpty()) {
      fail(report, kind.noTarget(derivative, name, in));
      return;
    }
    // The first overload it fits; else the problem with the only one (or the first).
    Problem firstError = null;
    for (ExecutableElement target : candidates) {
      Problem error = kind.check(derivative, target);
      if (error == null) {
        V v = kind.describe(derivative, target);
        V previous = byTarget.putIfAbsent(target, v);
        if (previous != null && !previous.equals(v)) {
          fail(report, kind.duplicate(derivative, target));
        }
        return;
      }
      if (firstError == null || candidates.size() == 1) {
        firstError = error;
      }
    }
    fail(report, firstError);
  }

  private void fail(boolean report, Problem problem) {
    if (report) {
      problems.add(problem);
    }
  }

  /** {@code Owner.name(double, double[])}, as messages name a function. */
  static String signature(ExecutableElement m) {
    return m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName() + "("
        + m.getParameters().stream().map(p -> p.asType().toString())
            .collect(Collectors.joining(", ")) + ")";
  }

  private AnnotationMirror annotationOf(Element e) {
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(annotation)) {
        return a;
      }
    }
    throw new IllegalStateException("not annotated: " + e);
  }
}
