package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import java.util.Arrays;

/**
 * The Java constructs of issue 16, each beside its plain spelling, for
 * {@link ConstructBenchmark}: {@code xConstruct} and {@code xPlain} compute the same function
 * with the same work, so their generated gradients should cost the same. Several constructs
 * share one plain spelling (the three {@code switch} forms, the two count-down loops, the two
 * copies, the two {@code while (true)} loops).
 */
public final class Constructs {
  private Constructs() {}

  // ---------------------------------- counters stepped in the condition: while (i-- > 0)

  /** Rosenbrock over {@code i = n - 2 .. 0}, counting down in the condition. */
  @Differentiable
  public static double countDownPostConstruct(double[] x) {
    int i = x.length - 1;
    double sum = 0;
    while (i-- > 0) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  /** The same, {@code while (--i >= 0)}. */
  @Differentiable
  public static double countDownPreConstruct(double[] x) {
    int i = x.length - 1;
    double sum = 0;
    while (--i >= 0) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  /** Plain spelling of both count-down loops: {@code for (i = n - 2; i >= 0; i--)}. */
  @Differentiable
  public static double countDownPlain(double[] x) {
    double sum = 0;
    for (int i = x.length - 2; i >= 0; i--) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  // ------------------------------------------------------------------------ x[i++]

  /** Disjoint pairs read with {@code x[i++]} twice per iteration. */
  @Differentiable
  public static double postIncrementIndexConstruct(double[] x) {
    double sum = 0;
    int i = 0;
    while (i + 1 < x.length) {
      double a = x[i++];
      double b = x[i++];
      double d = b - a * a;
      sum += d * d + a * b;
    }
    return sum;
  }

  /** Plain spelling: {@code for (i = 0; i + 1 < n; i += 2)}, reading {@code x[i], x[i + 1]}. */
  @Differentiable
  public static double postIncrementIndexPlain(double[] x) {
    double sum = 0;
    for (int i = 0; i + 1 < x.length; i += 2) {
      double a = x[i];
      double b = x[i + 1];
      double d = b - a * a;
      sum += d * d + a * b;
    }
    return sum;
  }

  // --------------------------------------------------------------------- switch in a loop

  /** Colon form: a fall-through from case 1 into case 2, {@code break}, {@code default}. */
  @Differentiable
  public static double switchColonConstruct(double[] x, int[] kind) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double v = x[i];
      switch (kind[i]) {
        case 0:
          s += v * v;
          break;
        case 1:
          s += 3 * v;
          // falls through
        case 2:
          s += v * v * v;
          break;
        default:
          s -= v;
      }
    }
    return s;
  }

  /** Arrow form of the same switch. */
  @Differentiable
  public static double switchArrowConstruct(double[] x, int[] kind) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double v = x[i];
      switch (kind[i]) {
        case 0 -> s += v * v;
        case 1 -> {
          s += 3 * v;
          s += v * v * v;
        }
        case 2 -> s += v * v * v;
        default -> s -= v;
      }
    }
    return s;
  }

  /** Plain spelling of both switch statements: an if/else chain. */
  @Differentiable
  public static double switchStatementPlain(double[] x, int[] kind) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double v = x[i];
      int k = kind[i];
      if (k == 0) {
        s += v * v;
      } else if (k == 1) {
        s += 3 * v;
        s += v * v * v;
      } else if (k == 2) {
        s += v * v * v;
      } else {
        s -= v;
      }
    }
    return s;
  }

  /** A switch expression giving each element's term. */
  @Differentiable
  public static double switchExpressionConstruct(double[] x, int[] kind) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double v = x[i];
      s += switch (kind[i]) {
        case 0 -> v * v;
        case 1 -> 3 * v + v * v * v;
        case 2 -> v * v * v;
        default -> -v;
      };
    }
    return s;
  }

  /** Plain spelling of the switch expression: an if/else chain assigning a local. */
  @Differentiable
  public static double switchExpressionPlain(double[] x, int[] kind) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double v = x[i];
      int k = kind[i];
      double t;
      if (k == 0) {
        t = v * v;
      } else if (k == 1) {
        t = 3 * v + v * v * v;
      } else if (k == 2) {
        t = v * v * v;
      } else {
        t = -v;
      }
      s += t;
    }
    return s;
  }

  // ------------------------------------------- compound assignment inside an expression

  /** {@code res += (a[i] *= x[i])} on a local array. */
  @Differentiable
  public static double compoundInExpressionConstruct(double[] x) {
    int n = x.length;
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = x[i] * x[i];
    }
    double res = 0;
    for (int i = 0; i < n; i++) {
      res += (a[i] *= x[i]);
    }
    return res;
  }

  /** Plain spelling: the compound assignment and the sum as two statements. */
  @Differentiable
  public static double compoundInExpressionPlain(double[] x) {
    int n = x.length;
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = x[i] * x[i];
    }
    double res = 0;
    for (int i = 0; i < n; i++) {
      a[i] *= x[i];
      res += a[i];
    }
    return res;
  }

  // ------------------------------------------------------- writes to a parameter array

  /** Insertion sort of the parameter in place, then a weighted sum of the sorted values. */
  @Differentiable
  public static double sortInPlaceConstruct(double[] x) {
    for (int i = 1; i < x.length; i++) {
      double key = x[i];
      int j = i - 1;
      while (j >= 0 && x[j] > key) {
        x[j + 1] = x[j];
        j--;
      }
      x[j + 1] = key;
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += (i + 1) * x[i];
    }
    return s;
  }

  /** Plain spelling: the same sort on a local copy made by a loop. */
  @Differentiable
  public static double sortInPlacePlain(double[] x) {
    int n = x.length;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = x[i];
    }
    for (int i = 1; i < n; i++) {
      double key = y[i];
      int j = i - 1;
      while (j >= 0 && y[j] > key) {
        y[j + 1] = y[j];
        j--;
      }
      y[j + 1] = key;
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (i + 1) * y[i];
    }
    return s;
  }

  /** {@code x[i] = f(x[i])} on the parameter, then a sum of neighbouring products. */
  @Differentiable
  public static double mapInPlaceConstruct(double[] x) {
    int n = x.length;
    for (int i = 0; i < n; i++) {
      x[i] = x[i] * (2 - x[i]);
    }
    double s = 0;
    for (int i = 0; i + 1 < n; i++) {
      s += x[i] * x[i + 1];
    }
    return s;
  }

  /** Plain spelling: the same on a local copy made by a loop. */
  @Differentiable
  public static double mapInPlacePlain(double[] x) {
    int n = x.length;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = x[i];
    }
    for (int i = 0; i < n; i++) {
      y[i] = y[i] * (2 - y[i]);
    }
    double s = 0;
    for (int i = 0; i + 1 < n; i++) {
      s += y[i] * y[i + 1];
    }
    return s;
  }

  // ------------------------------------------------------- void helper, out-parameter

  /** One step of a damped map, {@code out[j] = c in[j] (1 - in[j])}, into its out-parameter. */
  @Differentiable
  public static void mapStep(double[] in, double c, double[] out) {
    for (int j = 0; j < out.length; j++) {
      out[j] = c * in[j] * (1 - in[j]);
    }
  }

  /** Rounds of {@link #mapStep} called in a loop, alternating between two local arrays. */
  @Differentiable
  public static double outParameterConstruct(double[] x, double c) {
    int n = x.length;
    double[] h = new double[n];
    double[] g = new double[n];
    for (int k = 0; k < n; k++) {
      h[k] = x[k];
    }
    for (int r = 0; r < 3; r++) {
      mapStep(h, c, g);
      mapStep(g, c, h);
    }
    double s = 0;
    for (int k = 0; k < n; k++) {
      s += h[k];
    }
    return s;
  }

  /** Plain spelling: the helper's body written inline. */
  @Differentiable
  public static double outParameterPlain(double[] x, double c) {
    int n = x.length;
    double[] h = new double[n];
    double[] g = new double[n];
    for (int k = 0; k < n; k++) {
      h[k] = x[k];
    }
    for (int r = 0; r < 3; r++) {
      for (int j = 0; j < n; j++) {
        g[j] = c * h[j] * (1 - h[j]);
      }
      for (int j = 0; j < n; j++) {
        h[j] = c * g[j] * (1 - g[j]);
      }
    }
    double s = 0;
    for (int k = 0; k < n; k++) {
      s += h[k];
    }
    return s;
  }

  // ------------------------------------------------------------------------- copies

  /** {@code x.clone()}, then a recurrence in place on the copy and a sum of squares. */
  @Differentiable
  public static double cloneConstruct(double[] x) {
    double[] y = x.clone();
    for (int i = 1; i < y.length; i++) {
      y[i] += 0.25 * y[i - 1] * y[i - 1];
    }
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += y[i] * y[i];
    }
    return s;
  }

  /** The same with {@code Arrays.copyOf(x, x.length)}. */
  @Differentiable
  public static double copyOfConstruct(double[] x) {
    double[] y = Arrays.copyOf(x, x.length);
    for (int i = 1; i < y.length; i++) {
      y[i] += 0.25 * y[i - 1] * y[i - 1];
    }
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += y[i] * y[i];
    }
    return s;
  }

  /** Plain spelling of both copies: {@code new double[n]} and a copying loop. */
  @Differentiable
  public static double copyPlain(double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i];
    }
    for (int i = 1; i < y.length; i++) {
      y[i] += 0.25 * y[i - 1] * y[i - 1];
    }
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += y[i] * y[i];
    }
    return s;
  }

  // ------------------------------------------------------------- while (true) with break

  /** Rosenbrock as {@code while (true) { ...; i++; if (i >= n - 1) break; }} (n >= 2). */
  @Differentiable
  public static double whileTrueBreakLastConstruct(double[] x) {
    int n = x.length;
    double sum = 0;
    int i = 0;
    while (true) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
      i++;
      if (i >= n - 1) {
        break;
      }
    }
    return sum;
  }

  /** The same, {@code while (true) { if (i >= n - 1) break; ...; i++; }}. */
  @Differentiable
  public static double whileTrueBreakFirstConstruct(double[] x) {
    int n = x.length;
    double sum = 0;
    int i = 0;
    while (true) {
      if (i >= n - 1) {
        break;
      }
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
      i++;
    }
    return sum;
  }

  /** Plain spelling of both: {@code for (i = 0; i < n - 1; i++)}. */
  @Differentiable
  public static double whileTruePlain(double[] x) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n - 1; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }
}
