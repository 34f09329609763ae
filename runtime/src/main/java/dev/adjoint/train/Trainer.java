package dev.adjoint.train;

import dev.adjoint.ops.Finite;
import dev.adjoint.ops.Parallelism;
import dev.adjoint.optim.LearningRateSchedule;
import dev.adjoint.optim.Optimizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Runs the training loop: epochs of batches, evaluation, progress display, metrics CSV, plot and
 * checkpoints.
 *
 * <pre>{@code
 * float[][] params = Arrays.copyOf(w, w.length + 1);   // w's rows, then b
 * params[w.length] = b;
 * TrainingResult result = Trainer.builder()
 *     .parameters(params)
 *     .loss((x, y, n, grads) -> ModelGrad.loss(w, b, x, Arrays.copyOf(y, n),
 *         new ModelGrad.LossAccumulator(Arrays.copyOf(grads, w.length), grads[w.length])))
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
 * <p>Each epoch: the learning rate is set from the schedule, the training source is told the
 * epoch ({@link BatchSource#beginEpoch}), and for every batch the gradient arrays are zeroed, the
 * {@link BatchLoss} fills them, and the optimizer updates the parameters in place. Then the test
 * set is evaluated, a summary line is printed, the checkpoint is saved (atomically) and a row is
 * appended to the CSV. The plot is written at the end. The folders of these output files are
 * created when {@link #fit()} starts, if they do not exist.
 *
 * <p><b>Resuming.</b> With {@link Builder#resumeFrom} the parameters, optimizer state and
 * counters are loaded from the checkpoint and training continues with the next epoch, up to the
 * same total {@link Builder#epochs}. Nothing in the loop depends on anything but those and the
 * epoch number, so if the batch source's order depends only on its seed and the epoch (see {@link
 * BatchSource}) and the loss is deterministic, a run interrupted and resumed ends with exactly the
 * same parameters as one that was not. Typical use: {@code
 * .checkpoint(file).resumeFrom(Files.exists(file) ? file : null)}.
 *
 * <p><b>Divergence.</b> If a batch's loss or gradient is NaN or infinite, training stops with a
 * {@link TrainingDivergedException} naming the epoch and batch, without applying that update.
 *
 * <p>A trainer runs once: {@link #fit()} may be called a single time.
 */
public final class Trainer {
  private final float[][] params;
  private final BatchLoss loss;
  private final Optimizer optimizer;
  private final LearningRateSchedule schedule;
  private final int epochs;
  private final BatchSource train;
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
    this.params = b.params;
    this.loss = b.loss;
    this.optimizer = b.optimizer;
    this.schedule =
        b.schedule != null ? b.schedule : LearningRateSchedule.constant(b.optimizer.learningRate());
    this.epochs = b.epochs;
    this.train = b.train;
    this.test = b.test;
    this.evaluator = b.evaluator;
    this.metricsCsv = b.metricsCsv;
    this.plot = b.plot;
    this.plotWidth = b.plotWidth;
    this.plotHeight = b.plotHeight;
    this.checkpoint = b.checkpoint;
    this.resumeFrom = b.resumeFrom;
    this.metadata = new LinkedHashMap<>(b.metadata);
    this.progress = new ProgressReporter(b.out, b.mode, b.epochs);
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
    long steps = 0;
    if (resumeFrom != null) {
      Checkpoint c = Checkpoint.load(resumeFrom);
      c.copyParametersInto(params);
      if (c.optimizer() != null) {
        optimizer.restore(c.optimizer());
      }
      startEpoch = c.epoch();
      steps = c.step();
      progress.info(
          String.format(
              Locale.ROOT,
              "resumed from %s: %d of %d epochs done, %d steps",
              resumeFrom,
              startEpoch,
              epochs,
              steps));
    }
    List<EpochMetrics> history = new ArrayList<>();
    if (metricsCsv != null) {
      history.addAll(MetricsCsv.start(metricsCsv, startEpoch));
    }

    float[][] grads = new float[params.length][];
    for (int k = 0; k < params.length; k++) {
      grads[k] = new float[params[k].length];
    }
    Buffers trainBuffers = new Buffers(train);
    Buffers testBuffers = test == null ? null : new Buffers(test);

    for (int epoch = startEpoch; epoch < epochs; epoch++) {
      double rate = schedule.rate(epoch);
      optimizer.setLearningRate(rate);
      train.beginEpoch(epoch);
      progress.beginEpoch(epoch);
      long start = System.nanoTime();
      int batches = train.batches();
      double lossSum = 0;
      long samples = 0;
      for (int b = 0; b < batches; b++) {
        int n = trainBuffers.fill(b);
        for (float[] g : grads) {
          // Split as the optimizer splits its update: each thread zeroes lines it has cached.
          Parallelism.forRange(g.length, (from, to) -> Arrays.fill(g, from, to, 0f));
        }
        double batchLoss = loss.lossAndGradient(trainBuffers.x, trainBuffers.y, n, grads);
        String problem = nonFinite(batchLoss, grads);
        if (problem != null) {
          progress.abort();
          TrainingDivergedException diverged =
              new TrainingDivergedException(epoch, epochs, b, batches, steps, problem);
          try {
            writePlot(history); // the epochs before the failure are still worth a look
          } catch (IOException e) {
            diverged.addSuppressed(e);
          }
          throw diverged;
        }
        optimizer.step(params, grads);
        steps++;
        lossSum += batchLoss * n;
        samples += n;
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
        new Checkpoint(epoch + 1, steps, params, optimizer.state(), metadata).save(checkpoint);
      }
      if (metricsCsv != null) {
        MetricsCsv.append(metricsCsv, m);
      }
    }
    writePlot(history);
    return new TrainingResult(history, steps);
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

  /** Describes what is not finite, or returns null if the loss and all gradients are. */
  private static String nonFinite(double batchLoss, float[][] grads) {
    if (!Double.isFinite(batchLoss)) {
      return "loss is " + batchLoss;
    }
    for (int k = 0; k < grads.length; k++) {
      float[] g = grads[k];
      int i = Finite.firstNonFinite(g);
      if (i >= 0) {
        return "gradient of parameter " + k + " is " + g[i] + " at index " + i
            + " (loss " + batchLoss + ")";
      }
    }
    return null;
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

  /**
   * Collects a training run's configuration. Parameters, loss, optimizer, training data and the
   * number of epochs are required; everything else is optional.
   */
  public static final class Builder {
    private float[][] params;
    private BatchLoss loss;
    private Optimizer optimizer;
    private LearningRateSchedule schedule;
    private int epochs;
    private BatchSource train;
    private BatchSource test;
    private Evaluator evaluator;
    private Path metricsCsv;
    private Path plot;
    private int plotWidth = MetricsPlot.DEFAULT_WIDTH;
    private int plotHeight = MetricsPlot.DEFAULT_HEIGHT;
    private Path checkpoint;
    private Path resumeFrom;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private PrintStream out = System.out;
    private ProgressMode mode = ProgressMode.AUTO;

    private Builder() {}

    /**
     * The parameter arrays, updated in place. The trainer keeps these very arrays: the model's
     * loss and evaluator should read them too.
     */
    public Builder parameters(float[]... params) {
      Objects.requireNonNull(params, "params");
      for (int k = 0; k < params.length; k++) {
        Objects.requireNonNull(params[k], "params[" + k + "]");
      }
      this.params = params.clone();
      return this;
    }

    /** The training loss and its gradient per batch. */
    public Builder loss(BatchLoss loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
      return this;
    }

    /** The optimizer, fresh or restored; the trainer sets its learning rate every epoch. */
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /**
     * The learning rate per epoch. Without one, the optimizer's learning rate at {@link #build()}
     * is used throughout.
     */
    public Builder schedule(LearningRateSchedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /** The total number of epochs, counting those done before a resume. */
    public Builder epochs(int epochs) {
      if (epochs <= 0) {
        throw new IllegalArgumentException("epochs must be positive, got " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /** The training batches. */
    public Builder trainData(BatchSource train) {
      this.train = Objects.requireNonNull(train, "train");
      return this;
    }

    /** The test set, evaluated after every epoch with {@code evaluator}. */
    public Builder testData(BatchSource test, Evaluator evaluator) {
      this.test = Objects.requireNonNull(test, "test");
      this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
      return this;
    }

    /**
     * Appends one row per epoch to this CSV file: {@code epoch, train_loss, test_loss,
     * test_accuracy, learning_rate, seconds, samples_per_second}. A fresh run replaces the file; a
     * resumed run keeps the rows of the epochs already done.
     */
    public Builder metricsCsv(Path csv) {
      this.metricsCsv = csv;
      return this;
    }

    /**
     * Writes a PNG chart of loss and accuracy per epoch at the end, or when training diverges
     * (see {@link MetricsPlot}). After a resume the chart shows the earlier epochs only if a
     * {@linkplain #metricsCsv metrics CSV} is configured: they are read back from it.
     */
    public Builder plot(Path png) {
      this.plot = png;
      return this;
    }

    /** {@link #plot(Path)} with a size in pixels (at least 300 by 200). */
    public Builder plot(Path png, int width, int height) {
      if (width < 300 || height < 200) {
        throw new IllegalArgumentException(
            "the chart needs at least 300x200 pixels, got " + width + "x" + height);
      }
      this.plot = png;
      this.plotWidth = width;
      this.plotHeight = height;
      return this;
    }

    /** Saves a checkpoint to this file, atomically, after every epoch. */
    public Builder checkpoint(Path file) {
      this.checkpoint = file;
      return this;
    }

    /**
     * Resumes from this checkpoint: loads the parameters (which must have the same shapes),
     * optimizer state and counters, and continues with the next epoch. Null means start afresh.
     */
    public Builder resumeFrom(Path file) {
      this.resumeFrom = file;
      return this;
    }

    /** Adds an entry to the metadata saved in every checkpoint (model shape, seed...). */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Where to print progress; {@link System#out} by default. */
    public Builder output(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /** How to print progress; {@link ProgressMode#AUTO} by default. */
    public Builder progress(ProgressMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Checks the configuration and creates the trainer.
     *
     * @throws IllegalStateException if a required part is missing
     */
    public Trainer build() {
      List<String> missing = new ArrayList<>();
      if (params == null) {
        missing.add("parameters");
      }
      if (loss == null) {
        missing.add("loss");
      }
      if (optimizer == null) {
        missing.add("optimizer");
      }
      if (train == null) {
        missing.add("trainData");
      }
      if (epochs == 0) {
        missing.add("epochs");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("Trainer.Builder is missing " + String.join(", ", missing));
      }
      return new Trainer(this);
    }
  }
}
