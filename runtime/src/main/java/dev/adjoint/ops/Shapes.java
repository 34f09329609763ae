package dev.adjoint.ops;

/** Argument checks shared by the ops. */
final class Shapes {
  private Shapes() {}

  /** Checks that a dimension is at least 1. */
  static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  /** The product of two dimensions, failing if it overflows an array length. */
  static int product(String what, int a, int b) {
    long p = (long) a * b;
    if (p > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(what + " has " + p + " elements, too many for an array");
    }
    return (int) p;
  }

  /** Checks that a non-null array has the expected length. */
  static void length(String name, float[] array, int expected) {
    if (array == null) {
      throw new NullPointerException(name);
    }
    if (array.length != expected) {
      throw new IllegalArgumentException(
          name + " has length " + array.length + ", expected " + expected);
    }
  }

  /**
   * Checks that a non-null batch buffer holds at least {@code expected} elements: training loops
   * reuse one buffer sized for the largest batch, so the last, smaller batch leaves a tail.
   */
  static void atLeast(String name, float[] array, int expected) {
    if (array == null) {
      throw new NullPointerException(name);
    }
    if (array.length < expected) {
      throw new IllegalArgumentException(
          name + " has length " + array.length + ", expected at least " + expected);
    }
  }

  /** Checks that a non-null array of labels holds at least {@code expected} of them. */
  static void length(String name, int[] array, int expected) {
    if (array == null) {
      throw new NullPointerException(name);
    }
    if (array.length < expected) {
      throw new IllegalArgumentException(
          name + " has length " + array.length + ", expected " + expected);
    }
  }

  /** Checks a buffer's length when it is present; {@code null} buffers are skipped by pullbacks. */
  static void bufferLength(String name, float[] buffer, int expected) {
    if (buffer != null && buffer.length != expected) {
      throw new IllegalArgumentException(
          name + " has length " + buffer.length + ", expected " + expected);
    }
  }

  /** Like {@link #atLeast} for an optional buffer matching a batch buffer. */
  static void bufferAtLeast(String name, float[] buffer, int expected) {
    if (buffer != null) {
      atLeast(name, buffer, expected);
    }
  }

  /** Checks that the first {@code count} labels (a buffer may be longer) are class indices. */
  static void labels(int[] labels, int count, int classes) {
    for (int i = 0; i < count; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "labels[" + i + "] = " + labels[i] + " is not a class in [0, " + classes + ")");
      }
    }
  }
}
