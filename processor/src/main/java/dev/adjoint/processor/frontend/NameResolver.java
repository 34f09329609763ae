package dev.adjoint.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Resolves the names a method body uses (classes, static fields, static methods) from declared
 * elements and the file's imports, without asking javac to attribute the body.
 *
 * <p>Annotation processors run before javac attributes method bodies, and forcing attribution
 * early corrupts javac's state for code that refers to classes generated later in the same
 * compilation. The subset Adjoint differentiates is small enough to type on its own: literals,
 * locals and parameters with declared types, static fields, and static methods chosen by the
 * rules of JLS 15.12 restricted to primitive widening.
 */
final class NameResolver {
  private final Elements elements;
  private final CompilationUnitTree unit;
  private final TypeElement enclosing;
  private final String packageName;
  /**
   * Methods of each class asked about: every call in the body asks again, and listing all
   * members of {@code Math} per call dominated the front end's allocations in long methods.
   */
  private final Map<TypeElement, List<ExecutableElement>> methods = new HashMap<>();

  NameResolver(Elements elements, CompilationUnitTree unit, TypeElement enclosing) {
    this.elements = elements;
    this.unit = unit;
    this.enclosing = enclosing;
    this.packageName = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
  }

  /** The class a simple or qualified name denotes in this file, or null. */
  TypeElement resolveType(ExpressionTree name) {
    if (name instanceof IdentifierTree id) {
      return resolveSimpleType(id.getName().toString());
    }
    if (name instanceof MemberSelectTree ms) {
      TypeElement outer = resolveType(ms.getExpression());
      if (outer != null) {
        for (TypeElement member : ElementFilter.typesIn(outer.getEnclosedElements())) {
          if (member.getSimpleName().contentEquals(ms.getIdentifier())) {
            return member;
          }
        }
        return null;
      }
      return elements.getTypeElement(name.toString());
    }
    return null;
  }

  private TypeElement resolveSimpleType(String name) {
    // Member classes of the enclosing classes, innermost first.
    for (Element e = enclosing; e instanceof TypeElement t; e = t.getEnclosingElement()) {
      if (t.getSimpleName().contentEquals(name)) {
        return t;
      }
      for (TypeElement member : ElementFilter.typesIn(elements.getAllMembers(t))) {
        if (member.getSimpleName().contentEquals(name)) {
          return member;
        }
      }
    }
    for (ImportTree imp : unit.getImports()) {
      if (!imp.isStatic() && imp.getQualifiedIdentifier() instanceof MemberSelectTree ms
          && ms.getIdentifier().contentEquals(name)) {
        TypeElement t = elements.getTypeElement(ms.toString());
        if (t != null) {
          return t;
        }
      }
    }
    TypeElement samePackage = elements.getTypeElement(
        packageName.isEmpty() ? name : packageName + "." + name);
    if (samePackage != null) {
      return samePackage;
    }
    for (ImportTree imp : unit.getImports()) {
      if (!imp.isStatic() && imp.getQualifiedIdentifier() instanceof MemberSelectTree ms
          && ms.getIdentifier().contentEquals("*")) {
        TypeElement t = elements.getTypeElement(ms.getExpression() + "." + name);
        if (t != null) {
          return t;
        }
      }
    }
    return elements.getTypeElement("java.lang." + name);
  }

  /** A field visible by simple name (enclosing classes, then static imports), or null. */
  VariableElement resolveField(String name) {
    for (Element e = enclosing; e instanceof TypeElement t; e = t.getEnclosingElement()) {
      VariableElement f = field(t, name);
      if (f != null) {
        return f;
      }
    }
    for (TypeElement owner : staticImportOwners(name)) {
      VariableElement f = field(owner, name);
      if (f != null && f.getModifiers().contains(Modifier.STATIC)) {
        return f;
      }
    }
    return null;
  }

  /** The class or enum named {@code qualifiedName}, or null. */
  TypeElement typeNamed(String qualifiedName) {
    return elements.getTypeElement(qualifiedName);
  }

  /** A field of {@code owner} (inherited ones included), or null. */
  VariableElement field(TypeElement owner, String name) {
    for (VariableElement f : ElementFilter.fieldsIn(elements.getAllMembers(owner))) {
      if (f.getSimpleName().contentEquals(name)) {
        return f;
      }
    }
    return null;
  }

  /** The outcome of method resolution: the method, or why there is none. */
  record MethodResult(ExecutableElement method, String error) {}

