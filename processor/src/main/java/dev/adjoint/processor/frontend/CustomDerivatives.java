package dev.adjoint.processor.frontend;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Problem;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Pullback;
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
 * The registry of hand-written derivatives ({@code @DerivativeOf}): pullbacks declared in this
 * compilation, and pullbacks declared in a function's own class (also from a jar), kept by a
 * {@link DerivativeRegistry}. Each pullback's signature is checked against its function; a
 * mismatch is an error on the pullback.
 */
public final class CustomDerivatives {
  /** Qualified name of the registration annotation. */
  public static final String DERIVATIVE_OF = "dev.adjoint.DerivativeOf";

  private final DerivativeRegistry<Pullback> registry;

  public CustomDerivatives(Elements elements) {
    this.registry = new DerivativeRegistry<>(elements, DERIVATIVE_OF,
        new DerivativeRegistry.Kind<>() {
          @Override
          public Problem check(ExecutableElement pullback, ExecutableElement target) {
            return CustomDerivatives.check(pullback, target);
          }

          @Override
          public Pullback describe(ExecutableElement pullback, ExecutableElement target) {
            return CustomDerivatives.describe(pullback, target);
          }

          @Override
          public Problem noTarget(ExecutableElement pullback, String name, TypeElement in) {
            return Problem.on(pullback, Message.DERIVATIVE_OF_NO_TARGET, name, name,
                in.getQualifiedName());
          }

          @Override
          public Problem duplicate(ExecutableElement pullback, ExecutableElement target) {
            return Problem.on(pullback, Message.DERIVATIVE_OF_DUPLICATE,
                DerivativeRegistry.signature(target));
          }
        });
  }

  /** Registers pullbacks declared in this compilation. */
  public void registerAll(Iterable<? extends Element> annotated) {
    registry.registerAll(annotated);
  }

  /** Problems found in registered pullbacks' signatures. */
  public List<Problem> problems() {
    return registry.problems();
  }

  /** The registered pullback of {@code target}, or null. */
  public Pullback lookup(ExecutableElement target) {
    return registry.lookup(target);
  }

  /** Null when {@code pullback} has the signature {@code target} requires, else why not. */
  private static Problem check(ExecutableElement pullback, ExecutableElement target) {
    String shape = DerivativeRegistry.signature(target);
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
}
