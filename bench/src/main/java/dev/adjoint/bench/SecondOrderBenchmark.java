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
 * Forward mode and Hessian-vector products against the function and the gradient: Rosenbrock
 * (n = 100,000), logistic regression (1,000 examples, 100 features), a 20-32-1 tanh MLP
 * (500 examples). The targets of issue 18: JVP at most 1.5x the function, HVP at most 3x the
 * gradient.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SecondOrderBenchmark {
  static final int N = 100_000;
  static final int EXAMPLES = 1000;
  static final int FEATURES = 100;
  static final int MLP_EXAMPLES = 500;
  static final int IN = 20;
  static final int HIDDEN = 32;

  private final double[] x = Data.uniform(N, -2, 2, 42);
  private final double[] v = Data.uniform(N, -1, 1, 43);
  private final SecondOrderGrad.RosenbrockAccumulator rosenGrad =
      SecondOrderGrad.RosenbrockAccumulator.zerosLike(x);
  private final SecondOrderGrad.RosenbrockHvpAccumulator rosenHv =
      SecondOrderGrad.RosenbrockHvpAccumulator.zerosLike(x);

  private final double[] w = Data.uniform(FEATURES, -0.1, 0.1, 44);
  private final double[] tw = Data.uniform(FEATURES, -1, 1, 45);
  private final double[] data = Data.uniform(EXAMPLES * FEATURES, -1, 1, 46);
  private final int[] labels = labels(EXAMPLES);
  private final SecondOrderGrad.LogisticAccumulator logGrad =
      SecondOrderGrad.LogisticAccumulator.zerosLike(w);
  private final SecondOrderGrad.LogisticHvpAccumulator logHv =
      SecondOrderGrad.LogisticHvpAccumulator.zerosLike(w);

  private final double[] w1 = Data.uniform(HIDDEN * IN, -0.3, 0.3, 47);
  private final double[] w2 = Data.uniform(HIDDEN, -0.3, 0.3, 48);
  private final double[] t1 = Data.uniform(HIDDEN * IN, -1, 1, 49);
  private final double[] t2 = Data.uniform(HIDDEN, -1, 1, 50);
  private final double[] mx = Data.uniform(MLP_EXAMPLES * IN, -1, 1, 51);
  private final double[] my = Data.uniform(MLP_EXAMPLES, -1, 1, 52);
  private final SecondOrderGrad.MlpAccumulator mlpGrad =
      SecondOrderGrad.MlpAccumulator.zerosLike(w1, w2);
  private final SecondOrderGrad.MlpHvpAccumulator mlpHv =
      SecondOrderGrad.MlpHvpAccumulator.zerosLike(w1, w2);

  private static int[] labels(int n) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = (i * 7919) % 3 == 0 ? 1 : 0;
    }
    return y;
  }

  @Benchmark
  public double rosenbrockFunction() {
    return SecondOrder.rosenbrock(x);
  }

  @Benchmark
  public double rosenbrockGradient() {
    rosenGrad.clear();
    return SecondOrderGrad.rosenbrock(x, rosenGrad);
  }

  @Benchmark
  public double rosenbrockJvp() {
    return SecondOrderGrad.rosenbrockJvp(x, v).tangent();
  }

  /** Rosenbrock's JVP as forward mode generated it before collecting like terms. */
  @Benchmark
  public double rosenbrockJvpProductRuleTerms() {
    return RosenbrockJvpForms.productRuleTerms(x, v);
  }

  /** Rosenbrock's JVP written by hand for speed. */
  @Benchmark
  public double rosenbrockJvpByHand() {
    return RosenbrockJvpForms.byHand(x, v);
  }

  @Benchmark
  public double rosenbrockHvp() {
    rosenHv.clear();
    return SecondOrderGrad.rosenbrockHvp(x, v, rosenHv);
  }

  @Benchmark
  public double logisticFunction() {
    return SecondOrder.logistic(w, data, labels, EXAMPLES);
  }

  @Benchmark
  public double logisticGradient() {
    logGrad.clear();
    return SecondOrderGrad.logistic(w, data, labels, EXAMPLES, logGrad);
  }

  @Benchmark
  public double logisticJvp() {
    return SecondOrderGrad.logisticJvp(w, data, labels, EXAMPLES, tw).tangent();
  }

  @Benchmark
  public double logisticHvp() {
    logHv.clear();
    return SecondOrderGrad.logisticHvp(w, data, labels, EXAMPLES, tw, logHv);
  }

  @Benchmark
  public double mlpFunction() {
    return SecondOrder.mlp(w1, w2, mx, my, MLP_EXAMPLES, IN, HIDDEN);
  }

  @Benchmark
  public double mlpGradient() {
    mlpGrad.clear();
    return SecondOrderGrad.mlp(w1, w2, mx, my, MLP_EXAMPLES, IN, HIDDEN, mlpGrad);
  }

  @Benchmark
  public double mlpJvp() {
    return SecondOrderGrad.mlpJvp(w1, w2, mx, my, MLP_EXAMPLES, IN, HIDDEN, t1, t2).tangent();
  }

  @Benchmark
  public double mlpHvp() {
    mlpHv.clear();
    return SecondOrderGrad.mlpHvp(w1, w2, mx, my, MLP_EXAMPLES, IN, HIDDEN, t1, t2, mlpHv);
  }

  /** Rosenbrock's JVP: the primal's {@code 100 * a} reused, the factor 2 out of the sum. */
  @Benchmark
  public double rosenbrockJvpShared() {
    return JvpShapes.rosenbrockShared(x, v);
  }

  /** Rosenbrock's JVP by hand with the next elements carried (two loads per element). */
  @Benchmark
  public double rosenbrockJvpCarried() {
    return JvpShapes.rosenbrockCarried(x, v);
  }

  /** Rosenbrock's tangent alone, no value. */
  @Benchmark
  public double rosenbrockJvpTangentOnly() {
    return JvpShapes.rosenbrockTangentOnly(x, v);
  }

  @Benchmark
  public double logisticJvpGeneratedCopy() {
    return JvpShapes.logisticGenerated(w, data, labels, EXAMPLES, tw);
  }

  @Benchmark
  public double logisticJvpJammed() {
    return JvpShapes.logisticJammed(w, data, labels, EXAMPLES, tw);
  }

  @Benchmark
  public double mlpJvpGeneratedCopy() {
    return JvpShapes.mlpGenerated(w1, w2, mx, my, MLP_EXAMPLES, IN, HIDDEN, t1, t2);
  }

  @Benchmark
  public double mlpJvpJammed() {
    return JvpShapes.mlpJammed(w1, w2, mx, my, MLP_EXAMPLES, IN, HIDDEN, t1, t2);
  }

  @Benchmark
  public double mlpJvpJammedExamples() {
    return JvpShapes.mlpJammedExamples(w1, w2, mx, my, MLP_EXAMPLES, IN, HIDDEN, t1, t2);
  }

  /** The MLP's 16,000 tanh calls alone. */
  @Benchmark
  public double mlpTanhOnly() {
    return JvpShapes.tanhOnly(mx, MLP_EXAMPLES * HIDDEN);
  }

  /** The MLP JVP's dot products alone. */
  @Benchmark
  public double mlpDotsOnly() {
    return JvpShapes.mlpDotsOnly(w1, mx, MLP_EXAMPLES, IN, HIDDEN, t1);
  }
}
