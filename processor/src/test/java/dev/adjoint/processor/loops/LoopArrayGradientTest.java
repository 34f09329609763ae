package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loops and arrays, Clad-style: one small function per construct, each checked against finite
 * differences (and its value against the original function).
 */
class LoopArrayGradientTest {
  private static Compiled c;
  /** The same programs compiled with -Aadjoint.analyses=off: gradients must not change. */
  private static Compiled unoptimised;
  private static final String P = "p.Programs";

  /** Checks {@code method} at {@code args} with and without the optimising analyses. */
  private static void check(Compiled ignored, String cls, String method, Object... args) {
    ArrayGradientCheck.check(c, cls, method, args);
    ArrayGradientCheck.check(unoptimised, cls, method, args);
  }

  @BeforeAll
  static void compile() {
    javax.tools.JavaFileObject programs = Compiled.source(P,
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;",
        "final class Programs {",
        "  @Differentiable static double rosenbrock(double[] x) {",
        "    double sum = 0;",
        "    for (int i = 0; i < x.length - 1; i++) {",
        "      double a = x[i + 1] - x[i] * x[i];",
        "      double b = 1 - x[i];",
        "      sum += 100 * a * a + b * b;",
        "    }",
        "    return sum;",
        "  }",
        "  @Differentiable static double power(double x, int n) {",
        "    double p = 1;",
        "    int k = 0;",
        "    while (k < n) { p = p * x; k++; }",
        "    return p;",
        "  }",
        "  @Differentiable static double firstAbove(double[] x, double t) {",
        "    for (int i = 0; i < x.length; i++) {",
        "      if (x[i] * t > 1) return x[i] * x[i] * t;",
        "    }",
        "    return t;",
        "  }",
        "  @Differentiable static double[] scale(double[] x, double s) {",
        "    double[] y = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) { y[i] = x[i] * s; }",
        "    return y;",
        "  }",
        "  @Differentiable static double matvecTanh(double[][] w, double[] x) {",
        "    double total = 0;",
        "    for (double[] row : w) {",
        "      double dot = 0;",
        "      for (int j = 0; j < x.length; j++) { dot += row[j] * x[j]; }",
        "      total += Math.tanh(dot);",
        "    }",
        "    return total;",
        "  }",
        "  @Differentiable static double product(double[] x) {",
        "    double p = 1;",
        "    for (double v : x) { p *= v; }",
        "    return p;",
        "  }",
        "  @Differentiable static double sumUntil(double[] x, double limit) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      s += x[i] * x[i];",
        "      if (s > limit) break;",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double skipNegatives(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      if (x[i] < 0) continue;",
        "      s += Math.sqrt(x[i]) * x[i];",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double nestedOverwrites(double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      double t = x[i];",
        "      for (int j = 0; j < 3; j++) { t = Math.sin(t) * x[j]; }",
        "      s += t * t;",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double localArray(double[] x) {",
        "    double[] h = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) { h[i] = x[i] * x[i]; }",
        "    for (int i = 0; i < x.length; i++) { h[i] = h[i] * h[i] + x[i]; }",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) { s += h[i] * x[i]; }",
        "    return s;",
        "  }",
        "  @Differentiable static double compoundElements(double[] x) {",
        "    double[] h = new double[x.length];",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      h[i] += x[i];",
        "      h[i] *= x[i] + 2;",
        "      h[i] /= 1 + x[i] * x[i];",
        "      h[i] -= Math.exp(x[i]);",
        "      s += h[i] * h[i];",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double matrixLocal(double[] x) {",
        "    double[][] m = new double[2][x.length];",
        "    for (int r = 0; r < 2; r++) {",
        "      for (int j = 0; j < x.length; j++) { m[r][j] = (r + 1) * x[j] * x[j]; }",
        "    }",
        "    double s = 0;",
        "    for (int r = 0; r < 2; r++) {",
        "      for (int j = 0; j < x.length; j++) { s += m[r][j] * m[1 - r][j]; }",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double initializer(double x, double y) {",
        "    double[] v = {x, y, x * y};",
        "    return v[0] * v[1] + v[2] * v[2];",
        "  }",
        "  @Differentiable static double callsArrayFunction(double[] x, double s) {",
        "    double[] y = scale(x, s);",
        "    double t = 0;",
        "    for (int i = 0; i < y.length; i++) { t += y[i] * y[i] * x[i]; }",
        "    return t;",
        "  }",
        "  @Differentiable static double dot(double[] a, double[] b) {",
        "    double s = 0;",
        "    for (int i = 0; i < a.length; i++) { s += a[i] * b[i]; }",
        "    return s;",
        "  }",
        "  @Differentiable static double callsWithArrays(double[] x, double[] w) {",
        "    return dot(x, x) * dot(x, w);",
        "  }",
        "  @Differentiable static double rowsToCall(double[][] w, double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < w.length; i++) { s += Math.exp(dot(w[i], x)); }",
        "    return s;",
        "  }",
        "  @Differentiable static float floatSquares(float[] x) {",
        "    float s = 0;",
        "    for (int i = 0; i < x.length; i++) { s += x[i] * x[i] * 0.5f; }",
        "    return s;",
        "  }",
        "  @Differentiable static float floatMatrix(float[][] w, float[] x) {",
        "    float s = 0;",
        "    for (int i = 0; i < w.length; i++) {",
        "      float z = 0;",
        "      for (int j = 0; j < x.length; j++) { z += w[i][j] * x[j]; }",
        "      s += z > 0 ? z : 0.1f * z;",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double crossEntropy(double[] p, int[] labels) {",
        "    double s = 0;",
        "    for (int i = 0; i < p.length; i++) {",
        "      s -= labels[i] == 1 ? Math.log(p[i]) : Math.log(1 - p[i]);",
        "    }",
        "    return s / p.length;",
        "  }",
        "  @Differentiable static double masked(double[] x, boolean[] mask) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) { s += mask[i] ? x[i] * x[i] : -x[i]; }",
        "    return s;",
        "  }",
        "  @Differentiable static double tripFromEarlierLoop(double[] x) {",
        "    int n = 0;",
        "    for (int i = 0; i < x.length; i++) { if (x[i] > 0) n++; }",
        "    double s = 0;",
        "    for (int i = 0; i < n; i++) { s += x[i] * x[x.length - 1 - i]; }",
        "    return s;",
        "  }",
        "  @Differentiable static double whileWithIndex(double[] x) {",
        "    double s = 0;",
        "    int i = 0;",
        "    while (i < x.length && x[i] < 5) { s += x[i] * x[i] * (i + 1); i++; }",
        "    return s;",
        "  }",
        "  @Differentiable static double stepTwo(double[] x) {",
        "    double s = 0;",
        "    for (int i = 1; i < x.length; i += 2) { s += x[i] * x[i - 1]; }",
        "    return s;",
        "  }",
        "  @Differentiable static double horner(double[] coefficients, double x) {",
        "    double acc = 0;",
        "    for (int i = coefficients.length - 1; i >= 0; i--) { acc = acc * x + coefficients[i]; }",
        "    return acc;",
        "  }",
        "  @Differentiable static double series(double x, int n) {",
        "    double s = 0;",
        "    for (int i = 1; i <= n; i++) { s += Math.pow(x, i) / i; }",
        "    return s;",
        "  }",
        "  @Differentiable static double doWhile(double x, int n) {",
        "    double s = 0;",
        "    int k = 0;",
        "    do { s = s * x + k; k++; } while (k < n);",
        "    return s;",
        "  }",
        "  @Differentiable static double relu(double[] w, double x) {",
        "    double s = 0;",
        "    for (int i = 0; i < w.length; i++) {",
        "      double z = w[i] * x - 0.5;",
        "      if (z > 0) { s += z * z; }",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double conditionChangedInBranch(double[] x, double t) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      if (t > 1) { t = t * 0.5; }",
        "      s += t * x[i];",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double returnFromNested(double[][] w, double limit) {",
        "    double s = 0;",
        "    for (int i = 0; i < w.length; i++) {",
        "      for (int j = 0; j < w[i].length; j++) {",
        "        s += w[i][j] * w[i][j];",
        "        if (s > limit) return s * limit;",
        "      }",
        "    }",
        "    return -s;",
        "  }",
        "  @Differentiable static double maxElement(double[] x) {",
        "    double m = x[0];",
        "    for (int i = 1; i < x.length; i++) { m = Math.max(m, x[i]); }",
        "    return m * m;",
        "  }",
        "  @Differentiable static double noDerivativeArray(double[] x, @NoDerivative double[] target) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) { double d = x[i] - target[i]; s += d * d; }",
        "    return 0.5 * s;",
        "  }",
        "  @Differentiable static double[] softmax(double[] z) {",
        "    double max = z[0];",
        "    for (int i = 1; i < z.length; i++) { max = Math.max(max, z[i]); }",
        "    double[] e = new double[z.length];",
        "    double sum = 0;",
        "    for (int i = 0; i < z.length; i++) { e[i] = Math.exp(z[i] - max); sum += e[i]; }",
        "    for (int i = 0; i < z.length; i++) { e[i] = e[i] / sum; }",
        "    return e;",
        "  }",
        "  @Differentiable static double softmaxLoss(double[] z, int label) {",
        "    double[] p = softmax(z);",
        "    return -Math.log(p[label]);",
        "  }",
        "}");
    c = Compiled.of(programs);
    unoptimised = Compiled.of(java.util.List.of("-Aadjoint.analyses=off"), programs);
  }

  private static double[] random(int n, double lo, double hi, long seed) {
    return new Random(seed).doubles(n, lo, hi).toArray();
  }

  private static double[][] random(int rows, int cols, long seed) {
    Random r = new Random(seed);
    double[][] m = new double[rows][];
    for (int i = 0; i < rows; i++) {
      m[i] = r.doubles(cols, -1, 1).toArray();
    }
    return m;
  }

  @Test
  void rosenbrock() {
    for (long s = 0; s < 3; s++) {
      check(c, P, "rosenbrock", (Object) random(6, -2, 2, s));
    }
    // Known value: the gradient vanishes at the minimum (1, ..., 1).
    assertArrayEquals(new double[] {0, 0, 0}, gradientOf("rosenbrock", new double[] {1, 1, 1}),
        0);
    // At (0, 0): d/dx0 = -2, d/dx1 = 0.
    assertArrayEquals(new double[] {-2, 0}, gradientOf("rosenbrock", new double[] {0, 0}), 0);
  }

  private static double[] gradientOf(String method, double[] x) {
    Object record = c.invoke(P + "Grad", method, (Object) x);
    try {
      var comp = record.getClass().getRecordComponents()[1];
      comp.getAccessor().setAccessible(true);
      return (double[]) comp.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void whileLoopWithDataDependentTripCount() {
    check(c, P, "power", 1.3, 5);
    check(c, P, "power", -0.7, 0);
    double[] g = c.gradient(P, "power", 2.0, 3);
    assertArrayEquals(new double[] {8, 12}, g, 1e-12);
  }

  @Test
  void returnInsideLoop() {
    check(c, P, "firstAbove", new double[] {0.1, 0.2, 3.0, 4.0}, 0.5);
    check(c, P, "firstAbove", new double[] {0.1, 0.2}, 0.5);
  }

  @Test
  void arrayReturningFunctionGivesVectorJacobianProduct() {
    check(c, P, "scale", random(5, -1, 1, 3), 1.7);
    check(c, P, "softmax", (Object) random(4, -2, 2, 4));
  }

  @Test
  void nestedLoopsOverRows() {
    check(c, P, "matvecTanh", random(3, 4, 5), random(4, -1, 1, 6));
    check(c, P, "rowsToCall", random(3, 4, 7), random(4, -1, 1, 8));
  }

  @Test
  void runningProductWithAZero() {
    check(c, P, "product", (Object) new double[] {1.5, 0.0, -2.0, 0.7});
    check(c, P, "product", (Object) random(5, -2, 2, 9));
  }

  @Test
  void breakAndContinue() {
    check(c, P, "sumUntil", random(8, -1, 2, 10), 3.3);
    check(c, P, "skipNegatives", (Object) new double[] {0.5, -1, 2, -0.3, 1.1});
  }

  @Test
  void overwrittenScalarsAndElements() {
    check(c, P, "nestedOverwrites", (Object) random(4, -1, 1, 11));
    check(c, P, "localArray", (Object) random(5, -1, 1, 12));
    check(c, P, "compoundElements", (Object) random(5, -1, 1, 13));
    check(c, P, "matrixLocal", (Object) random(3, -1, 1, 14));
  }

  @Test
  void arrayInitialiser() {
    check(c, P, "initializer", 0.3, -1.2);
  }

  @Test
  void callsBetweenArrayFunctions() {
    check(c, P, "callsArrayFunction", random(4, -1, 1, 15), 0.8);
    check(c, P, "callsWithArrays", random(4, -1, 1, 16), random(4, -1, 1, 17));
    check(c, P, "softmaxLoss", random(5, -1, 1, 18), 2);
  }

  @Test
  void floatArrays() {
    check(c, P, "floatSquares", (Object) new float[] {0.5f, -1.25f, 2f});
    check(c, P, "floatMatrix", new float[][] {{0.5f, -0.3f}, {0.2f, 0.9f}, {-0.7f, -0.1f}},
        new float[] {1.5f, -0.5f});
  }

  @Test
  void integerAndBooleanArraysAreData() {
    check(c, P, "crossEntropy", new double[] {0.2, 0.7, 0.9}, new int[] {0, 1, 1});
    check(c, P, "masked", new double[] {0.2, -0.7, 0.9}, new boolean[] {true, false, true});
    check(c, P, "noDerivativeArray", new double[] {0.2, -0.7}, new double[] {1, 2});
    assertEquals(2, c.componentNames(P, "noDerivativeArray", new double[] {0.2, -0.7},
        new double[] {1, 2}).size());
  }

  @Test
  void tripCountsFromEarlierLoopsAndConditions() {
    check(c, P, "tripFromEarlierLoop", (Object) new double[] {0.5, -1, 2, 0.3, -0.2});
    check(c, P, "whileWithIndex", (Object) new double[] {0.5, 1.5, 2, 7, 0.1});
  }

  @Test
  void countedLoopShapes() {
    check(c, P, "stepTwo", (Object) random(7, -1, 1, 19));
    check(c, P, "horner", random(4, -1, 1, 20), 0.7);
    check(c, P, "series", 0.6, 6);
    check(c, P, "series", 0.6, 0);
    check(c, P, "doWhile", 1.1, 4);
  }

  @Test
  void branchesInsideLoops() {
    check(c, P, "relu", new double[] {0.1, 0.9, -0.4, 1.5}, 1.2);
    check(c, P, "conditionChangedInBranch", random(5, -1, 1, 21), 5.0);
    check(c, P, "returnFromNested", random(3, 3, 22), 1.5);
    check(c, P, "returnFromNested", random(2, 2, 23), 100.0);
    check(c, P, "maxElement", (Object) new double[] {0.3, -1.0, 2.5, 1.0});
  }
}
