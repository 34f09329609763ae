package dev.adjoint.ops;

/**
 * The number of threads the ops may use. Large matrix products are split into as many parts as
 * there are threads, which the calling thread and pooled daemon threads share. Small ones run on
 * the calling thread alone, since handing work to another thread costs more than they do.
 *
 * <p>The initial value is the system property {@code adjoint.ops.threads} when set, otherwise
 * {@link Runtime#availableProcessors()}. Results do not depend on it: every output element is
 * computed by one thread in the same order whatever the split.
 */
public final class Parallelism {
  /** Property that sets the initial thread count. */
  public static final String THREADS_PROPERTY = "adjoint.ops.threads";

  /** Multiply-adds below which an op runs on the calling thread only. */
  static final long DEFAULT_MIN_PARALLEL_WORK = 1L << 20;

  /**
   * Elements below which {@link #forRange} runs on the calling thread only: a hand-off costs
   * about as much as updating this many floats.
   */
  static final int MIN_PARALLEL_ELEMENTS = 1 << 14;

  /** Elements per cache line: ranges start on multiples of it, so threads share no line. */
  private static final int LINE = 16;

  /** A contiguous range {@code [from, to)} of an element-wise op's elements. */
  @FunctionalInterface
  public interface Range {
    /** Processes elements {@code from} (inclusive) to {@code to} (exclusive). */
    void run(int from, int to);
  }

  private static volatile int threads = initialThreads();
  private static volatile long minParallelWork = DEFAULT_MIN_PARALLEL_WORK;

  private Parallelism() {}

  /** The number of threads an op may use, at least 1. */
  public static int threads() {
    return threads;
  }

  /**
   * Sets the number of threads an op may use; 1 keeps all work on the calling thread.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("thread count must be at least 1, got " + n);
    }
    threads = n;
  }

  /** Sets the multiply-add count from which ops split work; tests lower it to force splits. */
  static void setMinParallelWork(long work) {
    minParallelWork = work;
  }

  /** The minimum work that is split across threads. */
  static long minParallelWork() {
    return minParallelWork;
  }

  /**
   * Runs an element-wise op over {@code [0, n)} as contiguous ranges, one per thread when
   * {@code n} is large, otherwise as one range on the calling thread. The op must treat each
   * element independently of the others; then the result does not depend on the split.
   *
   * <p>This is for memory-bound passes over large arrays, such as an optimizer's update: the
   * ranges follow the same halves as the rows of {@link Dense}'s weight gradient, so each
   * thread mostly touches lines already in its own core's cache.
   *
   * @throws IllegalArgumentException if {@code n < 0}
   */
  public static void forRange(int n, Range range) {
    if (n < 0) {
      throw new IllegalArgumentException("element count must be at least 0, got " + n);
    }
    if (!splits(n)) {
      range.run(0, n);
      return;
    }
    int lines = (n + LINE - 1) / LINE;
    int parts = Math.min(threads, lines);
    Workers.run(parts, p -> range.run(Math.min(n, LINE * Workers.start(lines, parts, p)),
        Math.min(n, LINE * Workers.start(lines, parts, p + 1))));
  }

  /** Whether {@link #forRange} splits {@code n} elements over more than one thread. */
  public static boolean splits(int n) {
    return threads > 1 && n >= MIN_PARALLEL_ELEMENTS;
  }

  /** How many parts to split {@code work} multiply-adds over {@code units} independent units. */
  static int parts(long work, int units) {
    int t = threads;
    if (t == 1 || work < minParallelWork) {
      return 1;
    }
    return Math.max(1, Math.min(t, units));
  }

  private static int initialThreads() {
    String p = System.getProperty(THREADS_PROPERTY);
    if (p != null) {
      try {
        int n = Integer.parseInt(p.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through to the default
      }
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
