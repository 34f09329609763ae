package dev.adjoint.bench;

import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Parallelism;
import java.util.SplittableRandom;

/**
 * The dense products of one training step of the 784-256-128-10 MNIST network at batch 64 (the
 * three forward products, and {@code dW}, {@code dB} and {@code dX} of each layer but the first's
 * {@code dX}), on one thread: a no-argument method for {@link BuildsAb}, which compares two
 * builds of the kernels in one JVM.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/adjoint-bench.jar \
 *     dev.adjoint.bench.BuildsAb BEFORE.jar AFTER.jar dev.adjoint.bench.DenseStep step</pre>
 */
public final class DenseStep {
  private static final int BATCH = 64;
  private static final int[] WIDTHS = {784, 256, 128, 10};

  private final float[][] w = new float[3][];
  private final float[][] b = new float[3][];
  private final float[][] dW = new float[3][];
  private final float[][] dB = new float[3][];
  private final float[][] h = new float[4][];
  private final float[][] dH = new float[4][];

  /** Random weights and inputs; the kernels run on this thread alone. */
  public DenseStep() {
    Parallelism.setThreads(1);
    SplittableRandom rnd = new SplittableRandom(7);
    h[0] = random(rnd, BATCH * WIDTHS[0]);
    for (int l = 0; l < 3; l++) {
      w[l] = random(rnd, WIDTHS[l] * WIDTHS[l + 1]);
      b[l] = random(rnd, WIDTHS[l + 1]);
      dW[l] = new float[w[l].length];
      dB[l] = new float[b[l].length];
      dH[l + 1] = random(rnd, BATCH * WIDTHS[l + 1]);
    }
    dH[1] = new float[BATCH * WIDTHS[1]];
    dH[2] = new float[BATCH * WIDTHS[2]];
  }

  /** One step's products; returns an element so that nothing is dead. */
  public float step() {
    for (int l = 0; l < 3; l++) {
      h[l + 1] = Dense.dense(h[l], w[l], b[l], BATCH, WIDTHS[l], WIDTHS[l + 1]);
    }
    for (int l = 2; l >= 0; l--) {
      Dense.denseBackward(h[l], w[l], b[l], BATCH, WIDTHS[l], WIDTHS[l + 1], dH[l + 1],
          l == 0 ? null : dH[l], dW[l], dB[l]);
    }
    return h[3][0] + dW[0][0];
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return a;
  }
}
