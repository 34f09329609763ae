package dev.adjoint.processor.frontend;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.naming.GradNames;
import dev.adjoint.processor.rules.MathRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/** Decides how a method called inside differentiated code is differentiated. */
public final class CalleeResolver {
  /** What a call resolves to. */
  public sealed interface Resolution {}

  /**
   * A JDK method (a derivative rule exists, or its result is not floating), or any static
   * method with primitive parameters and an integral or boolean result; {@code owner} is a
   * simple name in {@code java.lang} or a qualified name.
   */
  public record Library(String owner) implements Resolution {}

  /** A {@code @Differentiable} method with a generated gradient. */
  public record Differentiable(Callee callee) implements Resolution {}

  /** A function with a hand-written derivative registered with {@code @DerivativeOf}. */
  public record Custom(dev.adjoint.processor.ir.Pullback pullback) implements Resolution {}

  /** The call cannot be differentiated; {@code message} says why and what to do. */
  public record Unsupported(Message message, List<Object> args) implements Resolution {
    Unsupported(Message message, Object... args) {
      this(message, Arrays.asList(args));
    }
  }

  private final Elements elements;
  private final SourceLookup sources;
  private final CustomDerivatives customs;

  /** Tells whether a class is being compiled in this compilation (its gradient is generated now). */
  @FunctionalInterface
  public interface SourceLookup {
    boolean inThisCompilation(TypeElement type);
  }

  /** Finds the out-parameter of a void {@code @Differentiable} method (see OutParameters). */
  @FunctionalInterface
  public interface OutParameterLookup {
    OutParameters.Result of(ExecutableElement method);
  }

  private final OutParameterLookup outParameters;

  public CalleeResolver(Elements elements, SourceLookup sources, CustomDerivatives customs,
      OutParameterLookup outParameters) {
    this.elements = elements;
    this.sources = sources;
    this.customs = customs;
    this.outParameters = outParameters;
  }

