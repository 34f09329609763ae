package dev.adjoint.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's limit for the dense kernels, measured rather than taken from a data sheet: fused
 * multiply-adds on the widest float vectors the JVM offers, twelve independent chains per thread
 * (enough to cover the latency of two FMA pipes), no memory traffic, on each of {@code threads}
 * threads at once. A virtual machine's clock and vector units are what they are on the day, so
 * {@code bench/README.md} reports kernel GFLOP/s against this figure from the same session.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/adjoint-bench.jar \
 *     dev.adjoint.bench.PeakFlops [threads]</pre>
 */
public final class PeakFlops {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final long STEPS = 20_000_000L;

  private static volatile float sink;

  private PeakFlops() {}

  /** Prints the best of several trials: GFLOP/s over all threads, and per thread. */
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    chains(STEPS / 10); // compiled before the trials
    double best = 0;
    for (int trial = 0; trial < 7; trial++) {
      best = Math.max(best, trial(threads));
    }
    System.out.printf(Locale.ROOT,
        "peak fp32 FMA: %d threads, %d float lanes: %.1f GFLOP/s (%.1f per thread)%n",
        threads, S.length(), best, best / threads);
  }

  private static double trial(int threads) throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        sink += chains(STEPS);
      });
      th.start();
      running.add(th);
    }
    start.await();
    long t0 = System.nanoTime();
    for (Thread th : running) {
      th.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return threads * (double) STEPS * 12 * S.length() * 2 / seconds / 1e9;
  }

  /** Twelve independent chains of {@code steps} fused multiply-adds each. */
  private static float chains(long steps) {
    FloatVector a = FloatVector.broadcast(S, 0.999999f);
    FloatVector b = FloatVector.broadcast(S, 1e-7f);
    FloatVector c0 = FloatVector.broadcast(S, 1f);
    FloatVector c1 = c0.add(b);
    FloatVector c2 = c1.add(b);
    FloatVector c3 = c2.add(b);
    FloatVector c4 = c3.add(b);
    FloatVector c5 = c4.add(b);
    FloatVector c6 = c5.add(b);
    FloatVector c7 = c6.add(b);
    FloatVector c8 = c7.add(b);
    FloatVector c9 = c8.add(b);
    FloatVector c10 = c9.add(b);
    FloatVector c11 = c10.add(b);
    for (long s = 0; s < steps; s++) {
      c0 = c0.fma(a, b);
      c1 = c1.fma(a, b);
      c2 = c2.fma(a, b);
      c3 = c3.fma(a, b);
      c4 = c4.fma(a, b);
      c5 = c5.fma(a, b);
      c6 = c6.fma(a, b);
      c7 = c7.fma(a, b);
      c8 = c8.fma(a, b);
      c9 = c9.fma(a, b);
      c10 = c10.fma(a, b);
      c11 = c11.fma(a, b);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10)
        .add(c11).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }
}
