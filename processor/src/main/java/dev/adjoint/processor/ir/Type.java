package dev.adjoint.processor.ir;

/**
 * The type of an IR value: a primitive, an array of primitives, or a reference to a generated
 * record (only in generated code).
 *
 * @param prim the primitive kind, or {@link Prim#REFERENCE}
 * @param dims array dimensions (0 for scalars)
 * @param className the qualified class name for references, else null
 */
public record Type(Prim prim, int dims, String className) {
  public static final Type DOUBLE = new Type(Prim.DOUBLE, 0, null);
  public static final Type FLOAT = new Type(Prim.FLOAT, 0, null);
  public static final Type LONG = new Type(Prim.LONG, 0, null);
  public static final Type INT = new Type(Prim.INT, 0, null);
  public static final Type SHORT = new Type(Prim.SHORT, 0, null);
  public static final Type BYTE = new Type(Prim.BYTE, 0, null);
  public static final Type CHAR = new Type(Prim.CHAR, 0, null);
  public static final Type BOOLEAN = new Type(Prim.BOOLEAN, 0, null);
  /** {@code String}: of a String parameter and of the text a print concatenates. */
  public static final Type STRING = new Type(Prim.REFERENCE, 0, "java.lang.String");
  /** The type of a {@link Expr.Print}, a call made for its effect, which has no value. */
  public static final Type VOID = new Type(Prim.REFERENCE, 0, "void");
  /** The type of a loop-local reference to the tape (generated code only). */
  public static final Type TAPE = new Type(Prim.REFERENCE, 0, "dev.adjoint.Tape");
  /** The type of the frame of the per-thread arena of local arrays' adjoints (generated code). */
  public static final Type SCRATCH = new Type(Prim.REFERENCE, 0, "dev.adjoint.Scratch");

  /** Primitive kinds, widest numeric first. */
  public enum Prim {
    DOUBLE("double"), FLOAT("float"), LONG("long"), INT("int"), SHORT("short"), BYTE("byte"),
    CHAR("char"), BOOLEAN("boolean"), REFERENCE("");

    final String javaName;

    Prim(String javaName) {
      this.javaName = javaName;
    }
  }

  /** The scalar type of a primitive kind. */
  public static Type of(Prim prim) {
    return switch (prim) {
      case DOUBLE -> DOUBLE;
      case FLOAT -> FLOAT;
      case LONG -> LONG;
      case INT -> INT;
      case SHORT -> SHORT;
      case BYTE -> BYTE;
      case CHAR -> CHAR;
      case BOOLEAN -> BOOLEAN;
      case REFERENCE -> throw new IllegalArgumentException("reference needs a class name");
    };
  }

  /** A reference to the named class (a generated gradient record). */
  public static Type reference(String className) {
    return new Type(Prim.REFERENCE, 0, className);
  }

  /** The type of an element: {@code double} for {@code double[]}, {@code double[]} for {@code double[][]}. */
  public Type component() {
    if (dims == 0) {
      throw new IllegalStateException(this + " is not an array");
    }
    return dims == 1 ? of(prim) : new Type(prim, dims - 1, className);
  }

  /** An array of this type. */
  public Type arrayOf() {
    return new Type(prim, dims + 1, className);
  }

  /** True for arrays of {@code double} or {@code float}, whose elements carry derivatives. */
  public boolean isFloatingArray() {
    return dims > 0 && (prim == Prim.DOUBLE || prim == Prim.FLOAT);
  }

  /** True for values that carry derivatives: floating scalars and floating arrays. */
  public boolean isDifferentiable() {
    return isFloating() || isFloatingArray();
  }

  /** The scalar element type of an array (the type itself for scalars). */
  public Type elementType() {
    return dims == 0 ? this : of(prim);
  }

  /** True for scalar {@code double} and {@code float}: the types that carry derivatives. */
  public boolean isFloating() {
    return dims == 0 && (prim == Prim.DOUBLE || prim == Prim.FLOAT);
  }

  /** True for scalar integral types, {@code char} included. */
  public boolean isIntegral() {
    return dims == 0
        && (prim == Prim.LONG || prim == Prim.INT || prim == Prim.SHORT || prim == Prim.BYTE
            || prim == Prim.CHAR);
  }

  /** True for scalar numeric types. */
  public boolean isNumeric() {
    return isFloating() || isIntegral();
  }

  /** The result type of binary numeric promotion (JLS 5.6.2) of two scalar numeric types. */
  public static Type promote(Type a, Type b) {
    if (a.equals(DOUBLE) || b.equals(DOUBLE)) {
      return DOUBLE;
    }
    if (a.equals(FLOAT) || b.equals(FLOAT)) {
      return FLOAT;
    }
    if (a.equals(LONG) || b.equals(LONG)) {
      return LONG;
    }
    return INT;
  }

  /** True when converting from {@code from} to this type loses no range (a widening or identity). */
  public boolean widens(Type from) {
    if (equals(from)) {
      return true;
    }
    if (!isNumeric() || !from.isNumeric()) {
      return false;
    }
    return rank(this) < rank(from) && !(from.prim == Prim.CHAR && (prim == Prim.SHORT));
  }

  private static int rank(Type t) {
    return switch (t.prim) {
      case DOUBLE -> 0;
      case FLOAT -> 1;
      case LONG -> 2;
      case INT -> 3;
      case CHAR, SHORT -> 4;
      case BYTE -> 5;
      default -> 9;
    };
  }

  /** Java source spelling, such as {@code double} or {@code float[][]}. */
  public String javaName() {
    String base = prim == Prim.REFERENCE ? className : prim.javaName;
    return base + "[]".repeat(dims);
  }

  @Override
  public String toString() {
    return javaName();
  }
}
