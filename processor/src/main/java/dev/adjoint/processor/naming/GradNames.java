package dev.adjoint.processor.naming;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * The names of generated code, which are part of the user contract (see README):
 *
 * <ul>
 *   <li>class {@code p.Foo} gives {@code p.FooGrad}; a nested class {@code p.Outer.Inner} gives
 *       the top-level {@code p.Outer_InnerGrad};
 *   <li>method {@code f} gives record {@code F} (name capitalised); when several
 *       {@code @Differentiable} methods of a class share a name, each record name is followed by
 *       its parameter types, as {@code FDoubleFloat} for {@code f(double, float)} (arrays add
 *       {@code Array}); a record name equal to the generated class's name gets {@code Result}
 *       appended;
 *   <li>the accumulator class of a method with array parameters or result is its record name
 *       followed by {@code Accumulator};
 *   <li>names that would still clash (methods {@code fooBar} and {@code FooBar}, a method
 *       {@code gAccumulator} next to {@code g}) get the parameter types, then a number appended,
 *       in declaration order.
 * </ul>
 */
public final class GradNames {
  /** Qualified name of the annotation that marks differentiable methods. */
  public static final String DIFFERENTIABLE = "dev.adjoint.Differentiable";
  /** Qualified name of the annotation that excludes a parameter. */
  public static final String NO_DERIVATIVE = "dev.adjoint.NoDerivative";
  /** Qualified name of the annotation on a gradient record naming the parameters written. */
  public static final String WRITES_IN_PLACE = "dev.adjoint.WritesInPlace";

  private GradNames() {}

  /** Package of a type. */
  public static String packageName(TypeElement type) {
    Element e = type;
    while (!(e instanceof PackageElement)) {
      e = e.getEnclosingElement();
    }
    return ((PackageElement) e).getQualifiedName().toString();
  }

  /** Simple name of the generated class for {@code type}: nested names joined by '_'. */
  public static String gradSimpleName(TypeElement type) {
    List<String> parts = new ArrayList<>();
    Element e = type;
    while (e instanceof TypeElement t) {
      parts.add(0, t.getSimpleName().toString());
      e = t.getEnclosingElement();
    }
    return String.join("_", parts) + "Grad";
  }

  /** Qualified name of the generated class for {@code type}. */
  public static String gradQualifiedName(TypeElement type) {
    String pkg = packageName(type);
    return pkg.isEmpty() ? gradSimpleName(type) : pkg + "." + gradSimpleName(type);
  }

  /** Simple name of the record returned by the gradient of {@code method}. */
  public static String recordName(ExecutableElement method) {
    return typeNames((TypeElement) method.getEnclosingElement()).get(method).record();
  }

  /** Simple name of the accumulator class of the gradient of {@code method}. */
  public static String accumulatorName(ExecutableElement method) {
    return typeNames((TypeElement) method.getEnclosingElement()).get(method).accumulator();
  }

  /**
   * Simple name of the record returned by the forward-mode form of {@code method}: its record
   * name followed by {@code Jvp} ({@code FJvp} for {@code f}).
   */
  public static String jvpRecordName(ExecutableElement method) {
    return typeNames((TypeElement) method.getEnclosingElement()).get(method).jvp();
  }

  /** Simple name of the record of the Hessian-vector product of {@code method} ({@code FHvp}). */
  public static String hvpRecordName(ExecutableElement method) {
    return typeNames((TypeElement) method.getEnclosingElement()).get(method).hvp();
  }

  /** Simple name of the accumulator class of the Hessian-vector product of {@code method}. */
  public static String hvpAccumulatorName(ExecutableElement method) {
    return typeNames((TypeElement) method.getEnclosingElement()).get(method).hvpAccumulator();
  }

  /**
   * Simple name of the record of the gradient of the directional derivative of {@code method}
   * ({@code FDirectional}), which a Hessian-vector product calling {@code method} chains through.
   */
  public static String directionalRecordName(ExecutableElement method) {
    return typeNames((TypeElement) method.getEnclosingElement()).get(method).directional();
  }

