package dev.adjoint.bench;

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
 * A least-squares fit over 1,000 points ({@link LeastSquares}): the function, the generated
 * gradient of the loss calling a model helper in its loop, of the same loss written inline, and
 * the gradient by hand. Each generated gradient is the accumulating form with one accumulator
 * reused and cleared each call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LeastSquaresBenchmark {
  static final int N = 1000;
  static final double A = 1.7;
  static final double B = 0.8;
  static final double C = -0.3;

  final double[] t = Data.uniform(N, 0, 3, 11);
  final double[] y = Data.uniform(N, -1, 2, 12);
  private final LeastSquaresGrad.LossAccumulator helper =
      LeastSquaresGrad.LossAccumulator.zerosLike();
  private final LeastSquaresGrad.LossInlineAccumulator inline =
      LeastSquaresGrad.LossInlineAccumulator.zerosLike();
  private final LeastSquaresGrad.LossExpLocalAccumulator expLocal =
      LeastSquaresGrad.LossExpLocalAccumulator.zerosLike();
  private final double[] hand = new double[3];

  /** The loss itself (with the helper). */
  @Benchmark
  public double function() {
    return LeastSquares.loss(A, B, C, t, y);
  }

  /** Generated gradient of the loss that calls the model helper in its loop. */
  @Benchmark
  public double gradientHelper() {
    helper.clear();
    return LeastSquaresGrad.loss(A, B, C, t, y, helper);
  }

  /** Generated gradient of the same loss with the model written inline. */
  @Benchmark
  public double gradientInline() {
    inline.clear();
    return LeastSquaresGrad.lossInline(A, B, C, t, y, inline);
  }

  /** Generated gradient of the inline loss with the exponential in a local. */
  @Benchmark
  public double gradientExpLocal() {
    expLocal.clear();
    return LeastSquaresGrad.lossExpLocal(A, B, C, t, y, expLocal);
  }

  /** The gradient by hand, one loop. */
  @Benchmark
  public double gradientHand() {
    return LeastSquares.lossGradient(A, B, C, t, y, hand);
  }
}
