package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The first write of an element of an array the function allocated overwrites the allocation's
 * zero: its reverse puts the zero back and nothing goes on the tape ({@code
 * analysis/FreshElements}). Stores that may overwrite an element already written (a second
 * loop over the array, another index in the same loop, an array allocated outside the loop
 * that refills it) still save, and every gradient matches finite differences with the analyses
 * on and off.
 */
class FreshElementsTest {
  private static final String SOURCE = """
      package p;
      import dev.adjoint.Differentiable;
      class Fresh {
        @Differentiable
        static double path(double s0, double[] z) {
          double[] p = new double[z.length + 1];
          p[0] = s0;
          for (int k = 0; k < z.length; k++) {
            p[k + 1] = p[k] * Math.exp(0.1 * z[k]);
          }
          double r = 0;
          for (int k = 0; k < p.length; k++) {
            r += p[k] * p[k];
          }
          return r;
        }
        @Differentiable
        static double paths(double s0, double[][] z) {
          double sum = 0;
          for (int q = 0; q < z.length; q++) {
            double[] p = new double[z[q].length + 1];
            p[0] = s0;
            for (int k = 0; k < z[q].length; k++) {
              p[k + 1] = p[k] * Math.exp(0.1 * z[q][k]);
              p[k + 1] = p[k + 1] * p[k + 1] / s0;
            }
            sum += p[z[q].length] * p[0];
          }
          return sum;
        }
        @Differentiable
        static double secondPass(double[] x) {
          double[] p = new double[x.length];
          for (int k = 0; k < x.length; k++) {
            p[k] = x[k] * x[k];
          }
          for (int k = 0; k < x.length; k++) {
            p[k] = p[k] * x[k];
          }
          double r = 0;
          for (int k = 0; k < x.length; k++) {
            r += p[k] * p[k];
          }
          return r;
        }
        @Differentiable
        static double otherIndex(double[] x) {
          double[] p = new double[x.length + 1];
          for (int k = 0; k < x.length; k++) {
            p[k + 1] = x[k] * p[k] + x[k];
            p[k] = p[k] * p[k + 1];
          }
          return p[0] + p[x.length] * p[x.length];
        }
        @Differentiable
        static double refilled(double[] x) {
          double[] p = new double[x.length];
          double r = 0;
          for (int q = 0; q < 3; q++) {
            for (int k = 0; k < x.length; k++) {
              p[k] = p[k] * x[k] + x[k];
            }
            r += p[q % x.length] * p[0];
          }
          return r;
        }
        @Differentiable
        static double readFirst(double[] x) {
          double[] p = new double[x.length];
          double r = 0;
          for (int k = 0; k < x.length; k++) {
            r += p[k] * x[k];
            p[k] = x[k] * x[k];
            r += p[k] * p[k];
          }
          return r;
        }
      }
      """;

  private static Compiled on;
  private static Compiled off;

  @BeforeAll
  static void compile() {
    JavaFileObject source = Compiled.source("p.Fresh", SOURCE.split("\n"));
    on = Compiled.of(source);
    off = Compiled.of(List.of("-Aadjoint.analyses=off"), source);
  }

  @ParameterizedTest
  @ValueSource(strings = {"path", "secondPass", "otherIndex", "refilled", "readFirst"})
  void gradientsMatchFiniteDifferences(String method) {
    for (int n : new int[] {1, 2, 5}) {
      Random r = new Random(n * 7L + method.hashCode());
      double[] x = r.doubles(n, 0.5, 1.5).toArray();
      Object[] args = method.equals("path") ? new Object[] {1.2, x} : new Object[] {x};
      ArrayGradientCheck.check(on, "p.Fresh", method, args);
      ArrayGradientCheck.check(off, "p.Fresh", method, args);
    }
  }

  @Test
  void pathsPerIterationMatchFiniteDifferences() {
    Random r = new Random(5);
    double[][] z = new double[4][];
    for (int q = 0; q < z.length; q++) {
      z[q] = r.doubles(q + 1, -1, 1).toArray();
    }
    ArrayGradientCheck.check(on, "p.Fresh", "paths", 1.3, z);
    ArrayGradientCheck.check(off, "p.Fresh", "paths", 1.3, z);
  }

  @Test
  void firstWritesOfAFreshArraySaveNothing() {
    String src = on.generatedSource("p.FreshGrad");
    String path = LoopIdiomsTest.accumulatingForm(src, "path");
    assertFalse(path.contains("pushDouble(p[") || path.contains("Before"), path);
    assertTrue(path.contains("p[k + 1] = 0.0;"), path);
    String paths = LoopIdiomsTest.accumulatingForm(src, "paths");
    // The second store of p[k + 1] rewrites an element: its old value is saved, the first's not.
    assertTrue(paths.contains("pushDouble(p[k + 1])"), paths);
    assertFalse(paths.contains("pushDouble(p[0])"), paths);
    assertTrue(paths.contains("p[0] = 0.0;"), paths);
  }

  @Test
  void writesOverElementsAlreadyWrittenStillSave() {
    String src = on.generatedSource("p.FreshGrad");
    for (String m : new String[] {"secondPass", "otherIndex", "refilled"}) {
      String form = LoopIdiomsTest.accumulatingForm(src, m);
      assertTrue(form.contains("pushDouble(p["), form);
    }
  }
}
