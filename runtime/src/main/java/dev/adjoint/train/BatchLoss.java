package dev.adjoint.train;

/**
 * The training objective on one batch: its loss and gradient with respect to the parameters.
 *
 * <pre>{@code
 * BatchLoss loss = (x, y, n, grads) -> {        // grads: w's rows, then b
 *   ModelGrad.LossAccumulator gradient =
 *       new ModelGrad.LossAccumulator(Arrays.copyOf(grads, w.length), grads[w.length]);
 *   return ModelGrad.loss(w, b, x, Arrays.copyOf(y, n), gradient);   // adds into grads
 * };
 * }</pre>
 */
@FunctionalInterface
public interface BatchLoss {
  /**
   * Computes the mean loss over the batch and <em>adds</em> its gradient into {@code grads}.
   *
   * <p>The trainer zeroes {@code grads} before each call, so an implementation can accumulate
   * per-sample gradients directly. The gradient must be that of the returned value (the mean,
   * not the sum), so that learning rates do not depend on the batch size.
   *
   * @param x the batch's inputs, {@code batchSize * sampleSize} floats in use (see {@link
   *     BatchSource})
   * @param y the batch's labels, {@code batchSize} in use
   * @param batchSize the number of samples in this batch; buffers may be longer
   * @param grads one zeroed array per parameter array, same lengths, to add the gradient into
   * @return the mean loss over the batch's samples
   */
  double lossAndGradient(float[] x, int[] y, int batchSize, float[][] grads);
}
