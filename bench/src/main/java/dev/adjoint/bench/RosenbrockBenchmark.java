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

/** Rosenbrock over 100,000 variables: the function, the generated gradient, the hand gradient. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RosenbrockBenchmark {
  static final int N = 100_000;

  private final double[] x = Data.uniform(N, -2, 2, 42);
  private final RosenbrockGrad.RosenbrockAccumulator accumulator =
      RosenbrockGrad.RosenbrockAccumulator.zerosLike(x);
  private final double[] handGradient = new double[N];

  /** The plain function. */
  @Benchmark
  public double function() {
    return Rosenbrock.rosenbrock(x);
  }

  /** Generated accumulating form, one accumulator reused and cleared each call. */
  @Benchmark
  public double gradientAccumulating() {
    accumulator.clear();
    return RosenbrockGrad.rosenbrock(x, accumulator);
  }

  /** Generated record form: allocates the gradient array each call. */
  @Benchmark
  public RosenbrockGrad.Rosenbrock gradientRecord() {
    return RosenbrockGrad.rosenbrock(x);
  }

  /** The obvious single loop by hand, its buffer cleared each call. */
  @Benchmark
  public double gradientHand() {
    Arrays.fill(handGradient, 0);
    return Rosenbrock.rosenbrockGradient(x, handGradient);
  }
}
