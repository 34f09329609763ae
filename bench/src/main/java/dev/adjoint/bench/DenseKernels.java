package dev.adjoint.bench;

import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Kernels;
import dev.adjoint.ops.Parallelism;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * figure on a shared machine, taken after all products of the batch size have run for a few
 * seconds.
 */
public final class DenseKernels {
  /** Layer shapes {in, out} of the two MNIST networks. */
  static final int[][] LAYERS = {{784, 128}, {128, 10}, {784, 256}, {256, 128}};

  /** Trials per product; each line reports the best. */
  private static final int TRIALS = 60;

  /** How long all products of one batch size run together before any is measured. */
  private static final long WARM_UP_NANOS = 4_000_000_000L;

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
      List<Product> products = new ArrayList<>();
      for (int[] layer : LAYERS) {
        products.addAll(products(batch, layer[0], layer[1]));
      }
      // Warm every product of this batch size up together first: the kernels are shared, and
      // C2 compiles them (for seconds, on the cores being measured) from the profile of all
      // their call sites. A product warmed alone and measured at once was caught mid-compile:
      // the first shape measured read 2-3x slower than the same shape measured after the others.
      long end = System.nanoTime() + WARM_UP_NANOS;
      while (System.nanoTime() < end) {
        for (Product p : products) {
          p.op().run();
        }
      }
      // Trials round-robin over the products, so that a slow spell of the shared machine
      // spreads over all of them instead of taking every trial of one.
      double[] best = new double[products.size()];
      Arrays.fill(best, Double.MAX_VALUE);
      for (int trial = 0; trial < TRIALS; trial++) {
        for (int i = 0; i < products.size(); i++) {
          best[i] = Math.min(best[i], trial(products.get(i)));
        }
      }
      for (int i = 0; i < products.size(); i++) {
        Product p = products.get(i);
        System.out.printf(Locale.ROOT, "%-7s threads=%d %-10s %-8s %9.2f us %7.1f GFLOP/s%n",
            kernels, threads, p.shape(), p.name(), best[i] * 1e6, p.flops() / best[i] / 1e9);
      }
    }
  }

  /** One product on one shape: what it is called, its floating-point operations, the call. */
  private record Product(String shape, String name, double flops, Runnable op) {}

  private static List<Product> products(int batch, int in, int out) {
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
    return List.of(
        new Product(shape, "forward", flops, () -> sink += Dense.dense(x, w, b, batch, in, out)[0]),
        new Product(shape, "dX", flops,
            () -> Dense.denseBackward(x, w, b, batch, in, out, seed, dX, null, null)),
        new Product(shape, "dW+dB", flops,
            () -> Dense.denseBackward(x, w, b, batch, in, out, seed, null, dW, dB)));
  }

  /** Seconds per call over one short trial of about a millisecond or more. */
  private static double trial(Product p) {
    int reps = Math.max(1, (int) (1e6 / Math.max(1.0, p.flops() / 20)));
    long t0 = System.nanoTime();
    for (int r = 0; r < reps; r++) {
      p.op().run();
    }
    return (System.nanoTime() - t0) / 1e9 / reps;
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return a;
  }
}
