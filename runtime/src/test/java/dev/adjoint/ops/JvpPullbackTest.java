package dev.adjoint.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pullbacks of the ops' JVPs, which Hessian-vector products through the ops chain through:
 * at random points, the tangents' buffers get exactly what the op's pullback adds (the same
 * bits), and the arguments' buffers the directional derivative of the op's pullback along the
 * tangents, checked against central finite differences of the pullback. Buffers start non-zero:
 * the forms add into them.
 */
class JvpPullbackTest {
  /** A pullback of an op at given arguments, into the given buffers. */
  @FunctionalInterface
  private interface Pullback {
    void into(float[][] args, float[][] buffers);
  }

  private static final double H = 2e-3;

  @Test
  void activations() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 3; trial++) {
      int n = 7 + trial;
      float[] z = awayFromZero(rnd, n);
      float[] tZ = Fixtures.random(rnd, n);
      float[] seed = Fixtures.random(rnd, n);
      check("tanh", new float[][] {z}, new float[][] {tZ},
          (a, b) -> Activations.tanhBackward(a[0], seed, b[0]),
          (dA, dT) -> Activations.tanhJvpBackward(z, Activations.tanh(z), tZ, seed, dA[0],
              dT[0]), rnd);
      check("sigmoid", new float[][] {z}, new float[][] {tZ},
          (a, b) -> Activations.sigmoidBackward(a[0], seed, b[0]),
          (dA, dT) -> Activations.sigmoidJvpBackward(z, Activations.sigmoid(z), tZ, seed,
              dA[0], dT[0]), rnd);
      check("relu", new float[][] {z}, new float[][] {tZ},
          (a, b) -> Activations.reluBackward(a[0], seed, b[0]),
          (dA, dT) -> Activations.reluJvpBackward(z, Activations.relu(z), tZ, seed, dA[0],
              dT[0]), rnd);
    }
  }

  @Test
  void dense() {
    Random rnd = new Random(12);
    // (narrow and wide outputs take different kernels)
    for (int[] shape : new int[][] {{3, 4, 2}, {2, 5, 40}, {5, 3, 33}}) {
      int batch = shape[0];
      int in = shape[1];
      int out = shape[2];
      float[] x = Fixtures.random(rnd, batch * in);
      float[] w = Fixtures.random(rnd, in * out);
      float[] b = Fixtures.random(rnd, out);
      float[] tX = Fixtures.random(rnd, batch * in);
      float[] tW = Fixtures.random(rnd, in * out);
      float[] tB = Fixtures.random(rnd, out);
      float[] seed = Fixtures.random(rnd, batch * out);
      float[] value = Dense.dense(x, w, b, batch, in, out);
      check("dense", new float[][] {x, w}, new float[][] {tX, tW},
          (a, d) -> Dense.denseBackward(a[0], a[1], b, batch, in, out, seed, d[0], d[1], null),
          (dA, dT) -> Dense.denseJvpBackward(x, w, b, batch, in, out, value, tX, tW, tB, seed,
              dA[0], dA[1], dT[0], dT[1], null), rnd);
      // the bias's tangent gets the pullback's column sums, bit for bit
      float[] dB = Fixtures.random(rnd, out);
      float[] dTB = dB.clone();
      Dense.denseBackward(x, w, b, batch, in, out, seed, null, null, dB);
      Dense.denseJvpBackward(x, w, b, batch, in, out, value, tX, tW, tB, seed, null, null, null,
          null, dTB);
      assertArrayEquals(dB, dTB, "dense: dTB");
    }
  }

  @Test
  void losses() {
    Random rnd = new Random(13);
    for (int trial = 0; trial < 3; trial++) {
      int batch = 2 + trial;
      int classes = 3 + trial;
      float[] logits = Fixtures.random(rnd, batch * classes);
      int[] labels = Fixtures.labels(rnd, batch, classes);
      float[] tLogits = Fixtures.random(rnd, batch * classes);
      float seed = (float) rnd.nextGaussian();
      float ce = Losses.softmaxCrossEntropy(logits, labels, batch, classes);
      check("softmaxCrossEntropy", new float[][] {logits}, new float[][] {tLogits},
          (a, d) -> Losses.softmaxCrossEntropyBackward(a[0], labels, batch, classes, seed,
              d[0]),
          (dA, dT) -> Losses.softmaxCrossEntropyJvpBackward(logits, labels, batch, classes, ce,
              tLogits, seed, dA[0], dT[0]), rnd);

      int n = 5 + trial;
      float[] p = new float[n];
      float[] target = new float[n];
      for (int i = 0; i < n; i++) {
        p[i] = (float) (0.1 + 0.8 * rnd.nextDouble());
        target[i] = (float) rnd.nextDouble();
      }
      float[] tP = Fixtures.random(rnd, n);
      float mse = Losses.meanSquaredError(p, target, n);
      check("meanSquaredError", new float[][] {p}, new float[][] {tP},
          (a, d) -> Losses.meanSquaredErrorBackward(a[0], target, n, seed, d[0]),
          (dA, dT) -> Losses.meanSquaredErrorJvpBackward(p, target, n, mse, tP, seed, dA[0],
              dT[0]), rnd);
      float bce = Losses.binaryCrossEntropy(p, target, n);
      check("binaryCrossEntropy", new float[][] {p}, new float[][] {tP},
          (a, d) -> Losses.binaryCrossEntropyBackward(a[0], target, n, seed, d[0]),
          (dA, dT) -> Losses.binaryCrossEntropyJvpBackward(p, target, n, bce, tP, seed, dA[0],
              dT[0]), rnd);
    }
  }

  /** Null buffers and null tangents are skipped: nothing is added, nothing fails. */
  @Test
  void nullBuffersAndTangents() {
    float[] z = {0.5f, -1.5f};
    float[] seed = {1f, 2f};
    float[] dZ = {3f, 4f};
    Activations.tanhJvpBackward(z, Activations.tanh(z), null, seed, dZ, null);
    Activations.sigmoidJvpBackward(z, Activations.sigmoid(z), null, seed, dZ, null);
    Losses.softmaxCrossEntropyJvpBackward(z, new int[] {1}, 1, 2, 0f, null, 1f, dZ, null);
    assertArrayEquals(new float[] {3f, 4f}, dZ);
  }

  /**
   * {@code form(dA, dT)} adds into {@code dT} exactly what {@code pullback} adds, and into
   * {@code dA} the central difference of {@code pullback} along {@code tangents}.
   */
  private static void check(String op, float[][] args, float[][] tangents, Pullback pullback,
      java.util.function.BiConsumer<float[][], float[][]> form, Random rnd) {
    int k = args.length;
    float[][] dA = new float[k][];
    float[][] dT = new float[k][];
    float[][] start = new float[k][];
    float[][] expectedT = new float[k][];
    for (int i = 0; i < k; i++) {
      start[i] = Fixtures.random(rnd, args[i].length);
      dA[i] = start[i].clone();
      dT[i] = Fixtures.random(rnd, args[i].length);
      expectedT[i] = dT[i].clone();
    }
    pullback.into(args, expectedT);
    form.accept(dA, dT);
    for (int i = 0; i < k; i++) {
      assertArrayEquals(expectedT[i], dT[i], op + ": the tangent's buffer " + i
          + " gets the pullback's bits");
    }
    float[][] plus = new float[k][];
    float[][] minus = new float[k][];
    float[][] gPlus = new float[k][];
    float[][] gMinus = new float[k][];
    for (int i = 0; i < k; i++) {
      plus[i] = axpy(args[i], H, tangents[i]);
      minus[i] = axpy(args[i], -H, tangents[i]);
      gPlus[i] = new float[args[i].length];
      gMinus[i] = new float[args[i].length];
    }
    pullback.into(plus, gPlus);
    pullback.into(minus, gMinus);
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < args[i].length; j++) {
        double fd = ((double) gPlus[i][j] - gMinus[i][j]) / (2 * H);
        double got = (double) dA[i][j] - start[i][j];
        if (!(Math.abs(got - fd) <= 2e-3 + 2e-2 * Math.abs(fd))) {
          throw new AssertionError(op + ": argument " + i + " element " + j + ": " + got
              + " vs finite differences of the pullback " + fd);
        }
      }
    }
  }

  private static float[] axpy(float[] x, double h, float[] t) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) (x[i] + h * t[i]);
    }
    return out;
  }

  /** Normal values at least 0.2 from 0, so that relu's kink is not within a step. */
  private static float[] awayFromZero(Random rnd, int n) {
    float[] z = Fixtures.random(rnd, n);
    for (int i = 0; i < n; i++) {
      z[i] = z[i] + Math.copySign(0.2f, z[i]);
    }
    return z;
  }
}
