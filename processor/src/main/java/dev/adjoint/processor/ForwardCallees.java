package dev.adjoint.processor;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.UnsupportedConstruct;
import dev.adjoint.processor.forward.ForwardMode;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.naming.GradNames;
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

  /** {@code generated}: the methods of this compilation whose JVP form is generated. */
  ForwardCallees(Elements elements, Set<ExecutableElement> generated) {
    this.elements = elements;
    this.generated = generated;
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
    return new Callee(callee.packageName(), callee.ownerName(),
        GradNames.jvpMethodName(callee.method()), callee.gradName(), record, null,
        callee.params(), callee.returnType());
  }

  @Override
  public UnsupportedConstruct unsupported(Callee callee, long line, String text) {
    String jvp = GradNames.jvpMethodName(callee.method());
    return new UnsupportedConstruct(line, text, Message.FORWARD_NO_JVP_FORM, callee.gradClass(),
        jvp, callee.method(), callee.ownerName(), callee.method());
  }

  private ExecutableElement element(Callee callee) {
    String owner = callee.packageName().isEmpty() ? callee.ownerName()
        : callee.packageName() + "." + callee.ownerName();
    TypeElement type = elements.getTypeElement(owner);
    if (type == null) {
      return null;
    }
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (m.getSimpleName().contentEquals(callee.method())
          && m.getParameters().size() == callee.params().size()
          && GradNames.isDifferentiable(m) && sameTypes(m, callee)) {
        return m;
      }
    }
    return null;
  }

  private static boolean sameTypes(ExecutableElement m, Callee callee) {
    for (int i = 0; i < callee.params().size(); i++) {
      var t = dev.adjoint.processor.frontend.TypeMapping.of(m.getParameters().get(i).asType());
      if (t == null || !t.equals(callee.params().get(i).type())) {
        return false;
      }
    }
    return true;
  }
}
