package dev.adjoint.processor;

import java.lang.management.ManagementFactory;

/**
 * Runs the processor's work on a thread with a large stack. The front end, the analyses and the
 * transforms recurse over expression trees, so a long expression ({@code a + b + ... } with
 * thousands of terms, which javac itself still compiles) would overflow javac's own thread. The
 * calling thread waits, so javac's objects are never used by two threads at once.
 */
final class DeepStack {
  /** Address space reserved for the stack; the memory is committed only as it is used. */
  private static final long STACK_BYTES = 512L << 20;

  private DeepStack() {}

  /** Runs {@code work} and returns the CPU time its thread used, in nanoseconds. */
  static long run(Runnable work) {
    Throwable[] failure = new Throwable[1];
    long[] cpu = new long[1];
    Thread t = new Thread(null, () -> {
      try {
        work.run();
      } catch (Throwable e) {
        failure[0] = e;
      } finally {
        cpu[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      }
    }, "adjoint-processor", STACK_BYTES);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // finish the work: javac's state must not be left half-changed
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure[0] instanceof RuntimeException e) {
      throw e;
    }
    if (failure[0] instanceof Error e) {
      throw e;
    }
    return cpu[0];
  }
}
