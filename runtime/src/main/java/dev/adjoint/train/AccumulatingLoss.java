package dev.adjoint.train;

/**
 * The training objective on one batch, in the shape of a generated accumulating form: it returns
 * the batch's mean loss and <em>adds</em> the gradient into the gradient arrays that the {@link
 * dev.adjoint.optim.Parameters} given to the {@link Trainer} pair with the parameters (typically
 * the buffers of the generated accumulator). The trainer zeroes those arrays before each call;
 * then {@code Trainer.builder().parameters(params).loss(loss)} trains the model.
 *
 * <pre>{@code
 * ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
 * AccumulatingLoss loss = (x, y, n) -> ModelGrad.loss(w, b, x, Arrays.copyOf(y, n), gradient);
 * Parameters params = Parameters.builder().add(w, gradient.w).add(b, gradient.b).build();
 * }</pre>
 */
@FunctionalInterface
public interface AccumulatingLoss {
  /**
   * Computes the mean loss over the batch and adds its gradient into the parameters' gradient
   * arrays.
   *
   * @param x the batch's inputs, {@code batchSize * sampleSize} floats in use (see {@link
   *     BatchSource})
   * @param y the batch's labels, {@code batchSize} in use
   * @param batchSize the number of samples in this batch; buffers may be longer
   * @return the mean loss over the batch's samples
   */
  double lossAndGradient(float[] x, int[] y, int batchSize);
}
