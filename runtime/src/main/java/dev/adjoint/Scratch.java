package dev.adjoint;

import java.util.Arrays;

/**
 * The per-thread arena from which generated gradient code takes the adjoints of the function's
 * own local arrays, so that a warmed-up training step allocates none. Generated code is its only
 * user:
 *
 * <pre>{@code
 * try (Scratch scratch = Scratch.open()) {
 *   float[] dZ = scratch.floats(z.length);      // zeroed; reused by the next frame
 *   Activations.reluBackward(z, seed, dZ);
 *   result = dZ.clone();
 * }
 * }</pre>
 *
 * <p>Each thread has one arena, a stack of buffers. {@link #open()} starts a frame; each take
 * hands out the next buffer of the stack, zeroed, reusing the one that was there when its type
 * and shape match (a training step takes the same shapes in the same order every call) and
 * allocating a new one otherwise; {@link #close()} gives back every buffer taken since the
 * matching {@code open}. A gradient that calls another gradient, or itself, opens a frame of its
 * own above its caller's, so no buffer is handed out twice while in use; threads never share an
 * arena. Buffers are kept for reuse and never shrink, like the {@link Tape}'s stacks.
 */
public final class Scratch implements AutoCloseable {
  private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

  /** The buffers, in the order taken; those below {@link #top} are in use. */
  private Object[] buffers = new Object[16];
  private int top;
  /** The value of {@link #top} at each open frame's start. */
  private int[] frames = new int[16];
  private int depth;

  private Scratch() {}

  /** Starts a frame of this thread's arena; closing it gives back the buffers taken in it. */
  public static Scratch open() {
    Scratch s = CURRENT.get();
    if (s.depth == s.frames.length) {
      s.frames = Arrays.copyOf(s.frames, s.depth * 2);
    }
    s.frames[s.depth++] = s.top;
    return s;
  }

  /** Gives back every buffer taken since the matching {@link #open()}. */
  @Override
  public void close() {
    if (depth == 0) {
      throw new IllegalStateException("Scratch closed more often than opened: a bug in the "
          + "generated gradient code; please report it with the @Differentiable method.");
    }
    top = frames[--depth];
  }

  /** A zeroed {@code float[length]}, in use until this frame closes. */
  public float[] floats(int length) {
    if (next() instanceof float[] a && a.length == length) {
      Arrays.fill(a, 0.0f);
      return a;
    }
    return keep(new float[length]);
  }

  /** A zeroed {@code double[length]}, in use until this frame closes. */
  public double[] doubles(int length) {
    if (next() instanceof double[] a && a.length == length) {
      Arrays.fill(a, 0.0);
      return a;
    }
    return keep(new double[length]);
  }

  /**
   * A zeroed array of {@code shape}'s shape: as many rows, each as long as {@code shape}'s (a
   * {@code null} row stays {@code null}); in use until this frame closes.
   */
  public float[][] floatsLike(float[][] shape) {
    float[][] a = next() instanceof float[][] old && old.length == shape.length
        ? old : keep(new float[shape.length][]);
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == null) {
        a[i] = null;
      } else if (a[i] == null || a[i].length != shape[i].length) {
        a[i] = new float[shape[i].length];
      } else {
        Arrays.fill(a[i], 0.0f);
      }
    }
    return a;
  }

  /**
   * A zeroed array of {@code shape}'s shape: as many rows, each as long as {@code shape}'s (a
   * {@code null} row stays {@code null}); in use until this frame closes.
   */
  public double[][] doublesLike(double[][] shape) {
    double[][] a = next() instanceof double[][] old && old.length == shape.length
        ? old : keep(new double[shape.length][]);
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == null) {
        a[i] = null;
      } else if (a[i] == null || a[i].length != shape[i].length) {
        a[i] = new double[shape[i].length];
      } else {
        Arrays.fill(a[i], 0.0);
      }
    }
    return a;
  }

  /**
   * The position of the next buffer this frame would take: {@link #release(int)} gives back
   * everything taken after it. A reverse loop marks once, then releases at the start of each
   * iteration, so that the adjoints of arrays declared in its body reuse the same buffers
   * iteration after iteration instead of piling up.
   */
  public int mark() {
    return top;
  }

  /** Gives back every buffer taken since {@link #mark()} returned {@code mark}. */
  public void release(int mark) {
    if (depth == 0 || mark < frames[depth - 1] || mark > top) {
      throw new IllegalStateException("Scratch released to a mark outside its frame: a bug in "
          + "the generated gradient code; please report it with the @Differentiable method.");
    }
    top = mark;
  }

  /** Takes the next slot of the stack; returns the buffer it held (null when new). */
  private Object next() {
    if (top == buffers.length) {
      buffers = Arrays.copyOf(buffers, top * 2);
    }
    return buffers[top++];
  }

  /** Stores {@code a} in the slot just taken, for reuse by later calls. */
  private <T> T keep(T a) {
    buffers[top - 1] = a;
    return a;
  }

  /** Buffers currently in use (for tests: a finished gradient call leaves this unchanged). */
  public int inUse() {
    return top;
  }
}
