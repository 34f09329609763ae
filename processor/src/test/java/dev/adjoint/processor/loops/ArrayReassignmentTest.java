package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.Scratch;
import dev.adjoint.Tape;
import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Array variables given new arrays, and arrays allocated in loops: the layer loop of a network
 * ({@code h = relu(dense(h, w[l], b[l]))}), a new array per iteration ({@code h = new float[n]},
 * {@code double[] path = new double[steps + 1]} per Monte Carlo path), whole-array aliases
 * ({@code float[] h = x}), each checked against finite differences with the optimising analyses
 * on and off.
 */
class ArrayReassignmentTest {
  private static Compiled c;
  private static Compiled unoptimised;
  private static final String P = "p.Layers";

  private static void check(String method, Object... args) {
    ArrayGradientCheck.check(c, P, method, args);
    ArrayGradientCheck.check(unoptimised, P, method, args);
  }

  @BeforeAll
  static void compile() {
    javax.tools.JavaFileObject programs = Compiled.source(P,
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;",
        "final class Layers {",
        "  @Differentiable static float[] dense(float[] h, float[] w, float[] b, int in, int out) {",
        "    float[] z = new float[out];",
        "    for (int j = 0; j < out; j++) {",
        "      float s = b[j];",
        "      for (int k = 0; k < in; k++) { s += h[k] * w[k * out + j]; }",
        "      z[j] = s;",
        "    }",
        "    return z;",
        "  }",
        "  @Differentiable static float[] tanh(float[] z) {",
        "    float[] r = new float[z.length];",
        "    for (int i = 0; i < z.length; i++) { r[i] = (float) Math.tanh(z[i]); }",
        "    return r;",
        "  }",
        "  @Differentiable static float layerLoop(float[][] w, float[][] b, @NoDerivative float[] x,",
        "      int[] widths) {",
        "    float[] h = x;",
        "    for (int l = 0; l < w.length; l++)",
        "      h = tanh(dense(h, w[l], b[l], widths[l], widths[l + 1]));",
        "    float s = 0;",
        "    for (int i = 0; i < h.length; i++) { s += h[i] * h[i]; }",
        "    return s;",
        "  }",
        "  /** The input is differentiated too, and the loop is a while. */",
        "  @Differentiable static float inputToo(float[][] w, float[][] b, float[] x, int[] widths) {",
        "    float[] h = x;",
        "    int l = 0;",
        "    while (l < w.length) {",
        "      float[] z = dense(h, w[l], b[l], widths[l], widths[l + 1]);",
        "      h = tanh(z);",
        "      l++;",
        "    }",
        "    return h[0] * h[h.length - 1];",
        "  }",
        "  /** A new array per iteration, filled, then named by the loop-carried variable. */",
        "  @Differentiable static double perIteration(double[] x, int steps) {",
        "    double[] h = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) { h[i] = x[i]; }",
        "    for (int t = 0; t < steps; t++) {",
        "      double[] next = new double[h.length];",
        "      for (int i = 0; i < h.length; i++) {",
        "        next[i] = Math.sin(h[i]) * x[(i + t) % x.length] + h[(i + 1) % h.length];",
        "      }",
        "      h = next;",
        "    }",
        "    double s = 0;",
        "    for (int i = 0; i < h.length; i++) { s += h[i] * h[i]; }",
        "    return s;",
        "  }",
        "  /** h = new float[n] per iteration, written in place. */",
        "  @Differentiable static float newEachStep(float[] x, int steps) {",
        "    float[] h = x;",
        "    float s = 0;",
        "    for (int t = 0; t < steps; t++) {",
        "      float[] g = h;",
        "      h = new float[g.length + 1];",
        "      for (int i = 0; i < g.length; i++) { h[i] = g[i] * g[i] * 0.5f; }",
        "      h[g.length] = (float) Math.exp(-g[0]);",
        "      s += h[t];",
        "    }",
        "    return s + h[h.length - 1];",
        "  }",
        "  /** A path per Monte Carlo sample, allocated inside the loop over samples. */",
        "  @Differentiable static double asian(double s0, double drift, double vol,",
        "      @NoDerivative double[][] z, int steps) {",
        "    double sum = 0;",
        "    for (int p = 0; p < z.length; p++) {",
        "      double[] path = new double[steps + 1];",
        "      path[0] = s0;",
        "      for (int k = 0; k < steps; k++) {",
        "        path[k + 1] = path[k] * Math.exp(drift + vol * z[p][k]);",
        "      }",
        "      double average = 0;",
        "      for (int k = 1; k <= steps; k++) { average += path[k]; }",
        "      average /= steps;",
        "      sum += Math.max(average - s0 * 0.9, 0);",
        "    }",
        "    return sum / z.length;",
        "  }",
        "  /** An array parameter reassigned: the gradient is still with respect to its entry value. */",
        "  @Differentiable static float parameterReassigned(float[] x, float[][] w, float[][] b,",
        "      int[] widths) {",
        "    for (int l = 0; l < w.length; l++) { x = tanh(dense(x, w[l], b[l], widths[l], widths[l + 1])); }",
        "    return x[0] * 2 + x[x.length - 1];",
        "  }",
        "  /** Arrays returned from a layer loop. */",
        "  @Differentiable static float[] forward(float[][] w, float[][] b, float[] x, int[] widths) {",
        "    float[] h = x;",
        "    for (int l = 0; l < w.length; l++) {",
        "      h = dense(h, w[l], b[l], widths[l], widths[l + 1]);",
        "      if (l < w.length - 1) { h = tanh(h); }",
        "    }",
        "    return h;",
        "  }",
        "  /** Arrays allocated in branches after which the method goes on. */",
        "  @Differentiable static double branchArray(double[] x, double t) {",
        "    double s = 0;",
        "    if (t > 0) {",
        "      double[] a = new double[x.length];",
        "      for (int i = 0; i < x.length; i++) { a[i] = Math.sin(x[i]) * t; }",
        "      for (int i = 0; i < x.length; i++) { s += a[i] * a[i]; }",
        "    } else {",
        "      double[] a = {t * t, x[0]};",
        "      s = a[0] * a[1];",
        "    }",
        "    return s * t + x[1];",
        "  }",
        "  /** Some layers skipped: a new array in one branch, a call's result in the other. */",
        "  @Differentiable static float skipLayers(float[][] w, float[][] b, float[] x, int n,",
        "      boolean[] skip) {",
        "    float[] h = x;",
        "    for (int l = 0; l < w.length; l++) {",
        "      if (skip[l]) {",
        "        float[] g = new float[n];",
        "        for (int i = 0; i < n; i++) { g[i] = h[i] * h[i] * 0.5f; }",
        "        h = g;",
        "      } else {",
        "        h = tanh(dense(h, w[l], b[l], n, n));",
        "      }",
        "    }",
        "    return h[0] + h[n - 1] * 2;",
        "  }",
        "  /** A for-each over an array its body replaces iterates over the first array, as in Java. */",
        "  @Differentiable static double forEachReplaced(double[] x, double c) {",
        "    double[] h = x;",
        "    double s = 0;",
        "    for (double v : h) {",
        "      s += v * c + h[0] * h[h.length - 1];",
        "      h = new double[h.length + 1];",
        "      h[0] = s * s;",
        "      h[h.length - 1] = c;",
        "    }",
        "    return s + h[0] * h.length;",
        "  }",
        "  /** The array a loop fills last, returned (with the analyses off its writes are undone). */",
        "  @Differentiable static float[] filledLast(float[][] w, float[] x, int n) {",
        "    float[] h = x;",
        "    for (int l = 0; l < w.length; l++) {",
        "      float[] z = new float[n];",
        "      for (int j = 0; j < n; j++) { z[j] = h[j] * w[l][j]; }",
        "      h = z;",
        "    }",
        "    return h;",
        "  }",
        "  /** The same through a local declared as the array. */",
        "  @Differentiable static float[] namedLast(float[] x, int n) {",
        "    float[] z = new float[n];",
        "    for (int j = 0; j < n; j++) { z[j] = x[j] * x[j]; }",
        "    for (int j = 0; j < n; j++) { z[j] = z[j] * x[j]; }",
        "    float[] h = z;",
        "    return h;",
        "  }",
        "}");
    c = Compiled.of(programs);
    unoptimised = Compiled.of(java.util.List.of("-Aadjoint.analyses=off"), programs);
  }

