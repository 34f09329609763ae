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
 * The MLP step with the model as a record ({@link RecordMlp}, an instance method whose receiver
 * is the record parameter {@code self}) against the same function over flat parameters
 * ({@link Mlp#loss}) and the hand-written layers: 784-128-10, batch 64.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RecordMlpBenchmark {
  private final MlpInputs in = new MlpInputs();
  private final RecordMlp model = new RecordMlp(in.w1, in.b1, in.w2, in.b2);
  private final RecordMlpGrad.LossAccumulator recordAccumulator =
      RecordMlpGrad.LossAccumulator.zerosLike(model);
  private final MlpGrad.LossAccumulator flatAccumulator =
      MlpGrad.LossAccumulator.zerosLike(in.w1, in.b1, in.w2, in.b2);
  private final HandMlp hand = new HandMlp(Mlp.BATCH);
  private final float[] dw1 = new float[in.w1.length];
  private final float[] db1 = new float[in.b1.length];
  private final float[] dw2 = new float[in.w2.length];
  private final float[] db2 = new float[in.b2.length];

  /** The record model's accumulating gradient: a {@code RecordMlp} of buffers, reused. */
  @Benchmark
  public float gradientRecordModel() {
    recordAccumulator.clear();
    return RecordMlpGrad.loss(model, in.x, in.labels, recordAccumulator);
  }

  /** The same function over four flat parameters (as in {@link MlpBenchmark}). */
  @Benchmark
  public float gradientFlatParameters() {
    flatAccumulator.clear();
    return MlpGrad.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels, flatAccumulator);
  }

  /** Textbook Affine/ReLU/SoftmaxWithLoss forward and backward, gradients cleared each call. */
  @Benchmark
  public float gradientHand() {
    HandMlp.clear(dw1, db1, dw2, db2);
    return hand.lossAndGradient(in.w1, in.b1, in.w2, in.b2, in.x, in.labels,
        dw1, db1, dw2, db2);
  }
}
