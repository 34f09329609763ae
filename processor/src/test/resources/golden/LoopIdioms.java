package golden;

import dev.adjoint.Differentiable;

/**
 * One function per spelling of a counted loop: each is recognised by what it does, so none of
 * their gradients records anything (no tape). Bodies that only add into a sum reverse in the
 * forward order; the decaying sums {@code s = 0.5 * s + ...} need their reverse loop to count
 * the index back down from the last index taken.
 */
class LoopIdioms {
  @Differentiable
  static double lessThanParameter(double[] x, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s = 0.5 * s + x[i] * x[i];
    }
    return s;
  }

  @Differentiable
  static double lessOrEqual(double[] x) {
    double s = 0;
    for (int i = 0; i <= x.length - 1; i++) {
      s = 0.5 * s + x[i] * x[i];
    }
    return s;
  }

  @Differentiable
  static double rosenbrock(double[] x) {
    double sum = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      sum += 100 * a * a + b * b;
    }
    return sum;
  }

  @Differentiable
  static double indexPlusOne(double[] x) {
    double s = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      s = 0.5 * s + x[i] * x[i + 1];
    }
    return s;
  }

  @Differentiable
  static double boundMinusTwo(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length - 2; i++) {
      double d = x[i] - 2 * x[i + 1] + x[i + 2];
      s = 0.5 * s + d * d;
    }
    return s;
  }

  @Differentiable
  static double boundOnTheLeft(double[] x) {
    double s = 0;
    for (int i = 0; x.length > i; i++) {
      s = 0.5 * s + x[i] * x[i];
    }
    return s;
  }

  @Differentiable
  static double notEqual(double[] x) {
    double s = 0;
    for (int i = 0; i != x.length; i++) {
      s = 0.5 * s + x[i] * x[i];
    }
    return s;
  }

  @Differentiable
  static double stepThree(double[] x) {
    double s = 0;
    for (int i = 1; i < x.length; i += 3) {
      s = 0.5 * s + x[i] * x[i];
    }
    return s;
  }

  @Differentiable
  static double countingDown(double[] x) {
    double s = 0;
    for (int i = x.length - 1; i >= 0; i--) {
      s = 0.5 * s + x[i] * x[i];
    }
    return s;
  }

  @Differentiable
  static double countingDownByTwo(double[] x) {
    double s = 0;
    for (int i = x.length - 1; i > 0; i -= 2) {
      s = 0.5 * s + x[i] * x[i - 1];
    }
    return s;
  }

  @Differentiable
  static double spellings(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; ++i) {
      s = 0.5 * s + x[i];
    }
    for (int i = 0; i < x.length; i = i + 1) {
      s = 0.5 * s + x[i] * x[i];
    }
    for (int i = 0; i < x.length; i = 1 + i) {
      s = 0.5 * s + x[i] * x[i] * x[i];
    }
    return s;
  }

  @Differentiable
  static double lowerTriangle(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < i; j++) {
        s = 0.5 * s + x[i] * x[j];
      }
    }
    return s;
  }

  @Differentiable
  static double upperTriangle(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = i + 1; j < x.length; j++) {
        s += x[i] * x[j] * x[j];
      }
    }
    return s;
  }

  @Differentiable
  static double indexDeclaredBefore(double[] x) {
    double s = 0;
    int i = 0;
    for (; i < x.length; i++) {
      s = 0.5 * s + x[i] * x[i];
    }
    return s * i;
  }

  @Differentiable
  static double whileCounter(double[] x) {
    int i = 0;
    double s = 0;
    while (i < x.length) {
      s = 0.5 * s + x[i] * x[i];
      i++;
    }
    return s;
  }

  @Differentiable
  static double updateInBody(double[] x) {
    double s = 0;
    for (int i = x.length - 1; i >= 0;) {
      s += Math.sin(x[i]);
      i -= 1;
    }
    return s;
  }

  @Differentiable
  static double indexReadBeforeLoop(double[] x) {
    double s = 0;
    int i = 1;
    double first = x[i - 1] * x[i - 1];
    while (i < x.length) {
      s = 0.5 * s + first * x[i];
      i++;
    }
    return s + first;
  }

  @Differentiable
  static double pairPotential(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < i; j++) {
        double d = x[i] - x[j];
        s += d * d * d * d;
      }
    }
    return s;
  }

  @Differentiable
  static double whileSum(double[] x) {
    double s = 0;
    int i = 0;
    while (i + 1 < x.length) {
      double a = x[i + 1] - x[i] * x[i];
      s += a * a;
      i++;
    }
    return s;
  }

  /** {@code x[i++]} twice per iteration: one step of two, the reads at i and i + 1. */
  @Differentiable
  static double postIncrementPairs(double[] x) {
    double s = 0;
    int i = 0;
    while (i + 1 < x.length) {
      double a = x[i++];
      double b = x[i++];
      s = 0.5 * s + a * b;
    }
    return s;
  }

  /** The exit test first in a {@code while (true)}: the loop's condition. */
  @Differentiable
  static double exitTestFirst(double[] x) {
    double s = 0;
    int i = 0;
    while (true) {
      if (i >= x.length) {
        break;
      }
      s = 0.5 * s + x[i] * x[i];
      i++;
    }
    return s;
  }

  /** The same in a {@code for (;;)} stepping its index in the header. */
  @Differentiable
  static double exitTestFirstFor(double[] x) {
    double s = 0;
    for (int i = 0;; i++) {
      if (i >= x.length) {
        break;
      }
      s += x[i] * x[i] * x[i];
    }
    return s;
  }

  /** The exit test last: a do/while, which runs once even when x is empty. */
  @Differentiable
  static double exitTestLast(double[] x) {
    double s = 0;
    int i = 0;
    while (true) {
      double v = i < x.length ? x[i] : 1.5;
      s = 0.5 * s + v * v;
      i++;
      if (i >= x.length) {
        break;
      }
    }
    return s;
  }

  /** The same whose iterations only add into the sum (its reverse runs forwards). */
  @Differentiable
  static double exitTestLastSum(double[] x) {
    double s = 0;
    int i = 0;
    while (true) {
      double v = i < x.length ? x[i] : 1.5;
      s += v * v * v;
      i++;
      if (i >= x.length) {
        break;
      }
    }
    return s;
  }

  /** A do/while counting down. */
  @Differentiable
  static double doWhileDown(double[] x) {
    double s = 0;
    int i = x.length - 1;
    do {
      double v = i >= 0 ? x[i] : 0.5;
      s = 0.5 * s + v * v;
      i--;
    } while (i >= 0);
    return s;
  }
}
