package dev.adjoint.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the generated Rosenbrock gradient spends its time: its reverse-sweep loop, copied from
 * {@code RosenbrockGrad} as generated, against the same loop with each element's adjoint
 * updated once (what a code generator could emit), and that loop behind the generated forward
 * sweep. Copies, not the generated code: for the analysis in README.md only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RosenbrockReverseSweepBenchmark {
  private final double[] x = Data.uniform(RosenbrockBenchmark.N, -2, 2, 42);
  private final double[] gradient = new double[RosenbrockBenchmark.N];

  /** The reverse-sweep loop of {@code RosenbrockGrad.rosenbrock(x, acc)}, verbatim. */
  @Benchmark
  public double reverseAsGenerated() {
    Arrays.fill(gradient, 0);
    double[] dX = gradient;
    double dSum = 1.0;
    for (int i = x.length - 1 - 1; i >= 0; i--) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1.0 - x[i];
      double dA = 0.0;
      double dB = 0.0;
      dA += dSum * a * 100.0;
      dA += dSum * (100.0 * a);
      dB += dSum * b;
      dB += dSum * b;
      dX[i] -= dB;
      dX[i + 1] += dA;
      dX[i] -= dA * x[i];
      dX[i] -= dA * x[i];
    }
    return dX[0];
  }

  /** The same loop, each element's adjoint summed in a local and added to the array once. */
  @Benchmark
  public double reverseOneUpdatePerElement() {
    Arrays.fill(gradient, 0);
    return reverseOneUpdatePerElement(x, gradient, 1.0);
  }

  /** The generated forward sweep followed by {@link #reverseOneUpdatePerElement()}. */
  @Benchmark
  public double forwardThenReverseOneUpdatePerElement() {
    Arrays.fill(gradient, 0);
    double sum = 0.0;
    for (int i = 0; i < x.length - 1; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1.0 - x[i];
      sum += 100.0 * a * a + b * b;
    }
    reverseOneUpdatePerElement(x, gradient, 1.0);
    return sum;
  }

  private static double reverseOneUpdatePerElement(double[] x, double[] dX, double dSum) {
    for (int i = x.length - 1 - 1; i >= 0; i--) {
      double xi = x[i];
      double a = x[i + 1] - xi * xi;
      double b = 1.0 - xi;
      double dA = dSum * a * 100.0 + dSum * (100.0 * a);
      double dB = dSum * b + dSum * b;
      dX[i + 1] += dA;
      dX[i] += -dB - dA * xi - dA * xi;
    }
    return dX[0];
  }
}
