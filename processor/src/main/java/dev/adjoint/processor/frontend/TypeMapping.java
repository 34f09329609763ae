package dev.adjoint.processor.frontend;

import dev.adjoint.processor.ir.Type;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeMirror;

/** Maps javac's attributed types to IR types. */
public final class TypeMapping {
  private TypeMapping() {}

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