  /** Resolves an unqualified call: enclosing classes innermost first, then static imports. */
  MethodResult resolveMethod(String name, List<Type> args) {
    for (Element e = enclosing; e instanceof TypeElement t; e = t.getEnclosingElement()) {
      if (!methodsNamed(t, name).isEmpty()) {
        return resolveMethod(t, name, args);
      }
    }
    for (TypeElement owner : staticImportOwners(name)) {
      if (!methodsNamed(owner, name).isEmpty()) {
        return resolveMethod(owner, name, args);
      }
    }
    return new MethodResult(null, Message.METHOD_NOT_FOUND.text(name));
  }

  /** Resolves {@code owner.name(args)} by primitive widening and the most specific method. */
  MethodResult resolveMethod(TypeElement owner, String name, List<Type> args) {
    List<ExecutableElement> applicable = new ArrayList<>();
    for (ExecutableElement m : methodsNamed(owner, name)) {
      if (!m.isVarArgs() && m.getParameters().size() == args.size() && accepts(m, args)) {
        applicable.add(m);
      }
    }
    if (applicable.isEmpty()) {
      return new MethodResult(null,
          Message.METHOD_NOT_APPLICABLE.text(owner.getSimpleName(), name, args));
    }
    ExecutableElement best = null;
    for (ExecutableElement m : applicable) {
      boolean mostSpecific = true;
      for (ExecutableElement other : applicable) {
        if (other != m && !accepts(other, paramTypes(m))) {
          mostSpecific = false;
        }
      }
      if (mostSpecific) {
        if (best != null) {
          return new MethodResult(null, Message.CALL_AMBIGUOUS.text(name));
        }
        best = m;
      }
    }
    return best == null ? new MethodResult(null, Message.CALL_AMBIGUOUS.text(name))
        : new MethodResult(best, null);
  }

  private static boolean accepts(ExecutableElement m, List<Type> args) {
    List<Type> params = paramTypes(m);
    for (int i = 0; i < args.size(); i++) {
      Type p = params.get(i);
      if (p == null || !(p.equals(args.get(i)) || p.dims() == 0 && args.get(i).dims() == 0
          && p.widens(args.get(i)))) {
        return false;
      }
    }
    return true;
  }

  private static List<Type> paramTypes(ExecutableElement m) {
    List<Type> out = new ArrayList<>();
    for (VariableElement p : m.getParameters()) {
      out.add(TypeMapping.ofParameter(p.asType()));
    }
    return out;
  }

  private List<ExecutableElement> methodsNamed(TypeElement owner, String name) {
    List<ExecutableElement> out = new ArrayList<>();
    for (ExecutableElement m : methods.computeIfAbsent(owner,
        o -> ElementFilter.methodsIn(elements.getAllMembers(o)))) {
      if (m.getSimpleName().contentEquals(name)) {
        out.add(m);
      }
    }
    return out;
  }

  private List<TypeElement> staticImportOwners(String name) {
    List<TypeElement> out = new ArrayList<>();
    for (ImportTree imp : unit.getImports()) {
      if (imp.isStatic() && imp.getQualifiedIdentifier() instanceof MemberSelectTree ms
          && (ms.getIdentifier().contentEquals(name) || ms.getIdentifier().contentEquals("*"))) {
        TypeElement owner = elements.getTypeElement(ms.getExpression().toString());
        if (owner != null) {
          out.add(owner);
        }
      }
    }
    return out;
  }

  /** The IR type a type tree denotes ({@code double}, {@code float[][]}), or null. */
  static Type typeOf(Tree tree) {
    if (tree == null) {
      return null;
    }
    return switch (tree.getKind()) {
      case PRIMITIVE_TYPE -> switch (((com.sun.source.tree.PrimitiveTypeTree) tree)
          .getPrimitiveTypeKind()) {
        case DOUBLE -> Type.DOUBLE;
        case FLOAT -> Type.FLOAT;
        case LONG -> Type.LONG;
        case INT -> Type.INT;
        case SHORT -> Type.SHORT;
        case BYTE -> Type.BYTE;
        case CHAR -> Type.CHAR;
        case BOOLEAN -> Type.BOOLEAN;
        default -> null;
      };
      case ARRAY_TYPE -> {
        Type component = typeOf(((com.sun.source.tree.ArrayTypeTree) tree).getType());
        yield component == null ? null : component.arrayOf();
      }
      default -> null;
    };
  }

  /** True when {@code e} is a static member. */
  static boolean isStatic(Element e) {
    return e.getModifiers().contains(Modifier.STATIC) || e.getKind() == ElementKind.ENUM_CONSTANT;
  }
}
