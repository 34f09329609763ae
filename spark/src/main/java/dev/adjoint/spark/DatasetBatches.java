package dev.adjoint.spark;

import dev.adjoint.data.Dataset;
import dev.adjoint.train.BatchSource;

/** A dataset on the driver in order, in batches: held-out data for the trainer's evaluation. */
final class DatasetBatches implements BatchSource {
  private final Dataset data;
  private final int batch;

  DatasetBatches(Dataset data, int batch) {
    this.data = data;
    this.batch = Math.min(batch, Math.max(1, data.size()));
  }

  @Override
  public int batches() {
    return (data.size() + batch - 1) / batch;
  }

  @Override
  public int batchSize() {
    return batch;
  }

  @Override
  public int sampleSize() {
    return data.featuresPerExample();
  }

  @Override
  public int fill(int b, float[] x, int[] y) {
    int d = data.featuresPerExample();
    int first = b * batch;
    int n = Math.min(batch, data.size() - first);
    System.arraycopy(data.features(), first * d, x, 0, n * d);
    System.arraycopy(data.labels(), first, y, 0, n);
    return n;
  }
}
