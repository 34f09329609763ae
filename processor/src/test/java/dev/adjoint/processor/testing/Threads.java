package dev.adjoint.processor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/** Checks that generated gradients called from several threads at once do not interfere. */
public final class Threads {
  private Threads() {}

  /**
   * Computes {@code gradient.apply(k)} for every input {@code k < inputs} on this thread, then
   * {@code rounds} times over all inputs on each of {@code threads} threads at once (each thread
   * in its own order), and asserts that every result is bit-identical to this thread's and that
   * {@code perThread} (per-thread state such as the tape's size) reads the same after a thread's
   * calls as before them.
   */
  public static void assertSameOnEveryThread(int threads, int inputs, int rounds,
      IntFunction<double[]> gradient, IntSupplier perThread) throws Exception {
    double[][] expected = new double[inputs][];
    for (int k = 0; k < inputs; k++) {
      expected[k] = gradient.apply(k);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<double[][]>> futures = new ArrayList<>();
      for (int thread = 0; thread < threads; thread++) {
        int offset = thread * 7;
        futures.add(pool.submit(() -> {
          int before = perThread.getAsInt();
          double[][] out = new double[inputs][];
          for (int round = 0; round < rounds; round++) {
            for (int j = 0; j < inputs; j++) {
              int k = (j + offset) % inputs;
              out[k] = gradient.apply(k);
            }
          }
          assertEquals(before, perThread.getAsInt(), "per-thread state must be left as found");
          return out;
        }));
      }
      for (Future<double[][]> f : futures) {
        double[][] got = f.get();
        for (int k = 0; k < inputs; k++) {
          assertArrayEquals(expected[k], got[k]);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
