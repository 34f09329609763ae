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

/** Rosenbrock gradient at n = 100: Hipparchus forward mode against Adjoint's reverse mode. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ForwardModeBenchmark {
  static final int N = 100;

  private final double[] x = Data.uniform(N, -2, 2, 7);
  private final ForwardModeRosenbrock forwardMode = new ForwardModeRosenbrock(N);
  private final double[] forwardGradient = new double[N];
  private final RosenbrockGrad.RosenbrockAccumulator accumulator =
      RosenbrockGrad.RosenbrockAccumulator.zerosLike(x);

  /** Hipparchus DerivativeStructure, 100 free parameters, order 1. */
  @Benchmark
  public double hipparchusDerivativeStructure() {
    Arrays.fill(forwardGradient, 0);
    return forwardMode.valueAndGradient(x, forwardGradient);
  }

  /** Adjoint's generated accumulating form at the same point. */
  @Benchmark
  public double adjointGenerated() {
    accumulator.clear();
    return RosenbrockGrad.rosenbrock(x, accumulator);
  }
}
