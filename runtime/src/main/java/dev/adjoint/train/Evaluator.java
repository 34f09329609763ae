package dev.adjoint.train;

/**
 * Evaluates the model on one batch of a test set: its mean loss and a predicted class per
 * sample. The {@link Trainer} adds up the batches into {@link Metrics}, counting a sample as
 * correct when its prediction equals its label.
 */
@FunctionalInterface
public interface Evaluator {
  /**
   * Computes the mean loss over the batch and writes each sample's predicted class.
   *
   * @param x the batch's inputs (see {@link BatchSource})
   * @param y the batch's labels, {@code batchSize} in use
   * @param batchSize the number of samples in this batch
   * @param predictions receives the predicted class of sample {@code i} in {@code
   *     predictions[i]}, for {@code i < batchSize}
   * @return the mean loss over the batch's samples
   */
  double lossAndPredictions(float[] x, int[] y, int batchSize, int[] predictions);
}
