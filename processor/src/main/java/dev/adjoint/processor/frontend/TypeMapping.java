package dev.adjoint.processor.frontend;

import dev.adjoint.processor.ir.Type;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** Maps javac's attributed types to IR types. */
public final class TypeMapping {
  private TypeMapping() {}

  /**
   * The IR type of a parameter of type {@code t}: as {@link #of}, and a reference for an enum
   * type or {@code String}, which a method may take to {@code switch} over (they carry no
   * derivative and are handed on as they are); null for any other type.
   */
  public static Type ofParameter(TypeMirror t) {
    Type primitive = of(t);
    if (primitive != null || t == null || t.getKind() != TypeKind.DECLARED) {
      return primitive;
    }
    TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
    String name = e.getQualifiedName().toString();
    if (!(e.getKind() == ElementKind.ENUM || name.equals(STRING)) || !nameable(e)) {
      return null;
    }
    return Type.reference(name);
  }

  /** The qualified name of {@code String}. */
  public static final String STRING = "java.lang.String";

  /** True for a reference {@link #ofParameter} maps: a {@code String} or an enum. */
  public static boolean isSelectable(Type t) {
    return t != null && t.prim() == Type.Prim.REFERENCE && t.dims() == 0;
  }

  /**
   * True when generated code can name {@code e} by its qualified name: lower-case packages, a
   * top-level class in upper case (as JavaPoet's {@code ClassName.bestGuess} reads it), no
   * local or anonymous class on the way.
   */
  private static boolean nameable(TypeElement e) {
    Element top = e;
    while (top.getEnclosingElement() instanceof TypeElement outer) {
      if (!(top.getKind().isClass() || top.getKind().isInterface())
          || top.getSimpleName().isEmpty()) {
        return false;
      }
      top = outer;
    }
    if (!(top.getEnclosingElement() instanceof PackageElement pkg)
        || top.getSimpleName().isEmpty()
        || !Character.isUpperCase(top.getSimpleName().charAt(0))) {
      return false;
    }
    for (String part : pkg.getQualifiedName().toString().split("\\.")) {
      if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
        return false;
      }
    }
    return true;
  }

  /** The IR type of {@code t}, or null when it is not a primitive or an array of primitives. */
  public static Type of(TypeMirror t) {
    if (t == null) {
      return null;
    }
    return switch (t.getKind()) {
      case DOUBLE -> Type.DOUBLE;
      case FLOAT -> Type.FLOAT;
      case LONG -> Type.LONG;
      case INT -> Type.INT;
      case SHORT -> Type.SHORT;
      case BYTE -> Type.BYTE;
      case CHAR -> Type.CHAR;
      case BOOLEAN -> Type.BOOLEAN;
      case ARRAY -> {
        Type component = of(((ArrayType) t).getComponentType());
        yield component == null || component.prim() == Type.Prim.REFERENCE ? null
            : new Type(component.prim(), component.dims() + 1, null);
      }
      default -> null;
    };
  }
}
