package dev.adjoint.bench;

import dev.adjoint.example.finance.Payoffs;
import dev.adjoint.example.finance.PayoffsGrad;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The generated gradient (price, delta, vega, rho) of each {@link AsianSpellings} spelling of the
 * Asian call, 64 steps x 20,000 paths, the same normals: each spelling's gradient against the
 * plain spelling's ({@code running}: {@code finance.Payoffs.asian}). See bench/README.md, "Monte Carlo Greeks".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AsianSpellingsBenchmark {
  /** "running", "pathArray", "whileCompound" or "helper". */
  @Param({"running", "pathArray", "whileCompound", "helper"})
  public String spelling;

  private final double[][] z = normals(20_000, 64, 42);
  private final double[] sink = new double[4];

  static double[][] normals(int paths, int steps, long seed) {
    Random r = new Random(seed);
    double[][] z = new double[paths][steps];
    for (double[] path : z) {
      for (int k = 0; k < steps; k++) {
        path[k] = r.nextGaussian();
      }
    }
    return z;
  }

  /** The price alone. */
  @Benchmark
  public double price() {
    return switch (spelling) {
      case "running" -> Payoffs.asian(100, 0.2, 0.03, 100, 1, z);
      case "pathArray" -> AsianSpellings.pathArray(100, 0.2, 0.03, 100, 1, z);
      case "whileCompound" -> AsianSpellings.whileCompound(100, 0.2, 0.03, 100, 1, z);
      default -> AsianSpellings.helper(100, 0.2, 0.03, 100, 1, z);
    };
  }

  /** Price and its three Greeks by the generated gradient (the record form). */
  @Benchmark
  public double[] gradient() {
    switch (spelling) {
      case "running" -> {
        var g = PayoffsGrad.asian(100, 0.2, 0.03, 100, 1, z);
        sink[0] = g.value(); sink[1] = g.spot(); sink[2] = g.vol(); sink[3] = g.rate();
      }
      case "pathArray" -> {
        var g = AsianSpellingsGrad.pathArray(100, 0.2, 0.03, 100, 1, z);
        sink[0] = g.value(); sink[1] = g.spot(); sink[2] = g.vol(); sink[3] = g.rate();
      }
      case "whileCompound" -> {
        var g = AsianSpellingsGrad.whileCompound(100, 0.2, 0.03, 100, 1, z);
        sink[0] = g.value(); sink[1] = g.spot(); sink[2] = g.vol(); sink[3] = g.rate();
      }
      default -> {
        var g = AsianSpellingsGrad.helper(100, 0.2, 0.03, 100, 1, z);
        sink[0] = g.value(); sink[1] = g.spot(); sink[2] = g.vol(); sink[3] = g.rate();
      }
    }
    return sink;
  }
}
