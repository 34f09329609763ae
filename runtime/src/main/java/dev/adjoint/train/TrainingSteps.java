package dev.adjoint.train;

/**
 * The steps of an epoch, as a {@link Trainer} drives them: for a training step computed
 * elsewhere than in the trainer's own loop (on a cluster, say), while the trainer keeps the
 * epochs, learning-rate schedule, progress, evaluation, NaN detection, checkpoints, metrics and
 * resume. Give it with {@link Trainer.Builder#steps} instead of a loss and a batch source.
 *
 * <p>The trainer calls {@link #beginEpoch} once per epoch, then {@link #step} for {@code 0, 1,
 * ...} up to the count it returned. Each step updates the parameters that the trainer was given,
 * in place (typically with a {@link GradientStep}, which zeroes the gradients, adds the batch's,
 * checks that they are finite and runs the optimizer), or reports a divergence and leaves them as
 * they were. The trainer sets the optimizer's learning rate before each epoch and checkpoints
 * its state after each one; a step that updates the parameters otherwise keeps the optimizer's
 * state current itself.
 *
 * <pre>{@code
 * ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
 * Parameters params = Parameters.builder().add(w, gradient.w).add(b, gradient.b).build();
 * Optimizer optimizer = new Adam(0.05);
 * GradientStep update = new GradientStep(params, optimizer);
 * TrainingSteps fullBatch = new TrainingSteps() {
 *   public int beginEpoch(int epoch) {
 *     return 1;                                    // one step per epoch: the whole set
 *   }
 *
 *   public StepResult step(int step) {
 *     return update.run(train.size(),
 *         () -> ModelGrad.loss(w, b, train.features(), train.labels(), gradient));
 *   }
 * };
 * TrainingResult result = Trainer.builder()
 *     .parameters(params).optimizer(optimizer).steps(fullBatch).epochs(30)
 *     .progress(ProgressMode.NONE)
 *     .build().fit();
 * }</pre>
 *
 * <p>For resume to be exact, a step must depend only on the parameters, the optimizer's state and
 * the epoch and step numbers, as a {@link BatchSource}'s batches do.
 */
public interface TrainingSteps {
  /**
   * Prepares epoch {@code epoch}, counted from 0.
   *
   * @return the number of steps in the epoch, at least 1
   */
  int beginEpoch(int epoch);

  /**
   * Runs step {@code step} of the current epoch: updates the parameters in place, or leaves them
   * as they were and reports why ({@link StepResult#diverged}).
   *
   * @param step the step index, from 0
   */
  StepResult step(int step);
}
