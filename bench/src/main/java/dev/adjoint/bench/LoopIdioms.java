package dev.adjoint.bench;

import dev.adjoint.Differentiable;

/**
 * The same few functions written in the loop spellings users write, for
 * {@link LoopIdiomBenchmark}: the generated gradient should not depend on the spelling. Each
 * {@code @Differentiable} method has a hand-written gradient with the same work below it (one
 * per function, shared by its spellings); each adds into {@code gradient} and returns the value,
 * as the generated accumulating form does.
 */
public final class LoopIdioms {
  private LoopIdioms() {}

  // --------------------------------------------------------------- Rosenbrock, seven spellings

  /** Extended Rosenbrock, {@code i < n - 1}, body locals (as {@link Rosenbrock#rosenbrock}). */
  @Differentiable
  public static double rosenLessMinusOne(double[] x) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n - 1; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  /** The same, {@code i + 1 < n} (the textbook spelling of issue 9). */
  @Differentiable
  public static double rosenPlusOneLess(double[] x) {
    double sum = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  /** The same, {@code n - 1 > i}. */
  @Differentiable
  public static double rosenGreaterFlipped(double[] x) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; n - 1 > i; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  /** The same, {@code i != n - 1}. */
  @Differentiable
  public static double rosenNotEqual(double[] x) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i != n - 1; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  /** The same, descending: {@code i = n - 2; i >= 0; i--}. */
  @Differentiable
  public static double rosenDescending(double[] x) {
    int n = x.length;
    double sum = 0;
    for (int i = n - 2; i >= 0; i--) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  /** The same as a {@code while} loop whose counter is updated at the end of the body. */
  @Differentiable
  public static double rosenWhile(double[] x) {
    int n = x.length;
    double sum = 0;
    int i = 0;
    while (i < n - 1) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
      i++;
    }
    return sum;
  }

  /** The same, counting down in its condition: {@code while (i-- > 0)}. */
  @Differentiable
  public static double rosenCountDown(double[] x) {
    int i = x.length - 1;
    double sum = 0;
    while (i-- > 0) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  /** The same, {@code i < n - 1}, with the locals written out inline. */
  @Differentiable
  public static double rosenInline(double[] x) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n - 1; i++) {
      sum += 100 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i])
          + (1 - x[i]) * (1 - x[i]);
    }
    return sum;
  }

  /** Hand gradient of every Rosenbrock spelling above. */
  public static double rosenHand(double[] x, double[] gradient) {
    return Rosenbrock.rosenbrockGradient(x, gradient);
  }

  // ------------------------------------------------------------------ step 2: disjoint pairs

  /**
   * The separable Rosenbrock over the pairs {@code (x[i], x[i + 1])} for even {@code i}: step
   * {@code i += 2}.
   */
  @Differentiable
  public static double rosenPairs(double[] x) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n - 1; i += 2) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  /** Hand gradient of {@link #rosenPairs}. */
  public static double rosenPairsHand(double[] x, double[] gradient) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n - 1; i += 2) {
      double xi = x[i];
      double a = x[i + 1] - xi * xi;
      double b = 1 - xi;
      sum += 100 * a * a + b * b;
      gradient[i] += -400 * a * xi - 2 * b;
      gradient[i + 1] += 200 * a;
    }
    return sum;
  }

  // ------------------------------------------------------------- triangular double loops

  /** A pairwise potential {@code sum over j < i of (x[i] - x[j])^4}: inner bound {@code j < i}. */
  @Differentiable
  public static double pairsBelow(double[] x) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double d = x[i] - x[j];
        sum += d * d * d * d;
      }
    }
    return sum;
  }

  /** The same potential over {@code j > i}: inner start {@code j = i + 1}. */
  @Differentiable
  public static double pairsAbove(double[] x) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double d = x[i] - x[j];
        sum += d * d * d * d;
      }
    }
    return sum;
  }

  /** Hand gradient of both pairwise potentials (the potential is symmetric). */
  public static double pairsHand(double[] x, double[] gradient) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double xi = x[i];
      double gi = 0;
      for (int j = 0; j < i; j++) {
        double d = xi - x[j];
        double d2 = d * d;
        sum += d2 * d2;
        double g = 4 * d2 * d;
        gi += g;
        gradient[j] -= g;
      }
      gradient[i] += gi;
    }
    return sum;
  }
}
