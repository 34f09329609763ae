package dev.adjoint.bench;

import dev.adjoint.example.finance.Payoffs;
import dev.adjoint.example.finance.PayoffsGrad;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.finmath.stochastic.RandomVariable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Monte Carlo price, delta, vega and rho of a European call ({@code paths} normals) and of an
 * arithmetic Asian call ({@code paths} x 64 normals), the same normals for every method: the
 * plain price, Adjoint's generated gradient, the hand-written pathwise derivatives, finmath-lib's
 * AAD, and bump-and-revalue (central differences, 7 prices). See bench/README.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
public class MonteCarloGreeksBenchmark {
  static final double SPOT = 100;
  static final double VOL = 0.2;
  static final double RATE = 0.03;
  static final double STRIKE = 100;
  static final double MATURITY = 1;
  static final int STEPS = 64;

  /** Paths: the European call uses one normal per path, the Asian call 64. */
  @Param({"100000", "1000000"})
  public int paths;

  /** "european" or "asian". */
  @Param({"european", "asian"})
  public String option;

  private double[] z;
  private double[][] zs;
  private RandomVariable finmathZ;
  private RandomVariable[] finmathZs;
  private final PayoffsGrad.EuropeanAccumulator european =
      new PayoffsGrad.EuropeanAccumulator();
  private final PayoffsGrad.AsianAccumulator asian =
      new PayoffsGrad.AsianAccumulator();

  @Setup(Level.Trial)
  public void setUp() {
    Random r = new Random(42);
    if (option.equals("european")) {
      z = new double[paths];
      for (int p = 0; p < paths; p++) {
        z[p] = r.nextGaussian();
      }
      finmathZ = FinmathGreeks.normals(z);
    } else {
      zs = new double[paths][STEPS];
      for (double[] path : zs) {
        for (int k = 0; k < STEPS; k++) {
          path[k] = r.nextGaussian();
        }
      }
      finmathZs = FinmathGreeks.normals(zs);
    }
  }

  /** The price alone: the unit of the table's ratios. */
  @Benchmark
  public double price() {
    return option.equals("european")
        ? Payoffs.european(SPOT, VOL, RATE, STRIKE, MATURITY, z)
        : Payoffs.asian(SPOT, VOL, RATE, STRIKE, MATURITY, zs);
  }

  /** Adjoint's generated gradient (accumulating form, one accumulator reused). */
  @Benchmark
  public double adjoint() {
    if (option.equals("european")) {
      european.clear();
      return PayoffsGrad.european(SPOT, VOL, RATE, STRIKE, MATURITY, z, european)
          + european.spot + european.vol + european.rate;
    }
    asian.clear();
    return PayoffsGrad.asian(SPOT, VOL, RATE, STRIKE, MATURITY, zs, asian)
        + asian.spot + asian.vol + asian.rate;
  }

  /** The hand-written pathwise derivatives. */
  @Benchmark
  public double[] hand() {
    return option.equals("european")
        ? HandGreeks.european(SPOT, VOL, RATE, STRIKE, MATURITY, z)
        : HandGreeks.asian(SPOT, VOL, RATE, STRIKE, MATURITY, zs);
  }

  /** finmath-lib's AAD on random variables. */
  @Benchmark
  public double[] finmath() {
    return option.equals("european")
        ? FinmathGreeks.european(SPOT, VOL, RATE, STRIKE, MATURITY, finmathZ)
        : FinmathGreeks.asian(SPOT, VOL, RATE, STRIKE, MATURITY, finmathZs);
  }

  /** Bump and revalue: the price and central differences in spot, vol and rate. */
  @Benchmark
  public double[] centralDifferences() {
    return option.equals("european") ? CentralDifferences.european(z)
        : CentralDifferences.asian(zs);
  }

  /** Central differences of the plain pricers, on the same normals. */
  static final class CentralDifferences {
    static final double H_SPOT = 1e-4 * SPOT;
    static final double H = 1e-5;

    static double[] european(double[] z) {
      return new double[] {
          Payoffs.european(SPOT, VOL, RATE, STRIKE, MATURITY, z),
          (Payoffs.european(SPOT + H_SPOT, VOL, RATE, STRIKE, MATURITY, z)
              - Payoffs.european(SPOT - H_SPOT, VOL, RATE, STRIKE, MATURITY, z))
              / (2 * H_SPOT),
          (Payoffs.european(SPOT, VOL + H, RATE, STRIKE, MATURITY, z)
              - Payoffs.european(SPOT, VOL - H, RATE, STRIKE, MATURITY, z)) / (2 * H),
          (Payoffs.european(SPOT, VOL, RATE + H, STRIKE, MATURITY, z)
              - Payoffs.european(SPOT, VOL, RATE - H, STRIKE, MATURITY, z)) / (2 * H)};
    }

    static double[] asian(double[][] z) {
      return new double[] {
          Payoffs.asian(SPOT, VOL, RATE, STRIKE, MATURITY, z),
          (Payoffs.asian(SPOT + H_SPOT, VOL, RATE, STRIKE, MATURITY, z)
              - Payoffs.asian(SPOT - H_SPOT, VOL, RATE, STRIKE, MATURITY, z))
              / (2 * H_SPOT),
          (Payoffs.asian(SPOT, VOL + H, RATE, STRIKE, MATURITY, z)
              - Payoffs.asian(SPOT, VOL - H, RATE, STRIKE, MATURITY, z)) / (2 * H),
          (Payoffs.asian(SPOT, VOL, RATE + H, STRIKE, MATURITY, z)
              - Payoffs.asian(SPOT, VOL, RATE - H, STRIKE, MATURITY, z)) / (2 * H)};
    }
  }
}
