package dev.adjoint.bench;

import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Kernels;
import dev.adjoint.ops.Parallelism;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * GFLOP/s of the three products of {@link Dense} on the MNIST layer shapes (784-128-10 and
 * 784-256-128-10 at batch 1, 64 and 256): the forward pass {@code Y = X W + b}, {@code dX =
 * dY W^T} and {@code dW = X^T dY} (with {@code dB}). {@code bench/dense_kernels.py} measures
 * OpenBLAS on the same products the same way, and {@code bench/dense_kernels.sh} runs the scalar
 * kernels, the vector kernels and OpenBLAS alternately.
 *
 * <pre>java [--add-modules jdk.incubator.vector] [-Dadjoint.ops.kernels=scalar] \
 *     -cp bench/target/adjoint-bench.jar dev.adjoint.bench.DenseKernels [threads] [batches...]</pre>
 *
 * <p>Each line is the best of many short trials by wall-clock time, which is the least disturbed
 * figure on a shared machine.
 */
public final class DenseKernels {
  /** Layer shapes {in, out} of the two MNIST networks. */
  static final int[][] LAYERS = {{784, 128}, {128, 10}, {784, 256}, {256, 128}};

  private static volatile float sink;

  private DenseKernels() {}

  /** Prints one line per product, shape and batch. */
  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int[] batches = {1, 64, 256};
    if (args.length > 1) {
      batches = new int[args.length - 1];
      for (int i = 1; i < args.length; i++) {
        batches[i - 1] = Integer.parseInt(args[i]);
      }
    }
    Parallelism.setThreads(threads);
    String kernels = Kernels.vectorized() ? "vector" : "scalar";
    System.out.println("# " + Kernels.description());
    for (int batch : batches) {
      for (int[] layer : LAYERS) {
        measure(kernels, threads, batch, layer[0], layer[1]);
      }
    }
  }

  private static void measure(String kernels, int threads, int batch, int in, int out) {
    SplittableRandom rnd = new SplittableRandom(1);
    float[] x = random(rnd, batch * in);
    float[] w = random(rnd, in * out);
    float[] b = random(rnd, out);
    float[] seed = random(rnd, batch * out);
    float[] dX = new float[batch * in];
    float[] dW = new float[in * out];
    float[] dB = new float[out];
    double flops = 2.0 * batch * in * out;
    String shape = String.format(Locale.ROOT, "%dx%dx%d", batch, in, out);
    report(kernels, threads, shape, "forward", flops,
        () -> sink += Dense.dense(x, w, b, batch, in, out)[0]);
    report(kernels, threads, shape, "dX", flops,
        () -> Dense.denseBackward(x, w, b, batch, in, out, seed, dX, null, null));
    report(kernels, threads, shape, "dW+dB", flops,
        () -> Dense.denseBackward(x, w, b, batch, in, out, seed, null, dW, dB));
  }

  private static void report(String kernels, int threads, String shape, String product,
      double flops, Runnable op) {
    // Warm up until compiled, then the best of short trials of about a millisecond or more.
    long end = System.nanoTime() + 700_000_000L;
    while (System.nanoTime() < end) {
      op.run();
    }
    int reps = Math.max(1, (int) (1e6 / Math.max(1.0, flops / 20)));
    double best = Double.MAX_VALUE;
    for (int trial = 0; trial < 40; trial++) {
      long t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        op.run();
      }
      best = Math.min(best, (System.nanoTime() - t0) / 1e9 / reps);
    }
    System.out.printf(Locale.ROOT, "%-7s threads=%d %-10s %-8s %9.2f us %7.1f GFLOP/s%n",
        kernels, threads, shape, product, best * 1e6, flops / best / 1e9);
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return a;
  }
}
