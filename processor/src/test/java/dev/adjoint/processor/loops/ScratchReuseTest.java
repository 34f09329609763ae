package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.Scratch;
import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.ArrayValues;
import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adjoints of local arrays come from the per-thread {@link Scratch} arena: a gradient that
 * calls another gradient, or itself, while its own buffers are in use still gets the right
 * derivatives (checked against finite differences), threads do not share buffers, and every
 * call, also one that throws, gives back what it took.
 */
class ScratchReuseTest {
  private static final String P = "p.Nested";
  private static Compiled c;

  @BeforeAll
  static void compile() {
    c = Compiled.of(Compiled.source(P,
        "package p;",
        "import dev.adjoint.Differentiable;",
        "final class Nested {",
        // The callee has a local array of the same length as the caller's: a shared buffer
        // would overwrite the caller's adjoint.
        "  @Differentiable static double inner(double[] x, double s) {",
        "    double[] t = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) { t[i] = Math.sin(x[i] * s); }",
        "    double r = 0;",
        "    for (int i = 0; i < x.length; i++) { r += t[i] * t[i] * x[i]; }",
        "    return r;",
        "  }",
        "  @Differentiable static double outer(double[] x, double s) {",
        "    double[] u = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) { u[i] = x[i] * x[i] + s; }",
        "    double a = inner(u, s);",
        "    double b = 0;",
        "    for (int i = 0; i < x.length; i++) { b += u[i] * Math.cos(u[i]); }",
        "    return a * b + inner(x, a);",
        "  }",
        "  @Differentiable static double depth(double[] x, int n) {",
        "    double[] t = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) { t[i] = Math.sin(x[i]) * (n + 1); }",
        "    if (n == 0) { return t[0] * t[x.length - 1]; }",
        "    return depth(t, n - 1) + t[0] * t[0];",
        "  }",
        "  @Differentiable static float rows(float[][] w, float[] x) {",
        "    float[][] h = {{w[0][0] * x[0], w[0][1] * x[1]}, {w[1][0] * x[0]}};",
        "    float[] g = new float[x.length];",
        "    float s = 0;",
        "    for (int i = 0; i < h.length; i++) {",
        "      for (int j = 0; j < h[i].length; j++) { s += (float) Math.tanh(h[i][j]); }",
        "    }",
        "    for (int i = 0; i < x.length; i++) { g[i] = x[i] * s; }",
        "    for (int i = 0; i < x.length; i++) { s += g[i] * g[i]; }",
        "    return s;",
        "  }",
        // The reverse sweep leaves out the resets of dZ's and dH's elements (golden LocalArrays)
        "  @Differentiable static double layer(double[] w, double[] x, int batch) {",
        "    double[] z = new double[batch * 4];",
        "    for (int n = 0; n < batch; n++) {",
        "      for (int j = 0; j < 4; j++) { z[n * 4 + j] = w[j]; }",
        "      for (int j = 0; j < 4; j++) { z[n * 4 + j] += w[4 + j] * x[n]; }",
        "    }",
        "    double[][] h = new double[batch][4];",
        "    double s = 0;",
        "    for (int n = 0; n < batch; n++) {",
        "      for (int j = 0; j < 4; j++) {",
        "        h[n][j] = Math.tanh(z[n * 4 + j]);",
        "        s += h[n][j] * x[n];",
        "      }",
        "    }",
        "    return s;",
        "  }",
        // t[i] is written twice per step: the reset after the second write must stay
        "  @Differentiable static double twice(double[] x) {",
        "    double[] t = new double[x.length];",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      t[i] = x[i] * 3;",
        "      s += t[i] * x[i];",
        "      t[i] = Math.sin(t[i]);",
        "      s += t[i];",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable static double pick(double[] x, int k) {",
        "    double[] t = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) { t[i] = x[i] * x[i]; }",
        "    return t[k];",
        "  }",
        "}"));
  }

  /** A point in [-0.8, 0.8)^n, where finite differences of these functions are accurate. */
  private static double[] point(int n, long seed) {
    return new Random(seed).doubles(n, -0.8, 0.8).toArray();
  }

  @Test
  void aGradientCallingGradientsGetsTheirDerivativesRight() {
    ArrayGradientCheck.check(c, P, "inner", point(6, 1), 0.7);
    ArrayGradientCheck.check(c, P, "outer", point(6, 2), 0.3);
  }

  @Test
  void aRecursiveGradientGetsItsDerivativesRight() {
    assertTrue(c.generatedSource(P + "Grad").contains("DepthAccumulator"));
    ArrayGradientCheck.check(c, P, "depth", point(5, 3), 3);
  }

  @Test
  void leavingOutOnlyTheDeadResetsKeepsDerivativesRight() {
    assertTrue(c.generatedSource(P + "Grad").contains("double[][] dH = scratch.doublesLike(h);"));
    ArrayGradientCheck.check(c, P, "layer", point(8, 4), point(3, 5), 3);
    ArrayGradientCheck.check(c, P, "twice", point(5, 6));
  }

  @Test
  void raggedAndFloatLocalArraysGetTheirDerivativesRight() {
    float[][] w = {{0.3f, -0.8f}, {1.1f, 0.2f}};
    ArrayGradientCheck.check(c, P, "rows", w, new float[] {0.9f, -0.4f});
  }

  @Test
  void threadsCallingNestedGradientsMatchOneThreadBitForBit() throws Exception {
    int inputs = 16;
    List<double[]> xs = new ArrayList<>();
    for (int k = 0; k < inputs; k++) {
      xs.add(point(8 + k % 3, 10 + k));
    }
    Threads.assertSameOnEveryThread(4, inputs, 25, k -> both(xs.get(k), k),
        ScratchReuseTest::inUse);
  }

  @Test
  void aGradientThatThrowsGivesBackItsBuffers() {
    int before = inUse();
    AssertionError e = assertThrows(AssertionError.class,
        () -> c.invoke(P + "Grad", "pick", new double[] {1, 2}, 5));
    assertEquals(ArrayIndexOutOfBoundsException.class, e.getCause().getClass());
    assertEquals(before, inUse());
    Object ok = c.invoke(P + "Grad", "pick", new double[] {1, 2}, 1);
    assertArrayEquals(new double[] {4, 0, 4}, ArrayValues.components(ok));
  }

  /** The gradients of {@code outer} and {@code depth} at {@code x}, one after the other. */
  private static double[] both(double[] x, int k) {
    double[] a = ArrayValues.components(c.invoke(P + "Grad", "outer", x, 0.1 * k));
    double[] b = ArrayValues.components(c.invoke(P + "Grad", "depth", x, k % 4));
    double[] out = new double[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int inUse() {
    try (Scratch scratch = Scratch.open()) {
      return scratch.inUse();
    }
  }
}
