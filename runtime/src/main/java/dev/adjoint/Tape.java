package dev.adjoint;

import java.util.Arrays;

/**
 * The per-thread stacks on which generated gradient code records what its reverse sweep needs
 * inside loops: overwritten values and, as plain ints, the direction of branches and the trip
 * counts of loops. Generated code is its only user.
 *
 * <p>Each thread has one tape, reused by every gradient call on that thread, so a warmed-up
 * training loop allocates nothing for it; the stacks grow geometrically and never shrink. Calls
 * nest without interfering because each gradient pops exactly what it pushed, in reverse order.
 */
public final class Tape {
  private static final ThreadLocal<Tape> CURRENT = ThreadLocal.withInitial(Tape::new);

  private double[] doubles = new double[1024];
  private int doubleTop;
  private int[] ints = new int[1024];
  private int intTop;
  private long[] longs = new long[16];
  private int longTop;
  private Object[] objects = new Object[16];
  private int objectTop;

  private Tape() {}

  /** This thread's tape. */
  public static Tape get() {
    return CURRENT.get();
  }

  /** Records a {@code double} (or a {@code float}, which converts back exactly). */
  public void pushDouble(double v) {
    if (doubleTop == doubles.length) {
      doubles = Arrays.copyOf(doubles, doubles.length * 2);
    }
    doubles[doubleTop++] = v;
  }

  /** The most recently recorded {@code double} not yet popped. */
  public double popDouble() {
    if (doubleTop == 0) {
      throw underflow("double");
    }
    return doubles[--doubleTop];
  }

  /** Records an {@code int}: a trip count, a branch direction, an overwritten index. */
  public void pushInt(int v) {
    if (intTop == ints.length) {
      ints = Arrays.copyOf(ints, ints.length * 2);
    }
    ints[intTop++] = v;
  }

  /** The most recently recorded {@code int} not yet popped. */
  public int popInt() {
    if (intTop == 0) {
      throw underflow("int");
    }
    return ints[--intTop];
  }

  /** Records a {@code long}. */
  public void pushLong(long v) {
    if (longTop == longs.length) {
      longs = Arrays.copyOf(longs, longs.length * 2);
    }
    longs[longTop++] = v;
  }

  /** The most recently recorded {@code long} not yet popped. */
  public long popLong() {
    if (longTop == 0) {
      throw underflow("long");
    }
    return longs[--longTop];
  }

  /**
   * Records a reference to an array: the array a variable held before a loop's iteration
   * reassigned it. Arrays are never copied: generated code pushes only arrays whose elements
   * nothing writes afterwards.
   */
  public void pushObject(Object v) {
    if (objectTop == objects.length) {
      objects = Arrays.copyOf(objects, objects.length * 2);
    }
    objects[objectTop++] = v;
  }

  /** The most recently recorded reference not yet popped; its slot is cleared. */
  public Object popObject() {
    if (objectTop == 0) {
      throw underflow("reference");
    }
    Object v = objects[--objectTop];
    objects[objectTop] = null; // the tape outlives the call: let the array go
    return v;
  }

  /** Records a boolean as an int. */
  public void pushBoolean(boolean v) {
    pushInt(v ? 1 : 0);
  }

  /** The most recently recorded boolean not yet popped. */
  public boolean popBoolean() {
    return popInt() != 0;
  }

  /**
   * Popping more than was pushed is a bug in generated code; the tape stays usable (its top is
   * not moved), so later gradients on this thread are unaffected.
   */
  private static IllegalStateException underflow(String type) {
    return new IllegalStateException("Tape underflow: no " + type + " left to pop. This is a bug "
        + "in the generated gradient code; please report it with the @Differentiable method.");
  }

  /** Entries currently held (for tests: a balanced gradient call leaves this unchanged). */
  public int size() {
    return doubleTop + intTop + longTop + objectTop;
  }
}
