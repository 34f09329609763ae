package dev.adjoint.processor;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.UnsupportedConstruct;
import dev.adjoint.processor.forward.ForwardMode;
import dev.adjoint.processor.frontend.CalleeResolver;
import dev.adjoint.processor.frontend.CustomJvps;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Pullback;
import dev.adjoint.processor.naming.GradNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * How forward mode chains a call of another {@code @Differentiable} method: through the JVP form
 * of its gradient class, generated in this compilation for every method a forward-mode method
 * calls (directly or not), or found in a precompiled gradient class.
 */
final class ForwardCallees implements ForwardMode.Calls {
  private final Elements elements;
  private final Set<ExecutableElement> generated;
  private final CustomJvps jvps;
  private final CalleeResolver resolver;
  /** In a Hessian-vector product: the methods whose directional forms are generated, or null. */
  private final Set<ExecutableElement> directional;

  /**
   * {@code generated}: the methods of this compilation whose JVP form is generated;
   * {@code jvps}: the hand-written JVPs; {@code resolver}: how a {@code @Differentiable} JVP is
   * called.
   */
  ForwardCallees(Elements elements, Set<ExecutableElement> generated, CustomJvps jvps,
      CalleeResolver resolver) {
    this(elements, generated, jvps, resolver, null);
  }

  private ForwardCallees(Elements elements, Set<ExecutableElement> generated, CustomJvps jvps,
      CalleeResolver resolver, Set<ExecutableElement> directional) {
    this.elements = elements;
    this.generated = generated;
    this.jvps = jvps;
    this.resolver = resolver;
    this.directional = directional;
  }

  /**
   * The calls of the directional derivative a Hessian-vector product differentiates:
   * {@code directional} are the methods of this compilation whose directional forms are
   * generated.
   */
  ForwardCallees secondOrder(Set<ExecutableElement> directional) {
    return new ForwardCallees(elements, generated, jvps, resolver, directional);
  }

  @Override
  public boolean secondOrder() {
    return directional != null;
  }

  @Override
  public Callee directionalOf(Callee callee) {
    ExecutableElement m = element(callee);
    if (m == null) {
      return null;
    }
    // (a void helper's directional derivative returns the tangent of its out-parameter's new
    // values, as a new array: a function like any other, writing no argument)
    String record = GradNames.directionalRecordName(m);
    if (!directional.contains(m)
        && elements.getTypeElement(callee.gradClass() + "." + record) == null) {
      return null;
    }
    List<Callee.Param> params = new ArrayList<>();
    for (Callee.Param p : callee.params()) {
      // the directional derivative of an instance method is static, its receiver first
      params.add(p.leaf() == null || !p.leaf().receiver() ? p : new Callee.Param(p.name(),
          p.type(), p.differentiable(), new dev.adjoint.processor.ir.RecordLeaf(
              p.leaf().root(), p.leaf().shape(), p.leaf().path(), false)));
    }
    params.addAll(ForwardMode.tangentParams(callee.params(), "t"));
    // (records always get the accumulating form)
    boolean arrays = callee.returnType().dims() > 0
        || params.stream().anyMatch(p -> p.type().dims() > 0 || p.leaf() != null);
    String accumulator = arrays ? GradNames.directionalAccumulatorName(m) : null;
    if (accumulator != null && !directional.contains(m)
        && elements.getTypeElement(callee.gradClass() + "." + accumulator) == null) {
      accumulator = null;
    }
    return new Callee(callee.packageName(),
        callee.gradName() + "." + GradNames.directionalClassName(m),
        GradNames.directionalMethodName(callee.method()), callee.gradName(), record, accumulator,
        List.copyOf(params), callee.returnType(), -1);
  }

  @Override
  public ForwardMode.CustomJvp customJvpOf(Pullback function) {
    ExecutableElement target = element(function);
    CustomJvps.Jvp jvp = target == null ? null : jvps.lookup(target);
    if (jvp == null) {
      return null;
    }
    TypeElement owner = (TypeElement) jvp.method().getEnclosingElement();
    String qualified = owner.getQualifiedName().toString();
    String pkg = GradNames.packageName(owner);
    Pullback call = new Pullback(function.targetPackage(), function.targetOwner(),
        function.targetMethod(), pkg, pkg.isEmpty() ? qualified
            : qualified.substring(pkg.length() + 1), jvp.method().getSimpleName().toString(),
        function.params(), function.returnType());
    Callee differentiated = null;
    Pullback pullback = null;
    CalleeResolver.Resolution r = resolver.resolve(jvp.method());
    if (r instanceof CalleeResolver.Custom c) {
      pullback = c.pullback(); // the JVP's own pullback (@DerivativeOf the JVP)
    } else if (GradNames.isDifferentiable(jvp.method())
        && r instanceof CalleeResolver.Differentiable d) {
      differentiated = d.callee();
    }
    return new ForwardMode.CustomJvp(call, jvp.differentiable(), differentiated, pullback);
  }

