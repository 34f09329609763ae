package dev.adjoint.ops;

import static dev.adjoint.ops.Fixtures.assertClose;
import static dev.adjoint.ops.Fixtures.assertGradient;
import static dev.adjoint.ops.Fixtures.dot;
import static dev.adjoint.ops.Fixtures.random;
import static dev.adjoint.ops.Fixtures.withThreads;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DenseTest {
  /** batch, in, out: batch 1, sizes below, at and off the 4-wide k groups and 16-row blocks. */
  private static final int[][] SHAPES = {
    {1, 1, 1}, {1, 5, 3}, {2, 3, 4}, {3, 7, 5}, {5, 13, 17}, {17, 33, 19}, {16, 8, 4}, {37, 101, 23}
  };
  /** Shapes large enough for the default threshold to split them. */
  private static final int[][] LARGE = {{64, 784, 128}, {256, 784, 128}, {33, 517, 67}};

  private record Case(float[] x, float[] w, float[] b, int batch, int in, int out, float[] seed) {
    static Case random(Random rnd, int[] s) {
      return new Case(Fixtures.random(rnd, s[0] * s[1]), Fixtures.random(rnd, s[1] * s[2]),
          Fixtures.random(rnd, s[2]), s[0], s[1], s[2], Fixtures.random(rnd, s[0] * s[2]));
    }

    float[] forward() {
      return Dense.dense(x, w, b, batch, in, out);
    }

    /** dX, dW, dB added into the given buffers. */
    void backward(float[] dX, float[] dW, float[] dB) {
      Dense.denseBackward(x, w, b, batch, in, out, seed, dX, dW, dB);
    }

    float[][] backward() {
      float[][] g = {new float[batch * in], new float[in * out], new float[out]};
      backward(g[0], g[1], g[2]);
      return g;
    }
  }

  @Test
  void forwardMatchesNaiveProduct() {
    Random rnd = new Random(1);
    for (int[] s : SHAPES) {
      checkForward(Case.random(rnd, s));
    }
    withThreads(3, 0, () -> {
      for (int[] s : SHAPES) {
        checkForward(Case.random(rnd, s));
      }
    });
    for (int[] s : LARGE) {
      checkForward(Case.random(rnd, s));
    }
  }

  private static void checkForward(Case c) {
    double[] ref = new double[c.batch * c.out];
    double[] tol = new double[ref.length];
    for (int r = 0; r < c.batch; r++) {
      for (int j = 0; j < c.out; j++) {
        double sum = c.b[j];
        double abs = Math.abs(c.b[j]);
        for (int k = 0; k < c.in; k++) {
          double t = (double) c.x[r * c.in + k] * c.w[k * c.out + j];
          sum += t;
          abs += Math.abs(t);
        }
        ref[r * c.out + j] = sum;
        tol[r * c.out + j] = 1e-6 * abs + 1e-7;
      }
    }
    assertClose("y " + c.batch + "x" + c.in + "x" + c.out, ref, c.forward(), tol);
  }

  @Test
  void backwardMatchesNaiveProducts() {
    Random rnd = new Random(2);
    for (int[] s : SHAPES) {
      checkBackward(Case.random(rnd, s));
    }
    withThreads(2, 0, () -> {
      for (int[] s : SHAPES) {
        checkBackward(Case.random(rnd, s));
      }
    });
    for (int[] s : LARGE) {
      checkBackward(Case.random(rnd, s));
    }
  }

  private static void checkBackward(Case c) {
    int n = c.batch;
    int in = c.in;
    int out = c.out;
    double[] dX = new double[n * in];
    double[] dXTol = new double[dX.length];
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < in; k++) {
        for (int j = 0; j < out; j++) {
          double t = (double) c.seed[r * out + j] * c.w[k * out + j];
          dX[r * in + k] += t;
          dXTol[r * in + k] += 1e-6 * Math.abs(t);
        }
      }
    }
    double[] dW = new double[in * out];
    double[] dWTol = new double[dW.length];
    double[] dB = new double[out];
    double[] dBTol = new double[out];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < out; j++) {
        double s = c.seed[r * out + j];
        dB[j] += s;
        dBTol[j] += 1e-6 * Math.abs(s);
        for (int k = 0; k < in; k++) {
          double t = (double) c.x[r * in + k] * s;
          dW[k * out + j] += t;
          dWTol[k * out + j] += 1e-6 * Math.abs(t);
        }
      }
    }
    float[][] g = c.backward();
    String shape = " " + n + "x" + in + "x" + out;
    assertClose("dX" + shape, dX, g[0], dXTol);
    assertClose("dW" + shape, dW, g[1], dWTol);
    assertClose("dB" + shape, dB, g[2], dBTol);
  }

  @Test
  void pullbackMatchesFiniteDifferences() {
    Random rnd = new Random(3);
    int[][] shapes = {{1, 1, 1}, {1, 4, 3}, {3, 5, 2}, {4, 6, 5}, {2, 9, 7}};
    for (int[] s : shapes) {
      gradCheck(Case.random(rnd, s));
    }
    withThreads(2, 0, () -> gradCheck(Case.random(rnd, new int[] {5, 7, 6})));
  }

  private static void gradCheck(Case c) {
    float[][] g = c.backward();
    String shape = " " + c.batch + "x" + c.in + "x" + c.out;
    assertGradient("dX" + shape,
        v -> dot(c.seed, Dense.dense(v, c.w, c.b, c.batch, c.in, c.out)), c.x, g[0]);
    assertGradient("dW" + shape,
        v -> dot(c.seed, Dense.dense(c.x, v, c.b, c.batch, c.in, c.out)), c.w, g[1]);
    assertGradient("dB" + shape,
        v -> dot(c.seed, Dense.dense(c.x, c.w, v, c.batch, c.in, c.out)), c.b, g[2]);
  }

  @Test
  void pullbackAddsToWhatTheBuffersHold() {
    Random rnd = new Random(4);
    for (int[] s : new int[][] {{3, 7, 5}, {64, 784, 128}}) {
      Case c = Case.random(rnd, s);
      float[][] fresh = c.backward();
      float[][] filled = {random(rnd, fresh[0].length), random(rnd, fresh[1].length),
          random(rnd, fresh[2].length)};
      float[][] before = {filled[0].clone(), filled[1].clone(), filled[2].clone()};
      c.backward(filled[0], filled[1], filled[2]);
      for (int a = 0; a < 3; a++) {
        for (int i = 0; i < fresh[a].length; i++) {
          assertEquals(before[a][i] + fresh[a][i], filled[a][i], 0f, "buffer " + a + "[" + i + "]");
        }
      }
    }
  }

  @Test
  void nullBuffersAreSkipped() {
    Case c = Case.random(new Random(5), new int[] {6, 10, 7});
    float[][] all = c.backward();
    float[] dW = new float[c.in * c.out];
    c.backward(null, dW, null);
    assertArrayEquals(all[1], dW);
    float[] dX = new float[c.batch * c.in];
    float[] dB = new float[c.out];
    c.backward(dX, null, dB);
    assertArrayEquals(all[0], dX);
    assertArrayEquals(all[2], dB);
  }

  @Test
  void resultsAreBitIdenticalAcrossRunsAndThreadCounts() {
    Random rnd = new Random(6);
    for (int[] s : new int[][] {{64, 784, 128}, {37, 101, 23}, {1, 30, 9}}) {
      Case c = Case.random(rnd, s);
      float[][] ref = new float[4][];
      withThreads(1, 0, () -> {
        ref[0] = c.forward();
        float[][] g = c.backward();
        System.arraycopy(g, 0, ref, 1, 3);
      });
      assertArrayEquals(ref[0], c.forward(), "second run, default threads");
      for (int threads : new int[] {1, 2, 3, 4}) {
        withThreads(threads, 0, () -> {
          assertArrayEquals(ref[0], c.forward(), "y, threads " + threads);
          float[][] g = c.backward();
          for (int a = 0; a < 3; a++) {
            assertArrayEquals(ref[a + 1], g[a], "gradient " + a + ", threads " + threads);
          }
        });
      }
    }
  }

  @Test
  void argumentsAreNotModified() {
    Case c = Case.random(new Random(7), new int[] {40, 300, 50});
    Case copy = new Case(c.x.clone(), c.w.clone(), c.b.clone(), c.batch, c.in, c.out,
        c.seed.clone());
    withThreads(2, 0, () -> {
      c.forward();
      c.backward();
    });
    assertArrayEquals(copy.x, c.x);
    assertArrayEquals(copy.w, c.w);
    assertArrayEquals(copy.b, c.b);
    assertArrayEquals(copy.seed, c.seed);
  }

  @Test
  void shapeMismatchesAreRejected() {
    float[] x = new float[6];
    float[] w = new float[12];
    float[] b = new float[4];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dense.dense(x, w, b, 2, 3, 5));
    assertTrue(e.getMessage().contains("w has length 12, expected 15"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Dense.dense(x, w, b, 3, 3, 4));
    assertThrows(IllegalArgumentException.class, () -> Dense.dense(x, w, b, 0, 3, 4));
    assertThrows(IllegalArgumentException.class,
        () -> Dense.denseBackward(x, w, b, 2, 3, 4, new float[8], new float[5], null, null));
    assertThrows(IllegalArgumentException.class,
        () -> Dense.denseBackward(x, w, b, 2, 3, 4, new float[7], null, null, null));
    assertThrows(NullPointerException.class, () -> Dense.dense(null, w, b, 2, 3, 4));
  }
}
