package dev.adjoint.train;

import java.util.Random;

/**
 * An in-memory batch source for tests. With a seed it reshuffles every epoch, the order being a
 * pure function of (seed, epoch) as {@link BatchSource} requires.
 */
final class ArrayBatches implements BatchSource {
  private final float[] x;
  private final int[] y;
  private final int sampleSize;
  private final int batchSize;
  private final Long seed;
  private final int[] order;

  ArrayBatches(float[] x, int[] y, int sampleSize, int batchSize, Long seed) {
    this.x = x;
    this.y = y;
    this.sampleSize = sampleSize;
    this.batchSize = batchSize;
    this.seed = seed;
    this.order = new int[y.length];
    beginEpoch(0);
  }

  @Override
  public int batches() {
    return (y.length + batchSize - 1) / batchSize;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public int sampleSize() {
    return sampleSize;
  }

  @Override
  public void beginEpoch(int epoch) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (seed == null) {
      return;
    }
    Random random = new Random(seed * 1_000_003L + epoch);
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  @Override
  public int fill(int batch, float[] xs, int[] ys) {
    int from = batch * batchSize;
    int n = Math.min(batchSize, y.length - from);
    for (int i = 0; i < n; i++) {
      int s = order[from + i];
      System.arraycopy(x, s * sampleSize, xs, i * sampleSize, sampleSize);
      ys[i] = y[s];
    }
    return n;
  }
}
