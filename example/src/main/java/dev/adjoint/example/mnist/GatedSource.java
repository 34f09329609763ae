package dev.adjoint.example.mnist;

import dev.adjoint.train.BatchSource;

/**
 * A {@link BatchSource} that passes a {@link StopGate} before each batch, so that Ctrl-C stops
 * training between batches and never in the middle of a step or a checkpoint save.
 */
final class GatedSource implements BatchSource {
  private final BatchSource source;
  private final StopGate gate;

  GatedSource(BatchSource source, StopGate gate) {
    this.source = source;
    this.gate = gate;
  }

  @Override
  public int batches() {
    return source.batches();
  }

  @Override
  public int batchSize() {
    return source.batchSize();
  }

  @Override
  public int sampleSize() {
    return source.sampleSize();
  }

  @Override
  public void beginEpoch(int epoch) {
    source.beginEpoch(epoch);
  }

  @Override
  public int fill(int batch, float[] x, int[] y) {
    gate.pass();
    return source.fill(batch, x, y);
  }
}
