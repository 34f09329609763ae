package dev.adjoint.processor.fuzz;

/** The Java types the fuzz generator uses. */
enum Ty {
  D("double", 0),
  F("float", 0),
  I("int", 0),
  Z("boolean", 0),
  D1("double[]", 1),
  F1("float[]", 1),
  D2("double[][]", 2),
  F2("float[][]", 2),
  /** An enum parameter, to switch over (JDK's, so that the checker can make its values). */
  E("java.math.RoundingMode", 0),
  /** A String parameter, to switch over. */
  S("String", 0);

  final String java;
  final int dims;

  Ty(String java, int dims) {
    this.java = java;
    this.dims = dims;
  }

  /** The element type of an array type. */
  Ty elem() {
    switch (this) {
      case D1:
        return D;
      case F1:
        return F;
      case D2:
        return D1;
      case F2:
        return F1;
      default:
        throw new IllegalStateException(this + " is not an array");
    }
  }

  /** The scalar type at the bottom of an array type (or the type itself). */
  Ty base() {
    Ty t = this;
    while (t.dims > 0) {
      t = t.elem();
    }
    return t;
  }

  boolean floating() {
    return this == D || this == F;
  }

  /** True for float and arrays of float. */
  boolean isFloat() {
    return base() == F;
  }

  /** True for the types that can carry a derivative. */
  boolean differentiable() {
    return base() == D || base() == F;
  }

  /** The type of a binary arithmetic operation on {@code a} and {@code b} (JLS 5.6.2). */
  static Ty promote(Ty a, Ty b) {
    if (a == D || b == D) {
      return D;
    }
    if (a == F || b == F) {
      return F;
    }
    return I;
  }
}
