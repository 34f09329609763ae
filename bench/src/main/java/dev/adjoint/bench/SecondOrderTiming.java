package dev.adjoint.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Adjoint side of {@code bench/compare-pytorch-second-order.sh}: the JVPs and HVPs of
 * {@link SecondOrderBenchmark} (same functions, sizes and seeded data), timed per call in a plain
 * loop, and the inputs and results written out so that {@code bench/pytorch_second_order.py}
 * computes the same products on the same numbers and checks them against Adjoint's.
 *
 * <pre>
 *   java -cp bench/target/adjoint-bench.jar dev.adjoint.bench.SecondOrderTiming dump DIR
 *   java -cp bench/target/adjoint-bench.jar dev.adjoint.bench.SecondOrderTiming time FUNCTION SECONDS
 * </pre>
 *
 * <p>{@code dump} writes each array as raw little-endian doubles ({@code NAME.f64}) or ints
 * ({@code NAME.i32}): the inputs, each JVP's tangent and each HVP's vectors. {@code time} runs
 * {@code FUNCTION} (rosenbrock, logistic or mlp)'s JVP and then its HVP, each for SECONDS of
 * warm-up and SECONDS of measurement on one thread, and prints the mean wall-clock microseconds
 * per call. The JVP is the record form {@code fJvp(...).tangent()}; the HVP is the accumulating
 * form of {@code fHvp} (clear the buffers, add H·v into them), as in SecondOrderBenchmark.
 */
public final class SecondOrderTiming {
  SecondOrderTiming() {}

  static final int N = SecondOrderBenchmark.N;
  static final int EXAMPLES = SecondOrderBenchmark.EXAMPLES;
  static final int FEATURES = SecondOrderBenchmark.FEATURES;
  static final int MLP_EXAMPLES = SecondOrderBenchmark.MLP_EXAMPLES;
  static final int IN = SecondOrderBenchmark.IN;
  static final int HIDDEN = SecondOrderBenchmark.HIDDEN;

  // The inputs of SecondOrderBenchmark, drawn the same way (same seeds).
  final double[] x = Data.uniform(N, -2, 2, 42);
  final double[] v = Data.uniform(N, -1, 1, 43);
  final double[] w = Data.uniform(FEATURES, -0.1, 0.1, 44);
  final double[] tw = Data.uniform(FEATURES, -1, 1, 45);
  final double[] data = Data.uniform(EXAMPLES * FEATURES, -1, 1, 46);
  final int[] labels = labels(EXAMPLES);
  final double[] w1 = Data.uniform(HIDDEN * IN, -0.3, 0.3, 47);
  final double[] w2 = Data.uniform(HIDDEN, -0.3, 0.3, 48);
  final double[] t1 = Data.uniform(HIDDEN * IN, -1, 1, 49);
  final double[] t2 = Data.uniform(HIDDEN, -1, 1, 50);
  final double[] mx = Data.uniform(MLP_EXAMPLES * IN, -1, 1, 51);
  final double[] my = Data.uniform(MLP_EXAMPLES, -1, 1, 52);

  final SecondOrderGrad.RosenbrockHvpAccumulator rosenHv =
      SecondOrderGrad.RosenbrockHvpAccumulator.zerosLike(x);
  final SecondOrderGrad.LogisticHvpAccumulator logHv =
      SecondOrderGrad.LogisticHvpAccumulator.zerosLike(w);
  final SecondOrderGrad.MlpHvpAccumulator mlpHv =
      SecondOrderGrad.MlpHvpAccumulator.zerosLike(w1, w2);

