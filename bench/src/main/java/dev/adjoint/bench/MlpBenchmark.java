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

/** 784-128-10 MLP, batch 64: generated gradients against textbook layered backprop. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MlpBenchmark {
  private final MlpInputs in = new MlpInputs();
  private final MlpGrad.LossAccumulator accumulator =
      MlpGrad.LossAccumulator.zerosLike(in.w1, in.b1, in.w2, in.b2);
  private final MlpGrad.LossRowsAccumulator rowsAccumulator =
      MlpGrad.LossRowsAccumulator.zerosLike(in.w1Rows, in.b1, in.w2Rows, in.b2);
  private final MlpGrad.LossDotAccumulator dotAccumulator =
      MlpGrad.LossDotAccumulator.zerosLike(in.w1, in.b1, in.w2, in.b2);
  private final HandMlp hand = new HandMlp(Mlp.BATCH);
  private final float[] dw1 = new float[in.w1.length];
  private final float[] db1 = new float[in.b1.length];
  private final float[] dw2 = new float[in.w2.length];
  private final float[] db2 = new float[in.b2.length];

  /** The @Differentiable function itself (forward only). */
  @Benchmark
  public float forward() {
    return Mlp.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
  }

  /** The hand-written layers' forward pass alone. */
  @Benchmark
  public float forwardHand() {
    return hand.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
  }

  /** Generated accumulating gradient of {@link Mlp#loss} (flat float[]). */
  @Benchmark
  public float gradientGenerated() {
    accumulator.clear();
    return MlpGrad.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels, accumulator);
  }

  /** Generated accumulating gradient of {@link Mlp#lossRows} (float[][]). */
  @Benchmark
  public float gradientGeneratedRows() {
    rowsAccumulator.clear();
    return MlpGrad.lossRows(in.w1Rows, in.b1, in.w2Rows, in.b2, in.xRows, in.labels,
        rowsAccumulator);
  }

  /** Generated accumulating gradient of {@link Mlp#lossDot} (scalar dot-product loops). */
  @Benchmark
  public float gradientGeneratedDot() {
    dotAccumulator.clear();
    return MlpGrad.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels, dotAccumulator);
  }

  /** Textbook Affine/ReLU/SoftmaxWithLoss forward and backward, gradients cleared each call. */
  @Benchmark
  public float gradientHand() {
    HandMlp.clear(dw1, db1, dw2, db2);
    return hand.lossAndGradient(in.w1, in.b1, in.w2, in.b2, in.x, in.labels,
        dw1, db1, dw2, db2);
  }
}
