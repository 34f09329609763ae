package dev.adjoint.bench;

/** One batch and one set of weights for the 784-128-10 network, flat and as rows. */
public final class MlpInputs {
  public final float[] w1 = Data.gaussian(Mlp.IN * Mlp.HIDDEN, 0.01, 1);
  public final float[] b1 = Data.gaussian(Mlp.HIDDEN, 0.01, 2);
  public final float[] w2 = Data.gaussian(Mlp.HIDDEN * Mlp.OUT, 0.01, 3);
  public final float[] b2 = Data.gaussian(Mlp.OUT, 0.01, 4);
  public final float[] x = Data.pixels(Mlp.BATCH * Mlp.IN, 5);
  public final int[] labels = Data.labels(Mlp.BATCH, Mlp.OUT, 6);
  public final float[][] w1Rows = Data.rows(w1, Mlp.IN, Mlp.HIDDEN);
  public final float[][] w2Rows = Data.rows(w2, Mlp.HIDDEN, Mlp.OUT);
  public final float[][] xRows = Data.rows(x, Mlp.BATCH, Mlp.IN);
}