  /** The labels of SecondOrderBenchmark. */
  static int[] labels(int n) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = (i * 7919) % 3 == 0 ? 1 : 0;
    }
    return y;
  }

  double rosenbrockJvp() {
    return SecondOrderGrad.rosenbrockJvp(x, v).tangent();
  }

  double rosenbrockHvp() {
    rosenHv.clear();
    return SecondOrderGrad.rosenbrockHvp(x, v, rosenHv);
  }

  double logisticJvp() {
    return SecondOrderGrad.logisticJvp(w, data, labels, EXAMPLES, tw).tangent();
  }

  double logisticHvp() {
    logHv.clear();
    return SecondOrderGrad.logisticHvp(w, data, labels, EXAMPLES, tw, logHv);
  }

  double mlpJvp() {
    return SecondOrderGrad.mlpJvp(w1, w2, mx, my, MLP_EXAMPLES, IN, HIDDEN, t1, t2).tangent();
  }

  double mlpHvp() {
    mlpHv.clear();
    return SecondOrderGrad.mlpHvp(w1, w2, mx, my, MLP_EXAMPLES, IN, HIDDEN, t1, t2, mlpHv);
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("dump")) {
      new SecondOrderTiming().dump(Path.of(args[1]));
    } else if (args.length == 3 && args[0].equals("time")) {
      new SecondOrderTiming().time(args[1], Double.parseDouble(args[2]));
    } else {
      System.err.println("usage: SecondOrderTiming dump DIR | time rosenbrock|logistic|mlp SECONDS");
      System.exit(2);
    }
  }

  void dump(Path dir) throws IOException {
    Files.createDirectories(dir);
    write(dir, "rosenbrock.x", x);
    write(dir, "rosenbrock.v", v);
    write(dir, "rosenbrock.jvp", new double[] {rosenbrockJvp()});
    rosenbrockHvp();
    write(dir, "rosenbrock.hvp", rosenHv.x);

    write(dir, "logistic.w", w);
    write(dir, "logistic.v", tw);
    write(dir, "logistic.data", data);
    write(dir, "logistic.labels", labels);
    write(dir, "logistic.jvp", new double[] {logisticJvp()});
    logisticHvp();
    write(dir, "logistic.hvp", logHv.w);

    write(dir, "mlp.w1", w1);
    write(dir, "mlp.w2", w2);
    write(dir, "mlp.v1", t1);
    write(dir, "mlp.v2", t2);
    write(dir, "mlp.x", mx);
    write(dir, "mlp.y", my);
    write(dir, "mlp.jvp", new double[] {mlpJvp()});
    mlpHvp();
    write(dir, "mlp.hvp1", mlpHv.w1);
    write(dir, "mlp.hvp2", mlpHv.w2);
  }

  static void write(Path dir, String name, double[] a) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 * a.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(a);
    Files.write(dir.resolve(name + ".f64"), b.array());
  }

  static void write(Path dir, String name, int[] a) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(a);
    Files.write(dir.resolve(name + ".i32"), b.array());
  }

  private double sink;

  void time(String function, double seconds) {
    Runnable jvp;
    Runnable hvp;
    switch (function) {
      case "rosenbrock" -> {
        jvp = () -> sink += rosenbrockJvp();
        hvp = () -> sink += rosenbrockHvp();
      }
      case "logistic" -> {
        jvp = () -> sink += logisticJvp();
        hvp = () -> sink += logisticHvp();
      }
      case "mlp" -> {
        jvp = () -> sink += mlpJvp();
        hvp = () -> sink += mlpHvp();
      }
      default -> throw new IllegalArgumentException("unknown function " + function);
    }
    double jvpMicros = perCall(jvp, seconds);
    double hvpMicros = perCall(hvp, seconds);
    System.out.printf(Locale.ROOT, "adjoint function=%s jvp_us=%.2f hvp_us=%.2f%s%n", function,
        jvpMicros, hvpMicros, sink == 42.125 ? " " : "");
  }

  /** Mean wall-clock microseconds per call, after {@code seconds} of warm-up. */
  static double perCall(Runnable call, double seconds) {
    run(call, seconds);
    return run(call, seconds);
  }

  private static double run(Runnable call, double seconds) {
    long budget = (long) (seconds * 1e9);
    long start = System.nanoTime();
    long calls = 0;
    long elapsed;
    do {
      call.run();
      calls++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < budget);
    return elapsed / 1e3 / calls;
  }
}