  public Resolution resolve(ExecutableElement method) {
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    String ownerName = owner.getQualifiedName().toString();
    String display = owner.getSimpleName() + "." + method.getSimpleName();
    Type result = TypeMapping.of(method.getReturnType());
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      if (RecordShapes.recordOf(owner.asType()) != null && GradNames.isDifferentiable(method)) {
        return differentiable(method, owner);
      }
      return new Unsupported(Message.INSTANCE_CALL, display);
    }
    var custom = customs.lookup(method);
    if (custom != null) {
      return new Custom(custom);
    }
    if (GradNames.isDifferentiable(method)) {
      return differentiable(method, owner);
    }
    if (MathRules.isPureJdkMethod(ownerName)) {
      if (result != null && result.isFloating() && !MathRules.hasRule(ownerName,
          method.getSimpleName().toString())) {
        return new Unsupported(Message.NO_MATH_RULE, display, MathRules.supportedNames());
      }
      if (result == null) {
        return new Unsupported(Message.LIBRARY_RESULT_TYPE, display, method.getReturnType());
      }
      return new Library(owner.getSimpleName().toString());
    }
    if (result != null && result.dims() == 0 && !result.isFloating()
        && method.getParameters().stream().allMatch(p -> {
          Type t = TypeMapping.of(p.asType());
          return t != null && t.dims() == 0;
        })) {
      // An integral or boolean result carries no derivative, like a cast to int: a helper
      // computing an index or a count is called as it is.
      if (method.getModifiers().contains(Modifier.PRIVATE)) {
        return new Unsupported(Message.PRIVATE_METHOD, display);
      }
      return new Library(ownerName);
    }
    if (ownerName.equals("java.util.Arrays") || ownerName.equals("java.lang.System")) {
      boolean copy = method.getSimpleName().contentEquals("arraycopy")
          || method.getSimpleName().toString().startsWith("copyOf");
      return new Unsupported(copy ? Message.ARRAY_COPY_CALL : Message.ARRAYS_CALL, display);
    }
    if (!sources.inThisCompilation(owner) && ownerName.startsWith("java.")) {
      return new Unsupported(Message.JDK_NO_DERIVATIVE, display);
    }
    return new Unsupported(Message.NO_KNOWN_DERIVATIVE, display, display);
  }

  /** Adds one callee parameter per leaf of record parameter {@code root}. */
  private static void addLeaves(List<Callee.Param> params, String root,
      dev.adjoint.processor.ir.RecordShape shape, boolean differentiable, boolean receiver) {
    for (var leaf : shape.leaves()) {
      params.add(new Callee.Param(root + "." + String.join(".", leaf.path()), leaf.type(),
          differentiable && leaf.type().isDifferentiable(),
          new dev.adjoint.processor.ir.RecordLeaf(root, shape, leaf.path(), receiver)));
    }
  }

  private Resolution differentiable(ExecutableElement method, TypeElement owner) {
    String gradClass = GradNames.gradQualifiedName(owner);
    if (!sources.inThisCompilation(owner) && elements.getTypeElement(gradClass) == null) {
      return new Unsupported(Message.GRADIENT_CLASS_MISSING,
          owner.getSimpleName() + "." + method.getSimpleName(), gradClass,
          owner.getSimpleName());
    }
    String recordName = GradNames.recordName(method);
    // A class read from a jar may lack parameter names (no -parameters); its gradient record
    // has the real ones, in order, after `value`.
    List<String> componentNames = null;
    OutParameters.Result writes = null;
    if (!sources.inThisCompilation(owner)) {
      TypeElement record = elements.getTypeElement(gradClass + "." + recordName);
      if (record == null) {
        return new Unsupported(Message.GRADIENT_RECORD_MISSING, gradClass, recordName,
            owner.getSimpleName() + "." + method.getSimpleName(), owner.getSimpleName());
      }
      componentNames = new ArrayList<>();
      for (var c : ElementFilter.recordComponentsIn(record.getEnclosedElements())) {
        componentNames.add(c.getSimpleName().toString());
      }
      componentNames = componentNames.subList(1, componentNames.size());
      writes = OutParameters.recorded(method, record);
    }
    List<Callee.Param> params = new ArrayList<>();
    int component = 0;
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      RecordShapes.Result self = RecordShapes.of(owner.asType());
      if (self.shape() == null) {
        return new Unsupported(self.message(), self.args().toArray());
      }
      addLeaves(params, "self", self.shape(), true, true);
      component++;
    }
    for (VariableElement p : method.getParameters()) {
      Type t = TypeMapping.ofParameter(p.asType());
      if (t == null && RecordShapes.recordOf(p.asType()) != null) {
        RecordShapes.Result shape = RecordShapes.of(p.asType());
        if (shape.shape() == null) {
          return new Unsupported(shape.message(), shape.args().toArray());
        }
        boolean diff = !GradNames.hasAnnotation(p, GradNames.NO_DERIVATIVE);
        String name = p.getSimpleName().toString();
        if (diff && componentNames != null && component < componentNames.size()) {
          name = componentNames.get(component++);
        }
        addLeaves(params, name, shape.shape(), diff, false);
        continue;
      }
      if (t == null) {
        return new Unsupported(Message.CALLEE_PARAMETER_TYPE, method.getSimpleName(),
            p.getSimpleName(), p.asType());
      }
      boolean diff = t.isDifferentiable()
          && !GradNames.hasAnnotation(p, GradNames.NO_DERIVATIVE);
      String name = p.getSimpleName().toString();
      if (diff && componentNames != null) {
        if (component >= componentNames.size()) {
          return new Unsupported(Message.GRADIENT_RECORD_MISMATCH, gradClass, recordName,
              method.getSimpleName(), owner.getSimpleName());
        }
        name = componentNames.get(component++);
      }
      params.add(new Callee.Param(name, t, diff));
    }
    Type returnType = TypeMapping.of(method.getReturnType());
    if (writes == null) {
      writes = outParameters.of(method);
    }
    if (writes.error() != null) {
      return new Unsupported(writes.error(), writes.args().toArray());
    }
    if (!writes.sideEffects().isEmpty()) {
      // the name the record gives it when the class file lacks parameter names
      String x = params.get(writes.sideEffects().get(0)).name();
      return new Unsupported(Message.CALLEE_WRITES_PARAMETER,
          owner.getSimpleName() + "." + method.getSimpleName(), x, method.getSimpleName(), x, x);
    }
    int out = writes.index();
    if (out >= 0) {
      returnType = params.get(out).type();
    }
    String accumulatorName = null;
    boolean arrays = returnType != null && returnType.dims() > 0
        || params.stream().anyMatch(p -> p.type().dims() > 0);
    // Records always get the accumulating form (see AdjointProcessor).
    arrays |= params.stream().anyMatch(p -> p.leaf() != null);
    if (arrays) {
      accumulatorName = GradNames.accumulatorName(method);
      if (!sources.inThisCompilation(owner)
          && elements.getTypeElement(gradClass + "." + accumulatorName) == null) {
        accumulatorName = null; // compiled otherwise: chain through the record form only
      }
    }
    String ownerName = owner.getQualifiedName().toString();
    String pkg = GradNames.packageName(owner);
    return new Differentiable(new Callee(pkg,
        pkg.isEmpty() ? ownerName : ownerName.substring(pkg.length() + 1),
        method.getSimpleName().toString(), GradNames.gradSimpleName(owner), recordName,
        accumulatorName, List.copyOf(params), returnType, out));
  }
}
