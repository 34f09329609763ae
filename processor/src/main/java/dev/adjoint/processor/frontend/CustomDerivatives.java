package dev.adjoint.processor.frontend;

import dev.adjoint.processor.diagnostics.Message;
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
      fail(report, Problem.on(pullback, Message.DERIVATIVE_OF_NO_TARGET, name, name,
          in.getQualifiedName()));
      return;
    }
    Problem firstError = null;
    for (ExecutableElement target : candidates) {
      Problem error = check(pullback, target);
      if (error == null) {
        Pullback p = describe(pullback, target);
        Pullback previous = byTarget.putIfAbsent(target, p);
        if (previous != null && !previous.equals(p)) {
          fail(report, Problem.on(pullback, Message.DERIVATIVE_OF_DUPLICATE,
              signature(target)));
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

  /** Null when {@code pullback} has the signature {@code target} requires, else why not. */
  private static Problem check(ExecutableElement pullback, ExecutableElement target) {
    String shape = signature(target);
    String wanted = expectedSignature(pullback, target);
    String expected = Message.PULLBACK_SIGNATURE.text(shape, wanted);
    if (!pullback.getModifiers().contains(Modifier.STATIC)) {
      return Problem.on(pullback, Message.PULLBACK_NOT_STATIC, expected);
    }
    List<? extends VariableElement> pp = pullback.getParameters();
    List<? extends VariableElement> tp = target.getParameters();
    Type result = TypeMapping.of(target.getReturnType());
    if (result == null || !result.isDifferentiable()) {
      return Problem.on(pullback, Message.PULLBACK_OF_NON_FLOATING, shape,
          target.getReturnType());
    }
    if (pp.size() < tp.size() + 1) {
      return Problem.on(pullback, Message.PULLBACK_PARAMETER_COUNT, expected, pp.size());
    }
    int scalars = 0;
    List<Type> buffers = new ArrayList<>();
    for (int i = 0; i < tp.size(); i++) {
      Type t = TypeMapping.of(tp.get(i).asType());
      if (t == null || !pullback.getParameters().get(i).asType().toString()
          .equals(tp.get(i).asType().toString())) {
        return Problem.on(pullback, Message.PULLBACK_PARAMETER_TYPE, expected, i + 1,
            tp.get(i).asType(), pp.get(i).asType());
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
      return Problem.on(pullback, Message.PULLBACK_SEVERAL_SCALARS);
    }
    if (!pp.get(tp.size()).asType().toString().equals(target.getReturnType().toString())) {
      return Problem.on(pullback, Message.PULLBACK_SEED_TYPE, expected, tp.size() + 1,
          target.getReturnType(), pp.get(tp.size()).asType());
    }
    if (pp.size() != tp.size() + 1 + buffers.size()) {
      return Problem.on(pullback, Message.PULLBACK_BUFFER_COUNT, expected);
    }
    for (int k = 0; k < buffers.size(); k++) {
      Type t = TypeMapping.of(pp.get(tp.size() + 1 + k).asType());
      if (!buffers.get(k).equals(t)) {
        return Problem.on(pullback, Message.PULLBACK_BUFFER_TYPE, expected, k + 1,
            buffers.get(k), pp.get(tp.size() + 1 + k).asType());
      }
    }
    Type ret = TypeMapping.of(pullback.getReturnType());
    String wantedReturn = scalars == 0 ? "void" : scalarType(pp, tp).toString();
    String actualReturn = pullback.getReturnType().toString();
    if (!wantedReturn.equals(actualReturn)) {
      return scalars == 0
          ? Problem.on(pullback, Message.PULLBACK_RETURN_VOID, expected, actualReturn)
          : Problem.on(pullback, Message.PULLBACK_RETURN_SCALAR, expected, wantedReturn,
              actualReturn);
    }
    return ret == null && scalars > 0
        ? Problem.on(pullback, Message.PULLBACK_SIGNATURE, shape, wanted) : null;
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
