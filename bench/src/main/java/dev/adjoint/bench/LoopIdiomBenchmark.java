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
 * One row of the per-idiom table ({@link IdiomTable}) per loop spelling in {@link LoopIdioms}
 * and per MLP layer spelling in {@link Mlp} and {@link MlpOutputMajor}: for idiom {@code X},
 * {@code XFunction} is the plain function, {@code XGradient} the generated accumulating form
 * with one accumulator reused and cleared each call, {@code XHand} the hand-written gradient of
 * the same function with its buffer cleared each call. Spellings of one function share its hand gradient; each idiom still
 * gets its own {@code Hand} run, so that every ratio is taken from neighbouring measurements.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LoopIdiomBenchmark {
  /** Length of the 1-D problems. */
  static final int N = 100_000;
  /** Length of the triangular problems (about N_PAIRS^2 / 2 pairs). */
  static final int N_PAIRS = 1_000;

  private final double[] x = Data.uniform(N, -2, 2, 42);
  private final double[] xPairs = Data.uniform(N_PAIRS, -1, 1, 43);
  private final double[] hand = new double[N];
  private final double[] handPairs = new double[N_PAIRS];
  private final LoopIdiomsGrad.RosenLessMinusOneAccumulator rosenLessMinusOne =
      LoopIdiomsGrad.RosenLessMinusOneAccumulator.zerosLike(x);
  private final LoopIdiomsGrad.RosenPlusOneLessAccumulator rosenPlusOneLess =
      LoopIdiomsGrad.RosenPlusOneLessAccumulator.zerosLike(x);
  private final LoopIdiomsGrad.RosenGreaterFlippedAccumulator rosenGreaterFlipped =
      LoopIdiomsGrad.RosenGreaterFlippedAccumulator.zerosLike(x);
  private final LoopIdiomsGrad.RosenNotEqualAccumulator rosenNotEqual =
      LoopIdiomsGrad.RosenNotEqualAccumulator.zerosLike(x);
  private final LoopIdiomsGrad.RosenDescendingAccumulator rosenDescending =
      LoopIdiomsGrad.RosenDescendingAccumulator.zerosLike(x);
  private final LoopIdiomsGrad.RosenWhileAccumulator rosenWhile =
      LoopIdiomsGrad.RosenWhileAccumulator.zerosLike(x);
  private final LoopIdiomsGrad.RosenCountDownAccumulator rosenCountDown =
      LoopIdiomsGrad.RosenCountDownAccumulator.zerosLike(x);
  private final LoopIdiomsGrad.RosenInlineAccumulator rosenInline =
      LoopIdiomsGrad.RosenInlineAccumulator.zerosLike(x);
  private final LoopIdiomsGrad.RosenPairsAccumulator rosenPairs =
      LoopIdiomsGrad.RosenPairsAccumulator.zerosLike(x);
  private final LoopIdiomsGrad.PairsBelowAccumulator pairsBelow =
      LoopIdiomsGrad.PairsBelowAccumulator.zerosLike(xPairs);
  private final LoopIdiomsGrad.PairsAboveAccumulator pairsAbove =
      LoopIdiomsGrad.PairsAboveAccumulator.zerosLike(xPairs);

  private final MlpInputs in = new MlpInputs();
  private final MlpGrad.LossAccumulator mlpRows =
      MlpGrad.LossAccumulator.zerosLike(in.w1, in.b1, in.w2, in.b2);
  private final MlpGrad.LossDotAccumulator mlpDot =
      MlpGrad.LossDotAccumulator.zerosLike(in.w1, in.b1, in.w2, in.b2);
  private final HandMlp handMlp = new HandMlp(Mlp.BATCH);
  private final MlpOutputMajorGrad.LossDotAccumulator mlpDotOutputMajor =
      MlpOutputMajorGrad.LossDotAccumulator.zerosLike(in.w1, in.b1, in.w2, in.b2);
  private final HandMlpOutputMajor handMlpOutputMajor = new HandMlpOutputMajor(Mlp.BATCH);
  private final float[] dw1 = new float[in.w1.length];
  private final float[] db1 = new float[in.b1.length];
  private final float[] dw2 = new float[in.w2.length];
  private final float[] db2 = new float[in.b2.length];

  // Rosenbrock, i < n - 1

  @Benchmark
  public double rosenLessMinusOneFunction() {
    return LoopIdioms.rosenLessMinusOne(x);
  }

  @Benchmark
  public double rosenLessMinusOneGradient() {
    rosenLessMinusOne.clear();
    return LoopIdiomsGrad.rosenLessMinusOne(x, rosenLessMinusOne);
  }

  @Benchmark
  public double rosenLessMinusOneHand() {
    Arrays.fill(hand, 0);
    return LoopIdioms.rosenHand(x, hand);
  }

  // Rosenbrock, i + 1 < n

  @Benchmark
  public double rosenPlusOneLessFunction() {
    return LoopIdioms.rosenPlusOneLess(x);
  }

  @Benchmark
  public double rosenPlusOneLessGradient() {
    rosenPlusOneLess.clear();
    return LoopIdiomsGrad.rosenPlusOneLess(x, rosenPlusOneLess);
  }

  @Benchmark
  public double rosenPlusOneLessHand() {
    Arrays.fill(hand, 0);
    return LoopIdioms.rosenHand(x, hand);
  }

  // Rosenbrock, n - 1 > i

  @Benchmark
  public double rosenGreaterFlippedFunction() {
    return LoopIdioms.rosenGreaterFlipped(x);
  }

  @Benchmark
  public double rosenGreaterFlippedGradient() {
    rosenGreaterFlipped.clear();
    return LoopIdiomsGrad.rosenGreaterFlipped(x, rosenGreaterFlipped);
  }

  @Benchmark
  public double rosenGreaterFlippedHand() {
    Arrays.fill(hand, 0);
    return LoopIdioms.rosenHand(x, hand);
  }

  // Rosenbrock, i != n - 1

  @Benchmark
  public double rosenNotEqualFunction() {
    return LoopIdioms.rosenNotEqual(x);
  }

  @Benchmark
  public double rosenNotEqualGradient() {
    rosenNotEqual.clear();
    return LoopIdiomsGrad.rosenNotEqual(x, rosenNotEqual);
  }

  @Benchmark
  public double rosenNotEqualHand() {
    Arrays.fill(hand, 0);
    return LoopIdioms.rosenHand(x, hand);
  }

  // Rosenbrock, i = n - 2; i >= 0; i--

  @Benchmark
  public double rosenDescendingFunction() {
    return LoopIdioms.rosenDescending(x);
  }

  @Benchmark
  public double rosenDescendingGradient() {
    rosenDescending.clear();
    return LoopIdiomsGrad.rosenDescending(x, rosenDescending);
  }

  @Benchmark
  public double rosenDescendingHand() {
    Arrays.fill(hand, 0);
    return LoopIdioms.rosenHand(x, hand);
  }

  // Rosenbrock, while (i-- > 0)

  @Benchmark
  public double rosenCountDownFunction() {
    return LoopIdioms.rosenCountDown(x);
  }

  @Benchmark
  public double rosenCountDownGradient() {
    rosenCountDown.clear();
    return LoopIdiomsGrad.rosenCountDown(x, rosenCountDown);
  }

  @Benchmark
  public double rosenCountDownHand() {
    Arrays.fill(hand, 0);
    return LoopIdioms.rosenHand(x, hand);
  }

  // Rosenbrock, while loop, counter at the end of the body

  @Benchmark
  public double rosenWhileFunction() {
    return LoopIdioms.rosenWhile(x);
  }

  @Benchmark
  public double rosenWhileGradient() {
    rosenWhile.clear();
    return LoopIdiomsGrad.rosenWhile(x, rosenWhile);
  }

  @Benchmark
  public double rosenWhileHand() {
    Arrays.fill(hand, 0);
    return LoopIdioms.rosenHand(x, hand);
  }

  // Rosenbrock, i < n - 1, no body locals

  @Benchmark
  public double rosenInlineFunction() {
    return LoopIdioms.rosenInline(x);
  }

  @Benchmark
  public double rosenInlineGradient() {
    rosenInline.clear();
    return LoopIdiomsGrad.rosenInline(x, rosenInline);
  }

  @Benchmark
  public double rosenInlineHand() {
    Arrays.fill(hand, 0);
    return LoopIdioms.rosenHand(x, hand);
  }

  // separable Rosenbrock, i += 2

  @Benchmark
  public double rosenPairsFunction() {
    return LoopIdioms.rosenPairs(x);
  }

  @Benchmark
  public double rosenPairsGradient() {
    rosenPairs.clear();
    return LoopIdiomsGrad.rosenPairs(x, rosenPairs);
  }

  @Benchmark
  public double rosenPairsHand() {
    Arrays.fill(hand, 0);
    return LoopIdioms.rosenPairsHand(x, hand);
  }

  // triangular, for j < i

  @Benchmark
  public double pairsBelowFunction() {
    return LoopIdioms.pairsBelow(xPairs);
  }

  @Benchmark
  public double pairsBelowGradient() {
    pairsBelow.clear();
    return LoopIdiomsGrad.pairsBelow(xPairs, pairsBelow);
  }

  @Benchmark
  public double pairsBelowHand() {
    Arrays.fill(handPairs, 0);
    return LoopIdioms.pairsHand(xPairs, handPairs);
  }

  // triangular, for j = i + 1; j < n

  @Benchmark
  public double pairsAboveFunction() {
    return LoopIdioms.pairsAbove(xPairs);
  }

  @Benchmark
  public double pairsAboveGradient() {
    pairsAbove.clear();
    return LoopIdiomsGrad.pairsAbove(xPairs, pairsAbove);
  }

  @Benchmark
  public double pairsAboveHand() {
    Arrays.fill(handPairs, 0);
    return LoopIdioms.pairsHand(xPairs, handPairs);
  }

  // MLP 784-128-10, batch 64: each layer as row updates (Mlp.loss)

  @Benchmark
  public float mlpRowUpdateFunction() {
    return Mlp.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
  }

  @Benchmark
  public float mlpRowUpdateGradient() {
    mlpRows.clear();
    return MlpGrad.loss(in.w1, in.b1, in.w2, in.b2, in.x, in.labels, mlpRows);
  }

  @Benchmark
  public float mlpRowUpdateHand() {
    HandMlp.clear(dw1, db1, dw2, db2);
    return handMlp.lossAndGradient(in.w1, in.b1, in.w2, in.b2, in.x, in.labels,
        dw1, db1, dw2, db2);
  }

  // MLP 784-128-10, batch 64: each unit a dot product into a scalar, then ReLU (Mlp.lossDot)

  @Benchmark
  public float mlpDotProductFunction() {
    return Mlp.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
  }

  @Benchmark
  public float mlpDotProductGradient() {
    mlpDot.clear();
    return MlpGrad.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels, mlpDot);
  }

  @Benchmark
  public float mlpDotProductHand() {
    HandMlp.clear(dw1, db1, dw2, db2);
    return handMlp.lossAndGradient(in.w1, in.b1, in.w2, in.b2, in.x, in.labels,
        dw1, db1, dw2, db2);
  }

  // MLP 784-128-10, batch 64: the dot product of issue 9, w[j][k] * x[k] with the weights
  // stored output-major (MlpOutputMajor.lossDot), against the hand layers of the same layout

  @Benchmark
  public float mlpDotOutputMajorFunction() {
    return MlpOutputMajor.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels);
  }

  @Benchmark
  public float mlpDotOutputMajorGradient() {
    mlpDotOutputMajor.clear();
    return MlpOutputMajorGrad.lossDot(in.w1, in.b1, in.w2, in.b2, in.x, in.labels,
        mlpDotOutputMajor);
  }

  @Benchmark
  public float mlpDotOutputMajorHand() {
    HandMlp.clear(dw1, db1, dw2, db2);
    return handMlpOutputMajor.lossAndGradient(in.w1, in.b1, in.w2, in.b2, in.x, in.labels,
        dw1, db1, dw2, db2);
  }
}
