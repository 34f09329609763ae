package dev.adjoint.processor.frontend;

import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Pullback;
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
 * The registry of hand-written derivatives ({@code @DerivativeOf}): pullbacks declared in this
 * compilation, and pullbacks declared in a function's own class (also from a jar). Each pullback's
 * signature is checked against its function; a mismatch is an error on the pullback.
 */
public final class CustomDerivatives {
  /** Qualified name of the registration annotation. */
  public static final String DERIVATIVE_OF = "dev.adjoint.DerivativeOf";

  private final Elements elements;
  private final Map<ExecutableElement, Pullback> byTarget = new HashMap<>();
  private final Set<TypeElement> scanned = new HashSet<>();
  private final List<Problem> problems = new ArrayList<>();

  public CustomDerivatives(Elements elements) {
    this.elements = elements;
  }

  /** Registers pullbacks declared in this compilation. */
  public void registerAll(Iterable<? extends Element> annotated) {
    for (Element e : annotated) {
      if (e instanceof ExecutableElement m) {
        register(m, true);
      }
    }
  }

  /** Problems found in registered pullbacks' signatures. */
  public List<Problem> problems() {
    return problems;
  }

  /** The registered pullback of {@code target}, or null. */
  public Pullback lookup(ExecutableElement target) {
    TypeElement owner = (TypeElement) target.getEnclosingElement();
    if (scanned.add(owner)) {
      // Pullbacks next to their function, e.g. Adjoint's own ops read from a jar.
      for (ExecutableElement m : ElementFilter.methodsIn(owner.getEnclosedElements())) {
        if (GradNames.hasAnnotation(m, DERIVATIVE_OF)) {
          register(m, false);
        }
      }
    }
    return byTarget.get(target);
  }

