package dev.adjoint.ops;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs the parts of a split op: part 0 on the caller, the others on pooled daemon threads. */
final class Workers {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "adjoint-ops-" + COUNT.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private Workers() {}

  /** Runs {@code part.accept(p)} for {@code p} in {@code [0, parts)} and waits for all of them. */
  static void run(int parts, IntConsumer part) {
    if (parts <= 1) {
      part.accept(0);
      return;
    }
    Future<?>[] futures = new Future<?>[parts - 1];
    for (int p = 1; p < parts; p++) {
      int index = p;
      futures[p - 1] = POOL.submit(() -> part.accept(index));
    }
    Throwable failure = null;
    try {
      part.accept(0);
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    boolean interrupted = false;
    for (Future<?> f : futures) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause();
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  /** The first index of part {@code p} when {@code n} units are split into {@code parts}. */
  static int start(int n, int parts, int p) {
    return (int) ((long) n * p / parts);
  }
}
