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
