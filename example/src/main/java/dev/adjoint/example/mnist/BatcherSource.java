package dev.adjoint.example.mnist;

import dev.adjoint.data.Batcher;
import dev.adjoint.data.Dataset;
import dev.adjoint.train.BatchSource;

/** Adapts the data library's shuffling {@link Batcher} to the trainer's {@link BatchSource}. */
final class BatcherSource implements BatchSource {
  private final Batcher batcher;
  private final int sampleSize;
  private final StopGate gate;

  BatcherSource(Dataset data, int batchSize, long seed) {
    this(data, batchSize, seed, null);
  }

  /** A source that passes {@code gate} (if not null) before each batch. */
  BatcherSource(Dataset data, int batchSize, long seed, StopGate gate) {
    this.batcher = new Batcher(data, batchSize, seed);
    this.sampleSize = data.featuresPerExample();
    this.gate = gate;
  }

  @Override
  public int batches() {
    return batcher.batchCount();
  }

  @Override
  public int batchSize() {
    return batcher.batchSize();
  }

  @Override
  public int sampleSize() {
    return sampleSize;
  }

  @Override
  public void beginEpoch(int epoch) {
    batcher.startEpoch(epoch);
  }

  @Override
  public int fill(int batch, float[] x, int[] y) {
    if (gate != null) {
      gate.pass();
    }
    int n = batcher.fill(batch);
    System.arraycopy(batcher.features(), 0, x, 0, n * sampleSize);
    System.arraycopy(batcher.labels(), 0, y, 0, n);
    return n;
  }
}