  /** Simple name of the accumulator class of {@link #directionalRecordName}'s gradient. */
  public static String directionalAccumulatorName(ExecutableElement method) {
    return typeNames((TypeElement) method.getEnclosingElement()).get(method)
        .directionalAccumulator();
  }

  /**
   * Simple name of the class nested in the generated class that holds the directional
   * derivatives' values ({@code DirectionalDerivatives}); the same for every method of a class.
   */
  public static String directionalClassName(ExecutableElement method) {
    return typeNames((TypeElement) method.getEnclosingElement()).get(method).directionalClass();
  }

  /**
   * Name of the directional-derivative method of {@code method}: {@code fDirectional} for
   * {@code f}, taking its parameters and one tangent per differentiable parameter.
   */
  public static String directionalMethodName(String method) {
    return method + "Directional";
  }

  /** Name of the forward-mode method of {@code method}: {@code fJvp} for {@code f}. */
  public static String jvpMethodName(String method) {
    return method + "Jvp";
  }

  /** Name of the Hessian-vector product method of {@code method}: {@code fHvp} for {@code f}. */
  public static String hvpMethodName(String method) {
    return method + "Hvp";
  }

  /** True when {@code method}'s {@code @Differentiable} sets {@code forward = true}. */
  public static boolean wantsForward(ExecutableElement method) {
    return annotationFlag(method, "forward");
  }

  /** True when {@code method}'s {@code @Differentiable} sets {@code hessian = true}. */
  public static boolean wantsHessian(ExecutableElement method) {
    return annotationFlag(method, "hessian");
  }

  private static boolean annotationFlag(ExecutableElement method, String element) {
    for (var a : method.getAnnotationMirrors()) {
      var type = (TypeElement) a.getAnnotationType().asElement();
      if (!type.getQualifiedName().contentEquals(DIFFERENTIABLE)) {
        continue;
      }
      for (var e : a.getElementValues().entrySet()) {
        if (e.getKey().getSimpleName().contentEquals(element)) {
          return Boolean.TRUE.equals(e.getValue().getValue());
        }
      }
    }
    return false;
  }

  /** The nested type names generated for one method. */
  private record TypeNames(String record, String accumulator, String jvp, String hvp,
      String hvpAccumulator, String directional, String directionalAccumulator,
      String directionalClass) {}

