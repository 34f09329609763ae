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
 * Issue 16's constructs against their plain spellings ({@link Constructs}), one row of
 * {@link ConstructTable} each: for row {@code X}, {@code XConstructFunction} and
 * {@code XPlainFunction} run the two functions, {@code XConstructGradient} and
 * {@code XPlainGradient} their generated accumulating forms (one accumulator each, reused and
 * cleared every call). A plain spelling shared by several rows runs again in each row, so that
 * every ratio comes from neighbouring measurements.
 *
 * <p>The functions that write their parameter in place ({@code sortInPlace}, {@code mapInPlace})
 * are called on a fresh copy of the input each time (as their plain spelling copies it), so
 * every call does the same work; their gradients copy the written array themselves and leave
 * the input as it is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ConstructBenchmark {
  /** Length of the inputs. */
  static final int N = 10_000;
  /** Length of the array the insertion sorts sort (about N_SORT^2 / 4 shifts). */
  static final int N_SORT = 300;
  /** The factor of the map in {@link Constructs#mapStep}. */
  static final double C = 0.9;

  final double[] x = Data.uniform(N, -2, 2, 42);
  /** Inputs in [-0.5, 0.5): the copies' recurrence stays bounded. */
  final double[] half = Data.uniform(N, -0.5, 0.5, 44);
  /** Inputs in (0, 1): the damped map stays there. */
  final double[] unit = Data.uniform(N, 0.05, 0.95, 45);
  final double[] unsorted = Data.uniform(N_SORT, -1, 1, 46);
  final int[] kind = Data.labels(N, 4, 47);
  private final double[] scratch = new double[N];
  private final double[] scratchSort = new double[N_SORT];

  private final ConstructsGrad.CountDownPostConstructAccumulator countDownPostConstruct =
      ConstructsGrad.CountDownPostConstructAccumulator.zerosLike(x);
  private final ConstructsGrad.CountDownPlainAccumulator countDownPlain =
      ConstructsGrad.CountDownPlainAccumulator.zerosLike(x);
  private final ConstructsGrad.CountDownPreConstructAccumulator countDownPreConstruct =
      ConstructsGrad.CountDownPreConstructAccumulator.zerosLike(x);
  private final ConstructsGrad.PostIncrementIndexConstructAccumulator postIncrementIndexConstruct =
      ConstructsGrad.PostIncrementIndexConstructAccumulator.zerosLike(x);
  private final ConstructsGrad.PostIncrementIndexPlainAccumulator postIncrementIndexPlain =
      ConstructsGrad.PostIncrementIndexPlainAccumulator.zerosLike(x);
  private final ConstructsGrad.SwitchColonConstructAccumulator switchColonConstruct =
      ConstructsGrad.SwitchColonConstructAccumulator.zerosLike(x);
  private final ConstructsGrad.SwitchStatementPlainAccumulator switchStatementPlain =
      ConstructsGrad.SwitchStatementPlainAccumulator.zerosLike(x);
  private final ConstructsGrad.SwitchArrowConstructAccumulator switchArrowConstruct =
      ConstructsGrad.SwitchArrowConstructAccumulator.zerosLike(x);
  private final ConstructsGrad.SwitchExpressionConstructAccumulator switchExpressionConstruct =
      ConstructsGrad.SwitchExpressionConstructAccumulator.zerosLike(x);
  private final ConstructsGrad.SwitchExpressionPlainAccumulator switchExpressionPlain =
      ConstructsGrad.SwitchExpressionPlainAccumulator.zerosLike(x);
  private final ConstructsGrad.CompoundInExpressionConstructAccumulator compoundInExpressionConstruct =
      ConstructsGrad.CompoundInExpressionConstructAccumulator.zerosLike(x);
  private final ConstructsGrad.CompoundInExpressionPlainAccumulator compoundInExpressionPlain =
      ConstructsGrad.CompoundInExpressionPlainAccumulator.zerosLike(x);
  private final ConstructsGrad.SortInPlaceConstructAccumulator sortInPlaceConstruct =
      ConstructsGrad.SortInPlaceConstructAccumulator.zerosLike(unsorted);
  private final ConstructsGrad.SortInPlacePlainAccumulator sortInPlacePlain =
      ConstructsGrad.SortInPlacePlainAccumulator.zerosLike(unsorted);
  private final ConstructsGrad.MapInPlaceConstructAccumulator mapInPlaceConstruct =
      ConstructsGrad.MapInPlaceConstructAccumulator.zerosLike(x);
  private final ConstructsGrad.MapInPlacePlainAccumulator mapInPlacePlain =
      ConstructsGrad.MapInPlacePlainAccumulator.zerosLike(x);
  private final ConstructsGrad.OutParameterConstructAccumulator outParameterConstruct =
      ConstructsGrad.OutParameterConstructAccumulator.zerosLike(unit);
  private final ConstructsGrad.OutParameterPlainAccumulator outParameterPlain =
      ConstructsGrad.OutParameterPlainAccumulator.zerosLike(unit);
  private final ConstructsGrad.CloneConstructAccumulator cloneConstruct =
      ConstructsGrad.CloneConstructAccumulator.zerosLike(half);
  private final ConstructsGrad.CopyPlainAccumulator copyPlain =
      ConstructsGrad.CopyPlainAccumulator.zerosLike(half);
  private final ConstructsGrad.CopyOfConstructAccumulator copyOfConstruct =
      ConstructsGrad.CopyOfConstructAccumulator.zerosLike(half);
  private final ConstructsGrad.WhileTrueBreakLastConstructAccumulator whileTrueBreakLastConstruct =
      ConstructsGrad.WhileTrueBreakLastConstructAccumulator.zerosLike(x);
  private final ConstructsGrad.WhileTruePlainAccumulator whileTruePlain =
      ConstructsGrad.WhileTruePlainAccumulator.zerosLike(x);
  private final ConstructsGrad.WhileTrueBreakFirstConstructAccumulator whileTrueBreakFirstConstruct =
      ConstructsGrad.WhileTrueBreakFirstConstructAccumulator.zerosLike(x);

  // countDownPost: Constructs.countDownPostConstruct against Constructs.countDownPlain

  @Benchmark
  public double countDownPostConstructFunction() {
    return Constructs.countDownPostConstruct(x);
  }

  @Benchmark
  public double countDownPostConstructGradient() {
    countDownPostConstruct.clear();
    return ConstructsGrad.countDownPostConstruct(x, countDownPostConstruct);
  }

  @Benchmark
  public double countDownPostPlainFunction() {
    return Constructs.countDownPlain(x);
  }

  @Benchmark
  public double countDownPostPlainGradient() {
    countDownPlain.clear();
    return ConstructsGrad.countDownPlain(x, countDownPlain);
  }

  // countDownPre: Constructs.countDownPreConstruct against Constructs.countDownPlain

  @Benchmark
  public double countDownPreConstructFunction() {
    return Constructs.countDownPreConstruct(x);
  }

  @Benchmark
  public double countDownPreConstructGradient() {
    countDownPreConstruct.clear();
    return ConstructsGrad.countDownPreConstruct(x, countDownPreConstruct);
  }

  @Benchmark
  public double countDownPrePlainFunction() {
    return Constructs.countDownPlain(x);
  }

  @Benchmark
  public double countDownPrePlainGradient() {
    countDownPlain.clear();
    return ConstructsGrad.countDownPlain(x, countDownPlain);
  }

  // postIncrementIndex: Constructs.postIncrementIndexConstruct against Constructs.postIncrementIndexPlain

  @Benchmark
  public double postIncrementIndexConstructFunction() {
    return Constructs.postIncrementIndexConstruct(x);
  }

  @Benchmark
  public double postIncrementIndexConstructGradient() {
    postIncrementIndexConstruct.clear();
    return ConstructsGrad.postIncrementIndexConstruct(x, postIncrementIndexConstruct);
  }

  @Benchmark
  public double postIncrementIndexPlainFunction() {
    return Constructs.postIncrementIndexPlain(x);
  }

  @Benchmark
  public double postIncrementIndexPlainGradient() {
    postIncrementIndexPlain.clear();
    return ConstructsGrad.postIncrementIndexPlain(x, postIncrementIndexPlain);
  }

  // switchColon: Constructs.switchColonConstruct against Constructs.switchStatementPlain

  @Benchmark
  public double switchColonConstructFunction() {
    return Constructs.switchColonConstruct(x, kind);
  }

  @Benchmark
  public double switchColonConstructGradient() {
    switchColonConstruct.clear();
    return ConstructsGrad.switchColonConstruct(x, kind, switchColonConstruct);
  }

  @Benchmark
  public double switchColonPlainFunction() {
    return Constructs.switchStatementPlain(x, kind);
  }

  @Benchmark
  public double switchColonPlainGradient() {
    switchStatementPlain.clear();
    return ConstructsGrad.switchStatementPlain(x, kind, switchStatementPlain);
  }

  // switchArrow: Constructs.switchArrowConstruct against Constructs.switchStatementPlain

  @Benchmark
  public double switchArrowConstructFunction() {
    return Constructs.switchArrowConstruct(x, kind);
  }

  @Benchmark
  public double switchArrowConstructGradient() {
    switchArrowConstruct.clear();
    return ConstructsGrad.switchArrowConstruct(x, kind, switchArrowConstruct);
  }

  @Benchmark
  public double switchArrowPlainFunction() {
    return Constructs.switchStatementPlain(x, kind);
  }

  @Benchmark
  public double switchArrowPlainGradient() {
    switchStatementPlain.clear();
    return ConstructsGrad.switchStatementPlain(x, kind, switchStatementPlain);
  }

  // switchExpression: Constructs.switchExpressionConstruct against Constructs.switchExpressionPlain

  @Benchmark
  public double switchExpressionConstructFunction() {
    return Constructs.switchExpressionConstruct(x, kind);
  }

  @Benchmark
  public double switchExpressionConstructGradient() {
    switchExpressionConstruct.clear();
    return ConstructsGrad.switchExpressionConstruct(x, kind, switchExpressionConstruct);
  }

  @Benchmark
  public double switchExpressionPlainFunction() {
    return Constructs.switchExpressionPlain(x, kind);
  }

  @Benchmark
  public double switchExpressionPlainGradient() {
    switchExpressionPlain.clear();
    return ConstructsGrad.switchExpressionPlain(x, kind, switchExpressionPlain);
  }

  // compoundInExpression: Constructs.compoundInExpressionConstruct against Constructs.compoundInExpressionPlain

  @Benchmark
  public double compoundInExpressionConstructFunction() {
    return Constructs.compoundInExpressionConstruct(x);
  }

  @Benchmark
  public double compoundInExpressionConstructGradient() {
    compoundInExpressionConstruct.clear();
    return ConstructsGrad.compoundInExpressionConstruct(x, compoundInExpressionConstruct);
  }

  @Benchmark
  public double compoundInExpressionPlainFunction() {
    return Constructs.compoundInExpressionPlain(x);
  }

  @Benchmark
  public double compoundInExpressionPlainGradient() {
    compoundInExpressionPlain.clear();
    return ConstructsGrad.compoundInExpressionPlain(x, compoundInExpressionPlain);
  }

  // sortInPlace: Constructs.sortInPlaceConstruct against Constructs.sortInPlacePlain

  @Benchmark
  public double sortInPlaceConstructFunction() {
    System.arraycopy(unsorted, 0, scratchSort, 0, unsorted.length);
    return Constructs.sortInPlaceConstruct(scratchSort);
  }

  @Benchmark
  public double sortInPlaceConstructGradient() {
    sortInPlaceConstruct.clear();
    return ConstructsGrad.sortInPlaceConstruct(unsorted, sortInPlaceConstruct);
  }

  @Benchmark
  public double sortInPlacePlainFunction() {
    return Constructs.sortInPlacePlain(unsorted);
  }

  @Benchmark
  public double sortInPlacePlainGradient() {
    sortInPlacePlain.clear();
    return ConstructsGrad.sortInPlacePlain(unsorted, sortInPlacePlain);
  }

  // mapInPlace: Constructs.mapInPlaceConstruct against Constructs.mapInPlacePlain

  @Benchmark
  public double mapInPlaceConstructFunction() {
    System.arraycopy(x, 0, scratch, 0, x.length);
    return Constructs.mapInPlaceConstruct(scratch);
  }

  @Benchmark
  public double mapInPlaceConstructGradient() {
    mapInPlaceConstruct.clear();
    return ConstructsGrad.mapInPlaceConstruct(x, mapInPlaceConstruct);
  }

  @Benchmark
  public double mapInPlacePlainFunction() {
    return Constructs.mapInPlacePlain(x);
  }

  @Benchmark
  public double mapInPlacePlainGradient() {
    mapInPlacePlain.clear();
    return ConstructsGrad.mapInPlacePlain(x, mapInPlacePlain);
  }

  // outParameter: Constructs.outParameterConstruct against Constructs.outParameterPlain

  @Benchmark
  public double outParameterConstructFunction() {
    return Constructs.outParameterConstruct(unit, C);
  }

  @Benchmark
  public double outParameterConstructGradient() {
    outParameterConstruct.clear();
    return ConstructsGrad.outParameterConstruct(unit, C, outParameterConstruct);
  }

  @Benchmark
  public double outParameterPlainFunction() {
    return Constructs.outParameterPlain(unit, C);
  }

  @Benchmark
  public double outParameterPlainGradient() {
    outParameterPlain.clear();
    return ConstructsGrad.outParameterPlain(unit, C, outParameterPlain);
  }

  // clone: Constructs.cloneConstruct against Constructs.copyPlain

  @Benchmark
  public double cloneConstructFunction() {
    return Constructs.cloneConstruct(half);
  }

  @Benchmark
  public double cloneConstructGradient() {
    cloneConstruct.clear();
    return ConstructsGrad.cloneConstruct(half, cloneConstruct);
  }

  @Benchmark
  public double clonePlainFunction() {
    return Constructs.copyPlain(half);
  }

  @Benchmark
  public double clonePlainGradient() {
    copyPlain.clear();
    return ConstructsGrad.copyPlain(half, copyPlain);
  }

  // copyOf: Constructs.copyOfConstruct against Constructs.copyPlain

  @Benchmark
  public double copyOfConstructFunction() {
    return Constructs.copyOfConstruct(half);
  }

  @Benchmark
  public double copyOfConstructGradient() {
    copyOfConstruct.clear();
    return ConstructsGrad.copyOfConstruct(half, copyOfConstruct);
  }

  @Benchmark
  public double copyOfPlainFunction() {
    return Constructs.copyPlain(half);
  }

  @Benchmark
  public double copyOfPlainGradient() {
    copyPlain.clear();
    return ConstructsGrad.copyPlain(half, copyPlain);
  }

  // whileTrueBreakLast: Constructs.whileTrueBreakLastConstruct against Constructs.whileTruePlain

  @Benchmark
  public double whileTrueBreakLastConstructFunction() {
    return Constructs.whileTrueBreakLastConstruct(x);
  }

  @Benchmark
  public double whileTrueBreakLastConstructGradient() {
    whileTrueBreakLastConstruct.clear();
    return ConstructsGrad.whileTrueBreakLastConstruct(x, whileTrueBreakLastConstruct);
  }

  @Benchmark
  public double whileTrueBreakLastPlainFunction() {
    return Constructs.whileTruePlain(x);
  }

  @Benchmark
  public double whileTrueBreakLastPlainGradient() {
    whileTruePlain.clear();
    return ConstructsGrad.whileTruePlain(x, whileTruePlain);
  }

  // whileTrueBreakFirst: Constructs.whileTrueBreakFirstConstruct against Constructs.whileTruePlain

  @Benchmark
  public double whileTrueBreakFirstConstructFunction() {
    return Constructs.whileTrueBreakFirstConstruct(x);
  }

  @Benchmark
  public double whileTrueBreakFirstConstructGradient() {
    whileTrueBreakFirstConstruct.clear();
    return ConstructsGrad.whileTrueBreakFirstConstruct(x, whileTrueBreakFirstConstruct);
  }

  @Benchmark
  public double whileTrueBreakFirstPlainFunction() {
    return Constructs.whileTruePlain(x);
  }

  @Benchmark
  public double whileTrueBreakFirstPlainGradient() {
    whileTruePlain.clear();
    return ConstructsGrad.whileTruePlain(x, whileTruePlain);
  }
}