  /** The function a hand-written derivative belongs to. */
  private ExecutableElement element(Pullback p) {
    String owner = p.targetPackage().isEmpty() ? p.targetOwner()
        : p.targetPackage() + "." + p.targetOwner();
    TypeElement type = elements.getTypeElement(owner);
    if (type == null) {
      return null;
    }
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (m.getSimpleName().contentEquals(p.targetMethod())
          && m.getParameters().size() == p.params().size()
          && sameTypes(m, p.params())) {
        return m;
      }
    }
    return null;
  }

  @Override
  public Callee jvpOf(Callee callee) {
    ExecutableElement m = element(callee);
    if (m == null) {
      return null;
    }
    String record = GradNames.jvpRecordName(m);
    if (!generated.contains(m)
        && elements.getTypeElement(callee.gradClass() + "." + record) == null) {
      return null;
    }
    List<Callee.Param> params = callee.params();
    if (callee.hasRecords()) {
      // the tangents of records are records too, rebuilt from their leaves where printed
      params = new ArrayList<>(params);
      params.addAll(ForwardMode.tangentParams(callee.params(), "t"));
      params = List.copyOf(params);
    }
    return new Callee(callee.packageName(), callee.ownerName(),
        GradNames.jvpMethodName(callee.method()), callee.gradName(), record, null,
        params, callee.returnType(), -1);
  }

  @Override
  public UnsupportedConstruct unsupported(Callee callee, long line, String text) {
    if (directional != null) {
      String why = "compile " + callee.ownerName() + " with @Differentiable(hessian = true) on "
          + callee.method();
      if (callee.outParameter() >= 0 || callee.returnType().dims() > 0) {
        why += " (for a method returning an array or writing an out-parameter, that generates "
            + "the directional forms only), or compile it together with this class";
      }
      return new UnsupportedConstruct(line, text, Message.HESSIAN_CALL, callee.ownerName() + "."
          + callee.method(), GradNames.directionalMethodName(callee.method()), why);
    }
    String jvp = GradNames.jvpMethodName(callee.method());
    return new UnsupportedConstruct(line, text, Message.FORWARD_NO_JVP_FORM, callee.gradClass(),
        jvp, callee.method(), callee.ownerName(), callee.method());
  }

  /**
   * The method {@code callee} calls: matched by the parameters the resolver gives it (a record
   * parameter or the receiver is one parameter per leaf, a {@code String} or enum a reference),
   * so that records and selectors find their method as primitives do.
   */
  private ExecutableElement element(Callee callee) {
    String owner = callee.packageName().isEmpty() ? callee.ownerName()
        : callee.packageName() + "." + callee.ownerName();
    TypeElement type = elements.getTypeElement(owner);
    if (type == null) {
      return null;
    }
    List<dev.adjoint.processor.ir.Type> wanted = callee.params().stream()
        .map(Callee.Param::type).toList();
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (m.getSimpleName().contentEquals(callee.method()) && GradNames.isDifferentiable(m)
          && resolver.resolve(m) instanceof CalleeResolver.Differentiable d
          && d.callee().isInstance() == callee.isInstance()
          && d.callee().params().stream().map(Callee.Param::type).toList().equals(wanted)) {
        return m;
      }
    }
    return null;
  }

  /**
   * True when {@code m}'s parameters have the types of {@code params}, which are mapped as
   * parameters are ({@code String} and enum parameters included).
   */
  private static boolean sameTypes(ExecutableElement m, List<Callee.Param> params) {
    for (int i = 0; i < params.size(); i++) {
      var t = dev.adjoint.processor.frontend.TypeMapping.ofParameter(
          m.getParameters().get(i).asType());
      if (t == null || !t.equals(params.get(i).type())) {
        return false;
      }
    }
    return true;
  }
}