  /**
   * The record and accumulator names of all {@code @Differentiable} methods of {@code owner},
   * unique within the generated class, decided in declaration order so that a caller (also one
   * compiled later against a jar) derives the same names: the preferred name; if taken, with the
   * parameter types appended; if still taken, with a number.
   */
  private static Map<ExecutableElement, TypeNames> typeNames(TypeElement owner) {
    Set<String> taken = new HashSet<>();
    taken.add(gradSimpleName(owner));
    List<ExecutableElement> differentiable = ElementFilter.methodsIn(owner.getEnclosedElements())
        .stream().filter(GradNames::isDifferentiable).toList();
    // Overloads counted once here: counting per method made naming a class quadratic.
    Map<String, Integer> overloads = new HashMap<>();
    differentiable.forEach(m -> overloads.merge(m.getSimpleName().toString(), 1, Integer::sum));
    Map<ExecutableElement, String> records = new LinkedHashMap<>();
    for (ExecutableElement m : differentiable) {
      String preferred = preferredRecordName(owner, m,
          overloads.get(m.getSimpleName().toString()) > 1);
      String name = preferred;
      if (taken.contains(name)) {
        name = preferred.endsWith(parameterWords(m)) ? preferred : preferred + parameterWords(m);
      }
      records.put(m, unique(name, taken));
    }
    Map<ExecutableElement, String> accumulators = new HashMap<>();
    for (Map.Entry<ExecutableElement, String> e : records.entrySet()) {
      accumulators.put(e.getKey(), unique(e.getValue() + "Accumulator", taken));
    }
    // The forward and second-order names come last, for every method whether or not it asks
    // for them, so that they never change the names above and a caller derives them alike.
    Map<ExecutableElement, String[]> firstOrder = new LinkedHashMap<>();
    for (Map.Entry<ExecutableElement, String> e : records.entrySet()) {
      String r = e.getValue();
      String hvp = unique(r + "Hvp", taken);
      firstOrder.put(e.getKey(), new String[] {unique(r + "Jvp", taken), hvp,
          unique(hvp + "Accumulator", taken)});
    }
    // then the names of the directional derivatives, after all the others for the same reason
    Map<ExecutableElement, String[]> directional = new LinkedHashMap<>();
    for (Map.Entry<ExecutableElement, String> e : records.entrySet()) {
      String d = unique(e.getValue() + "Directional", taken);
      directional.put(e.getKey(), new String[] {d, unique(d + "Accumulator", taken)});
    }
    String directionalClass = unique("DirectionalDerivatives", taken);
    Map<ExecutableElement, TypeNames> out = new HashMap<>();
    for (Map.Entry<ExecutableElement, String> e : records.entrySet()) {
      String[] f = firstOrder.get(e.getKey());
      String[] d = directional.get(e.getKey());
      out.put(e.getKey(), new TypeNames(e.getValue(), accumulators.get(e.getKey()), f[0], f[1],
          f[2], d[0], d[1], directionalClass));
    }
    return out;
  }

  /** {@code name}, or {@code name2}, {@code name3}, ... when taken; marks the result taken. */
  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int i = 2; !taken.add(candidate); i++) {
      candidate = name + i;
    }
    return candidate;
  }

  private static String preferredRecordName(TypeElement owner, ExecutableElement method,
      boolean overloaded) {
    String name = method.getSimpleName().toString();
    String result = capitalize(name) + (overloaded ? parameterWords(method) : "");
    return result.equals(gradSimpleName(owner)) ? result + "Result" : result;
  }

  private static String parameterWords(ExecutableElement method) {
    StringBuilder sb = new StringBuilder();
    for (var p : method.getParameters()) {
      sb.append(typeWord(p.asType()));
    }
    return sb.toString();
  }

  private static String typeWord(TypeMirror t) {
    if (t instanceof ArrayType a) {
      return typeWord(a.getComponentType()) + "Array";
    }
    String s = t.toString();
    return capitalize(s.substring(s.lastIndexOf('.') + 1));
  }

  /** True when {@code e} carries {@code @Differentiable}. */
  public static boolean isDifferentiable(Element e) {
    return hasAnnotation(e, DIFFERENTIABLE);
  }

  /** True when {@code e} carries the annotation with the given qualified name. */
  public static boolean hasAnnotation(Element e, String qualifiedName) {
    for (var a : e.getAnnotationMirrors()) {
      var type = (TypeElement) a.getAnnotationType().asElement();
      if (type.getQualifiedName().contentEquals(qualifiedName)) {
        return true;
      }
    }
    return false;
  }

  /** True for a top-level class or a static nested class: the ones the processor supports. */
  public static boolean isSupportedOwner(TypeElement type) {
    Element e = type;
    while (e instanceof TypeElement t) {
      Element outer = t.getEnclosingElement();
      if (outer instanceof TypeElement
          && t.getKind() == ElementKind.CLASS
          && !t.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
        return false;
      }
      if (!(outer instanceof TypeElement) && !(outer instanceof PackageElement)) {
        return false;
      }
      e = outer;
    }
    return true;
  }

  /** {@code loss} becomes {@code Loss}. */
  public static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** The adjoint name of a variable: {@code w} becomes {@code dW}. */
  public static String adjointName(String variable) {
    return "d" + capitalize(variable);
  }
}
