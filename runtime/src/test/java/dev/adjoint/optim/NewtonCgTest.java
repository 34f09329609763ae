package dev.adjoint.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.Hessians;
import org.junit.jupiter.api.Test;

class NewtonCgTest {
  /** Rosenbrock in n dimensions, its gradient and Hessian-vector product by hand. */
  private static double rosenbrock(double[] x, double[] g) {
    java.util.Arrays.fill(g, 0);
    double s = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double c = 1 - x[i];
      s += 100 * a * a + c * c;
      g[i] += -400 * a * x[i] - 2 * c;
      g[i + 1] += 200 * a;
    }
    return s;
  }

  private static void rosenbrockHvp(double[] x, double[] v, double[] out) {
    java.util.Arrays.fill(out, 0);
    for (int i = 0; i + 1 < x.length; i++) {
      double hii = 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
      double hij = -400 * x[i];
      out[i] += hii * v[i] + hij * v[i + 1];
      out[i + 1] += hij * v[i] + 200 * v[i + 1];
    }
  }

  @Test
  void minimisesRosenbrockToItsMinimum() {
    double[] x0 = {-1.2, 1, -1.2, 1, 0.5, -0.3};
    NewtonCg.Result r = NewtonCg.minimize(NewtonCgTest::rosenbrock, NewtonCgTest::rosenbrockHvp,
        x0, 200, 1e-10);
    assertTrue(r.gradientNorm() <= 1e-10, r.toString());
    double[] ones = {1, 1, 1, 1, 1, 1};
    assertArrayEquals(ones, r.x(), 1e-8);
    assertEquals(-1.2, x0[0]); // the start is left alone
    assertTrue(r.iterations() < 100, "iterations " + r.iterations());
  }

  @Test
  void quadraticConvergesInAFewInexactSteps() {
    // f = 1/2 x'Ax - b'x with A = [[4, 1], [1, 3]], b = (1, 2): x* = A^-1 b = (1/11, 7/11)
    NewtonCg.Objective f = (x, g) -> {
      g[0] = 4 * x[0] + x[1] - 1;
      g[1] = x[0] + 3 * x[1] - 2;
      return 0.5 * (4 * x[0] * x[0] + 2 * x[0] * x[1] + 3 * x[1] * x[1]) - x[0] - 2 * x[1];
    };
    NewtonCg.HessianVector h = (x, v, out) -> {
      out[0] = 4 * v[0] + v[1];
      out[1] = v[0] + 3 * v[1];
    };
    NewtonCg.Result r = NewtonCg.minimize(f, h, new double[] {5, -5}, 10, 1e-12);
    assertArrayEquals(new double[] {1.0 / 11, 7.0 / 11}, r.x(), 1e-12);
    // CG stops at a residual of min(0.5, sqrt|g|) |g|: inexact steps, superlinear convergence
    assertTrue(r.iterations() <= 6, r.toString());
  }

  @Test
  void hessianFromProductsIsCheckedForSymmetry() {
    double[] x = {0.3, -0.5, 0.8};
    double[][] h = Hessians.of((p, v) -> {
      double[] out = new double[p.length];
      rosenbrockHvp(p, v, out);
      return out;
    }, x);
    assertEquals(1200 * 0.09 + 200 + 2, h[0][0], 1e-12);
    assertEquals(-400 * 0.3, h[0][1], 1e-12);
    assertEquals(h[0][1], h[1][0]);
    assertEquals(0, h[0][2]);
    assertThrows(IllegalStateException.class,
        () -> Hessians.of((p, v) -> new double[] {v[0] + 2 * v[1], v[1]}, new double[2]));
  }
}