  private static float[] floats(int n, long seed) {
    Random r = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return a;
  }

  private static int[] widths = {3, 4, 2, 3};

  private static float[][] weights(long seed) {
    float[][] w = new float[widths.length - 1][];
    for (int l = 0; l < w.length; l++) {
      w[l] = floats(widths[l] * widths[l + 1], seed + l);
    }
    return w;
  }

  private static float[][] biases(long seed) {
    float[][] b = new float[widths.length - 1][];
    for (int l = 0; l < b.length; l++) {
      b[l] = floats(widths[l + 1], seed + 10 + l);
    }
    return b;
  }

  @Test
  void layerLoopOverRaggedWeights() {
    for (long s = 0; s < 3; s++) {
      check("layerLoop", weights(s), biases(s), floats(3, s + 20), widths);
      check("inputToo", weights(s), biases(s), floats(3, s + 20), widths);
      check("parameterReassigned", floats(3, s + 20), weights(s), biases(s), widths);
      check("forward", weights(s), biases(s), floats(3, s + 20), widths);
    }
    // No layer at all: the input is the output.
    check("inputToo", new float[0][], new float[0][], floats(3, 5), new int[] {3});
  }

  @Test
  void anArrayReturnedKeepsTheValuesTheLoopWroteLast() {
    // (the reverse sweep of the unoptimised gradient puts back the elements' old values)
    check("filledLast", weights(3), floats(3, 30), 3);
    check("namedLast", floats(3, 31), 3);
  }

