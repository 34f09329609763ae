package dev.adjoint.train;

import dev.adjoint.optim.LearningRateSchedule;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Runs the training loop: epochs of batches, evaluation, progress display, metrics CSV, plot and
 * checkpoints.
 *
 * <pre>{@code
 * ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
 * TrainingResult result = Trainer.builder()
 *     .parameters(Parameters.builder().add(w, gradient.w).add(b, gradient.b).build())
 *     .loss((x, y, n) -> ModelGrad.loss(w, b, x, Arrays.copyOf(y, n), gradient))
 *     .optimizer(new Adam(1e-2))
 *     .schedule(LearningRateSchedule.cosine(1e-2, 1e-4, 3))
 *     .epochs(3)
 *     .trainData(new Batcher(digits.train(), 64, 42))  // a Batcher is a BatchSource
 *     .testData(new Batcher(digits.test(), 256, 42), (x, y, n, predictions) -> {
 *       for (int r = 0; r < n; r++) {
 *         predictions[r] = Model.predict(w, b, x, r);
 *       }
 *       return Model.loss(w, b, x, Arrays.copyOf(y, n));
 *     })
 *     .metricsCsv(run.resolve("metrics.csv"))         // folders are created as needed
 *     .checkpoint(run.resolve("model.ckpt"))
 *     .progress(ProgressMode.NONE)
 *     .build()
 *     .fit();
 * }</pre>
 *
 * <p>The parameters are either {@link dev.adjoint.optim.Parameters} (any shape, {@code float} or
 * {@code double}, each paired with its gradient array, as above) with an {@link
 * AccumulatingLoss}, or {@code float} arrays ({@link Builder#parameters(float[]...)}) with a
 * {@link BatchLoss} that adds into gradient arrays the trainer allocates.
 *
 * <p>Each epoch: the learning rate is set from the schedule, the training source is told the
 * epoch ({@link BatchSource#beginEpoch}), and for every batch a {@link GradientStep} zeroes the
 * gradient arrays, the loss adds the batch's gradient into them, and the optimizer updates the
 * parameters in place. Then the test set is evaluated, a summary line is printed, the checkpoint
 * is saved (atomically) and a row is appended to the CSV. The plot is written at the end. The
 * folders of these output files are created when {@link #fit()} starts, if they do not exist.
 *
 * <p><b>Steps computed elsewhere.</b> {@link Builder#steps} replaces the loss and the batches by
 * {@link TrainingSteps} of your own (a gradient computed on a cluster, say); everything else,
 * from the schedule to the checkpoints, stays the trainer's.
 *
 * <p><b>Resuming.</b> With {@link Builder#resumeFrom} the parameters, optimizer state and
 * counters are loaded from the checkpoint and training continues with the next epoch, up to the
 * same total {@link Builder#epochs}. Nothing in the loop depends on anything but those and the
 * epoch number, so if the batch source's order depends only on its seed and the epoch (see {@link
 * BatchSource}) and the loss is deterministic, a run interrupted and resumed ends with exactly the
 * same parameters as one that was not. Typical use: {@code
 * .checkpoint(file).resumeFrom(Files.exists(file) ? file : null)}. Checkpoints hold {@code float}
 * parameters: a run with {@code double} ones cannot save or resume them.
 *
 * <p><b>Divergence.</b> If a batch's loss or gradient is NaN or infinite, training stops with a
 * {@link TrainingDivergedException} naming the epoch and batch, without applying that update.
 *
 * <p>A trainer runs once: {@link #fit()} may be called a single time.
 */
public final class Trainer {
  private final float[][] params;
  private final TrainingSteps steps;
  private final Optimizer optimizer;
  private final LearningRateSchedule schedule;
  private final int epochs;
  private final BatchSource test;
  private final Evaluator evaluator;
  private final Path metricsCsv;
  private final Path plot;
  private final int plotWidth;
  private final int plotHeight;
  private final Path checkpoint;
  private final Path resumeFrom;
  private final Map<String, String> metadata;
  private final ProgressReporter progress;
  private boolean used;

  private Trainer(Builder b) {
    this.params = b.params != null ? b.params : b.parameters.floatValues();
    this.optimizer = b.optimizer;
    this.steps = b.steps != null ? b.steps : b.batchSteps();
    this.schedule = b.schedule() != null
        ? b.schedule()
        : LearningRateSchedule.constant(b.optimizer.learningRate());
    this.epochs = b.epochs();
    this.test = b.test;
    this.evaluator = b.evaluator;
    this.metricsCsv = b.metricsCsv();
    this.plot = b.plot();
    this.plotWidth = b.plotWidth();
    this.plotHeight = b.plotHeight();
    this.checkpoint = b.checkpoint();
    this.resumeFrom = b.resumeFrom();
    this.metadata = new LinkedHashMap<>(b.metadata());
    this.progress = new ProgressReporter(b.out(), b.mode(), b.epochs());
  }

  /** Starts describing a training run. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Trains for the configured number of epochs (or the remaining ones after a resume).
   *
   * @return the per-epoch metrics and the step count
   * @throws TrainingDivergedException if a loss or gradient becomes NaN or infinite
   * @throws CheckpointException if the checkpoint to resume from is damaged
   * @throws IOException if a checkpoint, the metrics CSV or the plot cannot be written
   * @throws IllegalStateException if called a second time, or a batch source breaks its contract
   */
  public TrainingResult fit() throws IOException {
    if (used) {
      throw new IllegalStateException("fit() can run only once per Trainer; build another");
    }
    used = true;
    createParentDirectories(metricsCsv, plot, checkpoint);
    int startEpoch = 0;
    long stepCount = 0;
    if (resumeFrom != null) {
      Checkpoint c = Checkpoint.load(resumeFrom);
      c.copyParametersInto(params);
      if (c.optimizer() != null) {
        optimizer.restore(c.optimizer());
      }
      startEpoch = c.epoch();
      stepCount = c.step();
      progress.info(
          String.format(
              Locale.ROOT,
              "resumed from %s: %d of %d epochs done, %d steps",
              resumeFrom,
              startEpoch,
              epochs,
              stepCount));
    }
    List<EpochMetrics> history = new ArrayList<>();
    if (metricsCsv != null) {
      history.addAll(MetricsCsv.start(metricsCsv, startEpoch));
    }
    Buffers testBuffers = test == null ? null : new Buffers(test);

    for (int epoch = startEpoch; epoch < epochs; epoch++) {
      double rate = schedule.rate(epoch);
      optimizer.setLearningRate(rate);
      int batches = steps.beginEpoch(epoch);
      if (batches < 1) {
        throw new IllegalStateException("TrainingSteps.beginEpoch(" + epoch + ") returned "
            + batches + " steps, expected 1 or more");
      }
      progress.beginEpoch(epoch);
      long start = System.nanoTime();
      double lossSum = 0;
      long samples = 0;
      for (int b = 0; b < batches; b++) {
        StepResult step = steps.step(b);
        if (step.diverged()) {
          progress.abort();
          TrainingDivergedException diverged = new TrainingDivergedException(
              epoch, epochs, b, batches, stepCount, step.divergence());
          try {
            writePlot(history); // the epochs before the failure are still worth a look
          } catch (IOException e) {
            diverged.addSuppressed(e);
          }
          throw diverged;
        }
        stepCount++;
        lossSum += step.loss() * step.samples();
        samples += step.samples();
        progress.batch(b + 1, batches, samples, lossSum / samples);
      }
      double trainSeconds = (System.nanoTime() - start) / 1e9;

      Metrics testMetrics = null;
      if (test != null) {
        progress.evaluating();
        testMetrics = evaluate(test, evaluator, testBuffers);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      EpochMetrics m =
          new EpochMetrics(
              epoch + 1,
              lossSum / samples,
              testMetrics == null ? Double.NaN : testMetrics.loss(),
              testMetrics == null ? Double.NaN : testMetrics.accuracy(),
              rate,
              seconds,
              trainSeconds > 0 ? samples / trainSeconds : Double.NaN);
      history.add(m);
      progress.endEpoch(m);
      // Checkpoint before the CSV row: on resume, rows past the checkpoint's epoch are dropped,
      // so a crash between the two never leaves a row for an epoch that will be redone.
      if (checkpoint != null) {
        new Checkpoint(epoch + 1, stepCount, params, optimizer.state(), metadata).save(checkpoint);
      }
      if (metricsCsv != null) {
        MetricsCsv.append(metricsCsv, m);
      }
    }
    writePlot(history);
    return new TrainingResult(history, stepCount);
  }

  /**
   * Loss and accuracy of a model over every batch of a dataset.
   *
   * @param data the dataset; {@link BatchSource#beginEpoch} is not called
   * @param evaluator the model's loss and predictions per batch
   */
  public static Metrics evaluate(BatchSource data, Evaluator evaluator) {
    return evaluate(data, evaluator, new Buffers(data));
  }

  private static Metrics evaluate(BatchSource data, Evaluator evaluator, Buffers buffers) {
    double lossSum = 0;
    long correct = 0;
    long samples = 0;
    for (int b = 0, batches = data.batches(); b < batches; b++) {
      int n = buffers.fill(b);
      lossSum += n * evaluator.lossAndPredictions(buffers.x, buffers.y, n, buffers.predictions);
      for (int i = 0; i < n; i++) {
        if (buffers.predictions[i] == buffers.y[i]) {
          correct++;
        }
      }
      samples += n;
    }
    return new Metrics(lossSum / samples, (double) correct / samples, samples);
  }

  /** Creates the folders of the output files that do not exist yet, before any training. */
  private static void createParentDirectories(Path... files) throws IOException {
    for (Path file : files) {
      Path parent = file == null ? null : file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    }
  }

  private void writePlot(List<EpochMetrics> history) throws IOException {
    if (plot == null || history.isEmpty()) {
      return;
    }
    MetricsPlot.write(plot, history, plotWidth, plotHeight);
    progress.info("wrote " + plot);
  }

  /** Input, label and prediction buffers sized for one source, reused for all its batches. */
  private static final class Buffers {
    final BatchSource source;
    final float[] x;
    final int[] y;
    final int[] predictions;

    Buffers(BatchSource source) {
      this.source = source;
      int batchSize = source.batchSize();
      int sampleSize = source.sampleSize();
      if (batchSize <= 0 || sampleSize <= 0 || source.batches() <= 0) {
        throw new IllegalArgumentException(
            "a batch source needs batches(), batchSize() and sampleSize() > 0, got "
                + source.batches() + ", " + batchSize + ", " + sampleSize);
      }
      this.x = new float[Math.multiplyExact(batchSize, sampleSize)];
      this.y = new int[batchSize];
      this.predictions = new int[batchSize];
    }

    int fill(int batch) {
      int n = source.fill(batch, x, y);
      if (n < 1 || n > y.length) {
        throw new IllegalStateException(
            "BatchSource.fill(" + batch + ") returned " + n + " samples, expected 1 to "
                + y.length);
      }
      return n;
    }
  }

  /** The steps of the trainer's own loop: one {@link GradientStep} per batch of a source. */
  private static final class BatchSteps implements TrainingSteps {
    private final BatchSource train;
    private final Buffers buffers;
    private final GradientStep update;
    private final DoubleSupplier lossAndGradient;
    private int n;

    BatchSteps(BatchSource train, GradientStep update, BatchLoss loss) {
      this.train = train;
      this.buffers = new Buffers(train);
      this.update = update;
      float[][] grads = update.gradients();
      this.lossAndGradient = () -> loss.lossAndGradient(buffers.x, buffers.y, n, grads);
    }

    BatchSteps(BatchSource train, GradientStep update, AccumulatingLoss loss) {
      this.train = train;
      this.buffers = new Buffers(train);
      this.update = update;
      this.lossAndGradient = () -> loss.lossAndGradient(buffers.x, buffers.y, n);
    }

    @Override
    public int beginEpoch(int epoch) {
      train.beginEpoch(epoch);
      return train.batches();
    }

    @Override
    public StepResult step(int step) {
      n = buffers.fill(step);
      return update.run(n, lossAndGradient);
    }
  }

  /**
   * Collects a training run's configuration. Required: the parameters, the optimizer, the number
   * of epochs, and either a loss with training data or {@link #steps}; everything else is
   * optional (see {@link RunBuilder}).
   */
  public static final class Builder extends RunBuilder<Builder> {
    private float[][] params;
    private Parameters parameters;
    private BatchLoss loss;
    private AccumulatingLoss accumulatingLoss;
    private Optimizer optimizer;
    private BatchSource train;
    private TrainingSteps steps;
    private BatchSource test;
    private Evaluator evaluator;

    private Builder() {}

    /**
     * The parameter arrays, updated in place, for a {@link BatchLoss}: the trainer allocates
     * gradient arrays of the same lengths. The trainer keeps these very arrays: the model's loss
     * and evaluator should read them too.
     */
    public Builder parameters(float[]... params) {
      Objects.requireNonNull(params, "params");
      for (int k = 0; k < params.length; k++) {
        Objects.requireNonNull(params[k], "params[" + k + "]");
      }
      this.params = params.clone();
      this.parameters = null;
      return this;
    }

    /**
     * The parameters, of any shape, {@code float} or {@code double}, each paired with the array
     * its gradient is added into (typically a generated accumulator's buffers), for an {@link
     * AccumulatingLoss}. Updated in place.
     */
    public Builder parameters(Parameters params) {
      this.parameters = Objects.requireNonNull(params, "params");
      this.params = null;
      return this;
    }

    /**
     * The training loss and its gradient per batch, added into the gradient arrays that the
     * trainer allocates for {@link #parameters(float[]...)}.
     */
    public Builder loss(BatchLoss loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
      this.accumulatingLoss = null;
      return this;
    }

    /**
     * The training loss per batch, adding its gradient into the gradient arrays of {@link
     * #parameters(Parameters)}.
     */
    public Builder loss(AccumulatingLoss loss) {
      this.accumulatingLoss = Objects.requireNonNull(loss, "loss");
      this.loss = null;
      return this;
    }

    /** The optimizer, fresh or restored; the trainer sets its learning rate every epoch. */
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /** The training batches. */
    public Builder trainData(BatchSource train) {
      this.train = Objects.requireNonNull(train, "train");
      return this;
    }

    /**
     * Steps computed outside the trainer's own loop, instead of a {@link #loss} and {@link
     * #trainData}: see {@link TrainingSteps}. They update the parameters given to {@link
     * #parameters}, with the optimizer given to {@link #optimizer}, whose learning rate the
     * trainer sets every epoch and whose state the checkpoints hold.
     */
    public Builder steps(TrainingSteps steps) {
      this.steps = Objects.requireNonNull(steps, "steps");
      return this;
    }

    /** The test set, evaluated after every epoch with {@code evaluator}. */
    public Builder testData(BatchSource test, Evaluator evaluator) {
      this.test = Objects.requireNonNull(test, "test");
      this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
      return this;
    }

    /**
     * Checks the configuration and creates the trainer.
     *
     * @throws IllegalStateException if a required part is missing, or parts do not go together
     */
    public Trainer build() {
      List<String> missing = new ArrayList<>();
      if (params == null && parameters == null) {
        missing.add("parameters");
      }
      if (steps == null && loss == null && accumulatingLoss == null) {
        missing.add("loss");
      }
      if (optimizer == null) {
        missing.add("optimizer");
      }
      if (steps == null && train == null) {
        missing.add("trainData");
      }
      missingSettings(missing);
      if (!missing.isEmpty()) {
        throw new IllegalStateException("Trainer.Builder is missing " + String.join(", ", missing));
      }
      if (steps != null && (loss != null || accumulatingLoss != null || train != null)) {
        throw new IllegalStateException(
            "Trainer.Builder has steps(...) and also a loss or trainData: the steps compute the"
                + " updates themselves; give one or the other");
      }
      if (loss != null && parameters != null) {
        throw new IllegalStateException(
            "loss(BatchLoss) adds into gradient arrays that the trainer allocates for"
                + " parameters(float[]...); with parameters(Parameters) give an AccumulatingLoss,"
                + " (x, y, n) -> ..., which adds into the Parameters' gradient arrays");
      }
      if (accumulatingLoss != null && params != null) {
        throw new IllegalStateException(
            "an AccumulatingLoss adds into the gradient arrays of parameters(Parameters);"
                + " with parameters(float[]...) give a BatchLoss, (x, y, n, grads) -> ...");
      }
      if (parameters != null && parameters.doubleValues().length > 0
          && (checkpoint() != null || resumeFrom() != null)) {
        throw new IllegalStateException(
            "checkpoints hold float parameters, and these Parameters have "
                + parameters.doubleValues().length + " double arrays: train without checkpoint"
                + " and resumeFrom, or keep the parameters in float");
      }
      return new Trainer(this);
    }

    /** The trainer's own loop over {@link #trainData}, stepping with the loss. */
    private TrainingSteps batchSteps() {
      if (accumulatingLoss != null) {
        return new BatchSteps(train, new GradientStep(parameters, optimizer), accumulatingLoss);
      }
      return new BatchSteps(train, new GradientStep(params, optimizer), loss);
    }
  }
}
