package dev.adjoint.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Micro timing of {@link Dense} (not a test; run by hand):
 *
 * <pre>{@code
 * mvn -B -q verify -pl runtime -DskipTests
 * java -cp runtime/target/classes:runtime/target/test-classes dev.adjoint.ops.DenseTiming [64x784x128 ...]
 * }</pre>
 *
 * <p>Prints the best GFLOP/s over many short trials, by wall-clock time and (for one thread) by
 * the calling thread's CPU time, which is less disturbed by other processes on a shared machine.
 * A naive flat-array loop is timed alongside for comparison.
 */
public final class DenseTiming {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static volatile float sink;

  private DenseTiming() {}

  /** Runs the timings; optional arguments: shapes {@code batch x in x out}. */
  public static void main(String[] args) {
    String[] shapes = args.length == 0 ? new String[] {"64x784x128", "256x784x128"} : args;
    for (String s : shapes) {
      String[] dims = s.split("x");
      int batch = Integer.parseInt(dims[0]);
      int in = Integer.parseInt(dims[1]);
      int out = Integer.parseInt(dims[2]);
      Random rnd = new Random(1);
      float[] x = Fixtures.random(rnd, batch * in);
      float[] w = Fixtures.random(rnd, in * out);
      float[] b = Fixtures.random(rnd, out);
      float[] seed = Fixtures.random(rnd, batch * out);
      float[] dX = new float[batch * in];
      float[] dW = new float[in * out];
      float[] dB = new float[out];
      double flops = 2.0 * batch * in * out;
      String shape = batch + "x" + in + "x" + out;
      time(shape + " naive flat x.W", flops, 1, () -> sink += naive(x, w, batch, in, out)[0]);
      for (int threads : new int[] {1, 2}) {
        time(shape + " forward", flops, threads,
            () -> sink += Dense.dense(x, w, b, batch, in, out)[0]);
        time(shape + " dX = seed.W^T", flops, threads,
            () -> Dense.denseBackward(x, w, b, batch, in, out, seed, dX, null, null));
        time(shape + " dW = x^T.seed (+dB)", flops, threads,
            () -> Dense.denseBackward(x, w, b, batch, in, out, seed, null, dW, dB));
        time(shape + " full backward", 2 * flops, threads,
            () -> Dense.denseBackward(x, w, b, batch, in, out, seed, dX, dW, dB));
      }
    }
  }

  private static void time(String what, double flops, int threads, Runnable op) {
    Fixtures.withThreads(threads, Parallelism.DEFAULT_MIN_PARALLEL_WORK, () -> {
      long end = System.nanoTime() + 1_500_000_000L;
      while (System.nanoTime() < end) {
        op.run();
      }
      double bestWall = Double.MAX_VALUE;
      double bestCpu = Double.MAX_VALUE;
      for (int trial = 0; trial < 60; trial++) {
        long c0 = MX.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int r = 0; r < 3; r++) {
          op.run();
        }
        bestWall = Math.min(bestWall, (System.nanoTime() - t0) / 3e9);
        bestCpu = Math.min(bestCpu, (MX.getCurrentThreadCpuTime() - c0) / 3e9);
      }
      String cpu = threads == 1 ? String.format("  cpu %6.1f GFLOP/s", flops / bestCpu / 1e9) : "";
      System.out.printf("%-34s threads %d  wall %7.1f us %6.1f GFLOP/s%s%n",
          what, threads, bestWall * 1e6, flops / bestWall / 1e9, cpu);
    });
  }

  /** The classic i-k-j loop over flat arrays, which C2 does not vectorise. */
  private static float[] naive(float[] x, float[] w, int batch, int in, int out) {
    float[] y = new float[batch * out];
    for (int i = 0; i < batch; i++) {
      for (int k = 0; k < in; k++) {
        float a = x[i * in + k];
        for (int j = 0; j < out; j++) {
          y[i * out + j] += a * w[k * out + j];
        }
      }
    }
    return y;
  }
}