  private void register(ExecutableElement pullback, boolean report) {
    AnnotationMirror a = annotation(pullback);
    String name = null;
    TypeElement in = (TypeElement) pullback.getEnclosingElement();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(a).entrySet()) {
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
          && !m.equals(pullback)) {
        candidates.add(m);
      }
    }
    if (candidates.isEmpty()) {
      fail(report, pullback, "@DerivativeOf(\"" + name + "\") names no static method " + name
          + " in " + in.getQualifiedName());
      return;
    }
    String firstError = null;
    for (ExecutableElement target : candidates) {
      String error = check(pullback, target);
      if (error == null) {
        Pullback p = describe(pullback, target);
        Pullback previous = byTarget.putIfAbsent(target, p);
        if (previous != null && !previous.equals(p)) {
          fail(report, pullback, "another @DerivativeOf method is already registered for "
              + signature(target));
        }
        return;
      }
      if (firstError == null || candidates.size() == 1) {
        firstError = error;
      }
    }
    fail(report, pullback, firstError);
  }

  private void fail(boolean report, ExecutableElement pullback, String message) {
    if (report) {
      problems.add(Problem.on(pullback, message));
    }
  }

  /** Null when {@code pullback} has the signature {@code target} requires, else why not. */
  private static String check(ExecutableElement pullback, ExecutableElement target) {
    String expected = "the pullback of " + signature(target) + " must be: static "
        + expectedSignature(pullback, target);
    if (!pullback.getModifiers().contains(Modifier.STATIC)) {
      return "@DerivativeOf method must be static; " + expected;
    }
    List<? extends VariableElement> pp = pullback.getParameters();
    List<? extends VariableElement> tp = target.getParameters();
    Type result = TypeMapping.of(target.getReturnType());
    if (result == null || !result.isDifferentiable()) {
      return signature(target) + " returns " + target.getReturnType()
          + ", which has no derivative";
    }
    if (pp.size() < tp.size() + 1) {
      return expected + " (it has " + pp.size() + " parameters)";
    }
    int scalars = 0;
    List<Type> buffers = new ArrayList<>();
    for (int i = 0; i < tp.size(); i++) {
      Type t = TypeMapping.of(tp.get(i).asType());
      if (t == null || !pullback.getParameters().get(i).asType().toString()
          .equals(tp.get(i).asType().toString())) {
        return expected + "; parameter " + (i + 1) + " must be " + tp.get(i).asType()
            + ", not " + pp.get(i).asType();
      }
      if (t.isDifferentiable() && !GradNames.hasAnnotation(pp.get(i), GradNames.NO_DERIVATIVE)) {
        if (t.dims() > 0) {
          buffers.add(t);
        } else {
          scalars++;
        }
      }
    }
    if (scalars > 1) {
      return "custom derivatives of functions with several differentiable scalar parameters are "
          + "not supported; mark all but one @NoDerivative in the pullback, or write the "
          + "function as @Differentiable";
    }
    if (!pp.get(tp.size()).asType().toString().equals(target.getReturnType().toString())) {
      return expected + "; the seed (parameter " + (tp.size() + 1) + ") must be "
          + target.getReturnType() + ", not " + pp.get(tp.size()).asType();
    }
    if (pp.size() != tp.size() + 1 + buffers.size()) {
      return expected + " (one buffer per differentiable array parameter)";
    }
    for (int k = 0; k < buffers.size(); k++) {
      Type t = TypeMapping.of(pp.get(tp.size() + 1 + k).asType());
      if (!buffers.get(k).equals(t)) {
        return expected + "; buffer " + (k + 1) + " must be " + buffers.get(k) + ", not "
            + pp.get(tp.size() + 1 + k).asType();
      }
    }
    Type ret = TypeMapping.of(pullback.getReturnType());
    String wantedReturn = scalars == 0 ? "void" : scalarType(pp, tp).toString();
    String actualReturn = pullback.getReturnType().toString();
    if (!wantedReturn.equals(actualReturn)) {
      return expected + "; it must return " + wantedReturn + (scalars == 0 ? ""
          : " (seed times the derivative with respect to the scalar parameter)") + ", not "
          + actualReturn;
    }
    return ret == null && scalars > 0 ? expected : null;
  }

  private static Type scalarType(List<? extends VariableElement> pp,
      List<? extends VariableElement> tp) {
    for (int i = 0; i < tp.size(); i++) {
      Type t = TypeMapping.of(tp.get(i).asType());
      if (t != null && t.isFloating() && !GradNames.hasAnnotation(pp.get(i),
          GradNames.NO_DERIVATIVE)) {
        return t;
      }
    }
    return null;
  }

  private static String expectedSignature(ExecutableElement pullback, ExecutableElement target) {
    List<String> params = new ArrayList<>();
    List<String> buffers = new ArrayList<>();
    String ret = "void";
    for (int i = 0; i < target.getParameters().size(); i++) {
      VariableElement p = target.getParameters().get(i);
      params.add(p.asType() + " " + p.getSimpleName());
      Type t = TypeMapping.of(p.asType());
      boolean off = i < pullback.getParameters().size()
          && GradNames.hasAnnotation(pullback.getParameters().get(i), GradNames.NO_DERIVATIVE);
      if (t != null && t.isDifferentiable() && !off) {
        if (t.dims() > 0) {
          buffers.add(p.asType() + " " + GradNames.adjointName(p.getSimpleName().toString()));
        } else {
          ret = p.asType().toString();
        }
      }
    }
    params.add(target.getReturnType() + " seed");
    params.addAll(buffers);
    return ret + " " + pullback.getSimpleName() + "(" + String.join(", ", params) + ")";
  }

  private static String signature(ExecutableElement m) {
    return m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName() + "("
        + m.getParameters().stream().map(p -> p.asType().toString())
            .collect(Collectors.joining(", ")) + ")";
  }

  private static Pullback describe(ExecutableElement pullback, ExecutableElement target) {
    TypeElement targetOwner = (TypeElement) target.getEnclosingElement();
    TypeElement pullbackOwner = (TypeElement) pullback.getEnclosingElement();
    List<Callee.Param> params = new ArrayList<>();
    for (int i = 0; i < target.getParameters().size(); i++) {
      VariableElement p = target.getParameters().get(i);
      Type t = TypeMapping.of(p.asType());
      boolean diff = t.isDifferentiable() && !GradNames.hasAnnotation(
          pullback.getParameters().get(i), GradNames.NO_DERIVATIVE);
      params.add(new Callee.Param(p.getSimpleName().toString(), t, diff));
    }
    return new Pullback(GradNames.packageName(targetOwner), ownerName(targetOwner),
        target.getSimpleName().toString(), GradNames.packageName(pullbackOwner),
        ownerName(pullbackOwner), pullback.getSimpleName().toString(), List.copyOf(params),
        TypeMapping.of(target.getReturnType()));
  }

  private static String ownerName(TypeElement t) {
    String q = t.getQualifiedName().toString();
    String pkg = GradNames.packageName(t);
    return pkg.isEmpty() ? q : q.substring(pkg.length() + 1);
  }

  private static AnnotationMirror annotation(Element e) {
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(DERIVATIVE_OF)) {
        return a;
      }
    }
    throw new IllegalStateException("not annotated: " + e);
  }
}
