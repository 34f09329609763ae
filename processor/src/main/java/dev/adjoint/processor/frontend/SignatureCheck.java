package dev.adjoint.processor.frontend;

import dev.adjoint.processor.diagnostics.Message;
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
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** Checks that a {@code @Differentiable} method has a signature Adjoint can differentiate. */
public final class SignatureCheck {
  /** Names a record component cannot have (they clash with {@code Object}'s methods). */
  private static final Set<String> RESERVED_COMPONENTS = Set.of(
      "value", "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString",
      "wait");

  /** Parameter slots the JVM allows per method, the receiver included. */
  private static final int MAX_SLOTS = 255;

  private SignatureCheck() {}

  /** The problems with {@code method}'s signature; empty when it can be differentiated. */
  public static List<Problem> check(ExecutableElement method) {
    List<Problem> problems = new ArrayList<>();
    String name = method.getSimpleName().toString();
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    boolean instance = !method.getModifiers().contains(Modifier.STATIC);
    if (instance && RecordShapes.recordOf(owner.asType()) == null) {
      problems.add(Problem.on(method, Message.NOT_STATIC, name, owner.getSimpleName(),
          owner.getSimpleName()));
    } else if (instance) {
      RecordShapes.Result self = RecordShapes.of(owner.asType());
      if (self.shape() == null) {
        problems.add(Problem.on(method, self.message(), self.args().toArray()));
      }
    }
    boolean records = instance;
    if (method.getModifiers().contains(Modifier.ABSTRACT)
        || method.getModifiers().contains(Modifier.NATIVE)) {
      problems.add(Problem.on(method, Message.NO_BODY, name));
    }
    if (!method.getTypeParameters().isEmpty()) {
      problems.add(Problem.on(method, Message.GENERIC, name));
    }
    Type ret = TypeMapping.of(method.getReturnType());
    if (OutParameters.isVoid(method)) {
      // Differentiated as returning its out-parameter (see OutParameters), which the body
      // decides; the gradient has the array result's seed.
      ret = Type.DOUBLE.arrayOf();
    } else if (RecordShapes.recordOf(method.getReturnType()) != null) {
      RecordShapes.Result shape = RecordShapes.of(method.getReturnType());
      records = true;
      if (shape.shape() == null) {
        problems.add(Problem.on(method, shape.message(), shape.args().toArray()));
      } else if (shape.shape().leaves().stream().noneMatch(l -> l.type().isDifferentiable())) {
        problems.add(Problem.on(method, Message.RECORD_RESULT, name, method.getReturnType()));
      }
      // The gradient takes a seed like an array result's (see RecordResults).
      ret = Type.DOUBLE.arrayOf();
    } else if (ret == null || !(ret.isFloating() || ret.isFloatingArray() && ret.dims() == 1)) {
      problems.add(Problem.on(method, Message.RETURN_TYPE, name, method.getReturnType()));
    }
    // (an array result or an out-parameter with hessian = true gets the directional forms
    // callers' Hessian-vector products chain through, but no HVP of its own; a record result
    // has no directional form)
    if (RecordShapes.recordOf(method.getReturnType()) != null && GradNames.wantsHessian(method)) {
      problems.add(Problem.on(method, Message.HESSIAN_ARRAY_RESULT, name,
          method.getReturnType()));
    }
    if (method.isVarArgs()) {
      problems.add(Problem.on(method, Message.VARARGS, name));
    }
    if (!GradNames.isSupportedOwner(owner)) {
      problems.add(Problem.on(method, Message.INNER_CLASS, owner.getSimpleName()));
    }
    for (VariableElement p : method.getParameters()) {
      Type t = TypeMapping.ofParameter(p.asType());
      boolean noDerivative = GradNames.hasAnnotation(p, GradNames.NO_DERIVATIVE);
      if (instance && p.getSimpleName().contentEquals("self")) {
        problems.add(Problem.on(p, Message.RESERVED_PARAMETER_NAME, "self"));
      }
      if (t == null && RecordShapes.recordOf(p.asType()) != null) {
        RecordShapes.Result shape = RecordShapes.of(p.asType());
        if (shape.shape() == null) {
          problems.add(Problem.on(p, shape.message(), shape.args().toArray()));
        } else if (!noDerivative
            && RESERVED_COMPONENTS.contains(p.getSimpleName().toString())) {
          problems.add(Problem.on(p, Message.RESERVED_PARAMETER_NAME, p.getSimpleName()));
        }
        records = true;
        continue;
      }
      if (t == null && RecordShapes.isOtherObject(p.asType())
          && !p.asType().toString().startsWith("java.")) {
        String type = ((javax.lang.model.type.DeclaredType) p.asType()).asElement()
            .getSimpleName().toString();
        problems.add(Problem.on(p, Message.CLASS_PARAMETER, p.getSimpleName(), p.asType(),
            type, type));
        continue;
      }
      if (t == null || t.dims() > 2) {
        problems.add(Problem.on(p, Message.PARAMETER_TYPE, p.getSimpleName(), p.asType()));
        continue;
      }
      if (ret != null && ret.dims() > 0 && p.getSimpleName().contentEquals("seed")) {
        problems.add(Problem.on(p, Message.SEED_PARAMETER));
      }
      if (noDerivative && !t.isDifferentiable()) {
        problems.add(Problem.on(p, Message.NO_DERIVATIVE_WITHOUT_EFFECT, t, p.getSimpleName()));
      }
      if (t.isDifferentiable() && !noDerivative
          && RESERVED_COMPONENTS.contains(p.getSimpleName().toString())) {
        problems.add(Problem.on(p, Message.RESERVED_PARAMETER_NAME, p.getSimpleName()));
      }
    }
    if (records && OutParameters.isVoid(method)) {
      problems.add(Problem.on(method, Message.RETURN_TYPE, name, method.getReturnType()));
    }
    if (problems.isEmpty()) {
      checkParameterSlots(method, ret, problems);
    }
    return problems;
  }

  /**
   * The JVM allows 255 slots of parameters per method (a double or long takes two, and a
   * constructor's receiver one). The gradient adds parameters (seed, accumulator) to the
   * function's and the result record's constructor takes the value and one partial per
   * differentiable parameter, so a function near the limit can compile when its gradient
   * cannot.
   */
  private static void checkParameterSlots(ExecutableElement method, Type ret,
      List<Problem> problems) {
    int params = 0;
    int record = 1 + slots(method.getReturnType());
    boolean arrays = ret.dims() > 0;
    for (VariableElement p : method.getParameters()) {
      params += slots(p.asType());
      Type t = TypeMapping.ofParameter(p.asType());
      if (t == null) {
        // A record: one slot in the signatures, and arrays in its accumulator.
        record += 1;
        arrays = true;
        continue;
      }
      arrays |= t.dims() > 0;
      if (t.isDifferentiable() && !GradNames.hasAnnotation(p, GradNames.NO_DERIVATIVE)) {
        record += slots(p.asType());
      }
    }
    int gradient = params + (ret.dims() > 0 ? 1 : 0) + (arrays ? 1 : 0);
    if (Math.max(gradient, record) > MAX_SLOTS) {
      problems.add(Problem.on(method, Message.TOO_MANY_PARAMETERS, method.getSimpleName(),
          MAX_SLOTS, Math.max(gradient, record)));
    }
  }

  private static int slots(TypeMirror t) {
    return t.getKind() == TypeKind.DOUBLE || t.getKind() == TypeKind.LONG ? 2 : 1;
  }
}
