package golden;

import dev.adjoint.Differentiable;

/** Assignments, ++ and -- inside expressions and conditions, in Java's left-to-right order. */
final class ExpressionAssignments {
  /** A while loop counting down in its condition: a counted loop, like the for loop. */
  @Differentiable
  static double countDown(double[] x, int n) {
    double s = 0;
    while (n-- > 0) {
      s += x[n] * x[n];
    }
    return s;
  }

  /** Prefix decrement in the condition; the counter is read after the loop. */
  @Differentiable
  static double preDecrement(double[] x, double y) {
    int n = x.length;
    double p = y;
    while (--n >= 0) {
      p = p * 0.5 + x[n] * y;
    }
    return p * n;
  }

  /** Post-increment as an index: x[i++]. */
  @Differentiable
  static double walk(double[] x) {
    int i = 0;
    double s = 0;
    while (i < x.length - 1) {
      s += x[i++] * x[i];
    }
    return s;
  }

  /** Chained assignments: a[j] = b[k] = v and t = u = y. */
  @Differentiable
  static double chains(double x, double y) {
    double[] a = new double[3];
    double[] b = new double[3];
    int j = 1;
    int k = 2;
    a[j] = b[k] = x * y;
    double t;
    double u;
    t = u = y * y;
    return a[1] * b[2] + t * u + x;
  }

  /** A compound assignment whose value is used, and one in a condition. */
  @Differentiable
  static double compounds(double x, double y) {
    double[] a = {x, y, x * y};
    double res = 1;
    for (int i = 0; i < a.length; i++) {
      res += (a[i] *= 5) * res;
    }
    if ((x += x) > 0) {
      res *= x;
    }
    return res;
  }

  /** Left-to-right: the left operand is read before the right one assigns it. */
  @Differentiable
  static double order(double x, double y) {
    double z = x;
    double w = z * (z = y) + z;
    return w + (y = x * 2) * y;
  }

  /** return (++i) * t with a counter, and an assignment in a for loop's condition. */
  @Differentiable
  static double forCondition(double x, int m) {
    double p = x;
    int i = 0;
    for (int k = 0; (p = p * 0.9) > 0.1 && k < m; k += 1) {
      i++;
    }
    return (++i) * p;
  }

  /** A while condition that assigns the differentiated value. */
  @Differentiable
  static double halve(double x) {
    double y = x * x + 2;
    int steps = 0;
    while ((y = y * 0.5) > 1) {
      steps++;
    }
    return y * steps;
  }

  /** Static helpers with int and boolean results need no derivative. */
  @Differentiable
  static double helpers(double[] x, double t, int n) {
    double s = x[bucket(t, x.length)] * t / factorial(n);
    if (positive(t)) {
      s += Index.wrap(n, x.length) * x[Index.wrap(n + 1, x.length)];
    }
    return s;
  }

  /** Copies: clone() and Arrays.copyOf, then sorted in place (an insertion sort). */
  @Differentiable
  static double copies(double[] x, int m) {
    double[] y = x.clone();
    double[] z = java.util.Arrays.copyOf(x, m);
    for (int i = 1; i < y.length; i++) {
      double v = y[i];
      int j = i;
      while (j > 0 && y[j - 1] > v) {
        y[j] = y[j - 1];
        j--;
      }
      y[j] = v;
    }
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += y[i] * (i + 1) + z[Math.min(i, m - 1)] * y[i];
    }
    return s;
  }

  static final double[] WEIGHTS = {0.5, -1.25, 2.0};
  static final double[][] GRID = {{1, 2}, {3, 4}};

  /** static final array tables read as constants. */
  @Differentiable
  static double tables(double[] x, double t) {
    double s = 0;
    for (int i = 0; i < WEIGHTS.length; i++) {
      s += WEIGHTS[i] * x[i % x.length] * t;
    }
    for (double w : WEIGHTS) {
      s += w * t * t;
    }
    return s + GRID[1][0] * t;
  }

  static int factorial(int n) {
    return n <= 1 ? 1 : n * factorial(n - 1);
  }

  static int bucket(double t, int n) {
    return Math.min(n - 1, Math.max(0, (int) Math.floor(t * n)));
  }

  static boolean positive(double t) {
    return t > 0;
  }

  static final class Index {
    static int wrap(int i, int n) {
      return Math.floorMod(i, n);
    }
  }
}
