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
 * The dot-product MLP on both weight layouts, generated against hand-written: {@link Mlp#lossDot}
 * (input-major, strided dot products) next to {@link HandMlp}, and
 * {@link MlpOutputMajor#lossDot} next to {@link HandMlpOutputMajor} (contiguous rows). Only
 * same-layout pairs compare the processor; the forward pairs show what the layout alone costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MlpOutputMajorBenchmark {
  private final MlpInputs in = new MlpInputs();
  private final MlpOutputMajorGrad.LossDotAccumulator accumulator =
      MlpOutputMajorGrad.LossDotAccumulator.zerosLike(in.w1, in.b1, in.w2, in.b2);
  private final HandMlpOutputMajor hand = new HandMlpOutputMajor(Mlp.BATCH);
  private final HandMlp handInputMajor = new HandMlp(Mlp.BATCH);
  private final float[] dw1 = new float[in.w1.length];
  private final float[] db1 = new float[in.b1.length];
  private final float[] dw2 = new float[in.w2.length];
  private final float[] db2 = new float[in.b2.length];

  /** {@link Mlp#lossDot}, forward only: strided reads of {@code w1}. */
  @Benchmark
  public float forwardDotInputMajor() {
    return Mlp.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
  }

  /** {@link HandMlp}'s forward pass (input-major, row-times-matrix loops). */
  @Benchmark
  public float forwardHandInputMajor() {
    return handInputMajor.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
  }

  /** {@link MlpOutputMajor#lossDot}, forward only. */
  @Benchmark
  public float forwardDot() {
    return MlpOutputMajor.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
  }

  /** {@link HandMlpOutputMajor}'s forward pass. */
  @Benchmark
  public float forwardHand() {
    return hand.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
  }

  /** Generated accumulating gradient of {@link MlpOutputMajor#lossDot}. */
  @Benchmark
  public float gradientGenerated() {
    accumulator.clear();
    return MlpOutputMajorGrad.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels, accumulator);
  }

  /** {@link HandMlpOutputMajor}'s forward and backward passes, gradients cleared each call. */
  @Benchmark
  public float gradientHand() {
    HandMlp.clear(dw1, db1, dw2, db2);
    return hand.lossAndGradient(in.w1, in.b1, in.w2, in.b2, in.x, in.labels, dw1, db1, dw2, db2);
  }
}