  @Test
  void newArrayPerIteration() {
    check("perIteration", new double[] {0.3, -0.7, 1.1, 0.4}, 3);
    check("perIteration", new double[] {0.3, -0.7}, 0);
    check("newEachStep", new float[] {0.3f, -0.7f, 0.5f}, 4);
  }

  @Test
  void arraysAllocatedInBranches() {
    check("branchArray", new double[] {0.3, -0.7, 1.1}, 0.8);
    check("branchArray", new double[] {0.3, -0.7, 1.1}, -0.6);
    float[][] w = new float[4][];
    float[][] b = new float[4][];
    for (int l = 0; l < 4; l++) {
      w[l] = floats(9, 30 + l);
      b[l] = floats(3, 40 + l);
    }
    check("skipLayers", w, b, floats(3, 50), 3, new boolean[] {false, true, false, true});
    check("skipLayers", w, b, floats(3, 51), 3, new boolean[] {true, true, false, false});
  }

  @Test
  void forEachOverAnArrayItsBodyReplaces() {
    check("forEachReplaced", new double[] {0.3, -0.7, 1.1}, 0.8);
    // The loop runs over x's three elements, not over the longer arrays h is given.
    double s = 0;
    double[] h = {0.3, -0.7, 1.1};
    for (double v : new double[] {0.3, -0.7, 1.1}) {
      s += v * 0.8 + h[0] * h[h.length - 1];
      h = new double[h.length + 1];
      h[0] = s * s;
      h[h.length - 1] = 0.8;
    }
    assertEquals(s + h[0] * h.length,
        c.value(P, "forEachReplaced", new double[] {0.3, -0.7, 1.1}, 0.8), 1e-12);
  }

  @Test
  void pathAllocatedPerSample() {
    Random r = new Random(7);
    double[][] z = new double[40][8];
    for (double[] row : z) {
      for (int k = 0; k < row.length; k++) {
        row[k] = r.nextGaussian();
      }
    }
    check("asian", 100.0, 0.001, 0.02, z, 8);
  }

  @Test
  void balancedTapeAndScratch() {
    int tape = Tape.get().size();
    try (Scratch s = Scratch.open()) {
      int inUse = s.inUse();
      c.invoke(P + "Grad", "layerLoop", weights(1), biases(1), floats(3, 2), widths);
      c.invoke(P + "Grad", "perIteration", new double[] {0.3, -0.7, 1.1}, 5);
      assertEquals(inUse, s.inUse());
    }
    assertEquals(tape, Tape.get().size());
  }
}
