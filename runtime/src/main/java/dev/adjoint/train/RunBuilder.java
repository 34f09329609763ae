package dev.adjoint.train;

import dev.adjoint.optim.LearningRateSchedule;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a training run that do not depend on how its steps are computed: the number of
 * epochs, the learning-rate schedule, the metrics CSV, plot and checkpoint files, resuming, the
 * checkpoints' metadata and the progress display. {@link Trainer.Builder} extends it, and so does
 * the builder of every trainer that runs on the {@link Trainer} (such as the Spark module's), so
 * these options read and behave the same everywhere.
 *
 * @param <B> the builder's own type, returned by every setter
 */
public abstract class RunBuilder<B extends RunBuilder<B>> {
  private LearningRateSchedule schedule;
  private int epochs;
  private Path metricsCsv;
  private Path plot;
  private int plotWidth = MetricsPlot.DEFAULT_WIDTH;
  private int plotHeight = MetricsPlot.DEFAULT_HEIGHT;
  private Path checkpoint;
  private Path resumeFrom;
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private PrintStream out = System.out;
  private ProgressMode mode = ProgressMode.AUTO;

  /** For subclasses: the builders of trainers. */
  protected RunBuilder() {}

  /** This builder, as its own type. */
  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * The learning rate per epoch. Without one, the optimizer's learning rate at {@code build()} is
   * used throughout.
   */
  public B schedule(LearningRateSchedule schedule) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    return self();
  }

  /** The total number of epochs, counting those done before a resume. */
  public B epochs(int epochs) {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be positive, got " + epochs);
    }
    this.epochs = epochs;
    return self();
  }

  /**
   * Appends one row per epoch to this CSV file: {@code epoch, train_loss, test_loss,
   * test_accuracy, learning_rate, seconds, samples_per_second}. A fresh run replaces the file; a
   * resumed run keeps the rows of the epochs already done.
   */
  public B metricsCsv(Path csv) {
    this.metricsCsv = csv;
    return self();
  }

  /**
   * Writes a PNG chart of loss and accuracy per epoch at the end, or when training diverges
   * (see {@link MetricsPlot}). After a resume the chart shows the earlier epochs only if a
   * {@linkplain #metricsCsv metrics CSV} is configured: they are read back from it.
   */
  public B plot(Path png) {
    this.plot = png;
    return self();
  }

  /** {@link #plot(Path)} with a size in pixels (at least 300 by 200). */
  public B plot(Path png, int width, int height) {
    if (width < 300 || height < 200) {
      throw new IllegalArgumentException(
          "the chart needs at least 300x200 pixels, got " + width + "x" + height);
    }
    this.plot = png;
    this.plotWidth = width;
    this.plotHeight = height;
    return self();
  }

  /** Saves a checkpoint to this file, atomically, after every epoch. */
  public B checkpoint(Path file) {
    this.checkpoint = file;
    return self();
  }

  /**
   * Resumes from this checkpoint: loads the parameters (which must have the same shapes),
   * optimizer state and counters, and continues with the next epoch. Null means start afresh.
   */
  public B resumeFrom(Path file) {
    this.resumeFrom = file;
    return self();
  }

  /** Adds an entry to the metadata saved in every checkpoint (model shape, seed...). */
  public B metadata(String key, String value) {
    metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return self();
  }

  /** Where to print progress; {@link System#out} by default. */
  public B output(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
    return self();
  }

  /** How to print progress; {@link ProgressMode#AUTO} by default. */
  public B progress(ProgressMode mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
    return self();
  }

  /**
   * Copies these settings into {@code trainer}, for a builder that runs its training on a {@link
   * Trainer}: the metadata is added after the entries {@code trainer} already has.
   */
  protected final void copySettingsTo(RunBuilder<?> trainer) {
    if (schedule != null) {
      trainer.schedule = schedule;
    }
    trainer.epochs = epochs;
    trainer.metricsCsv = metricsCsv;
    trainer.plot = plot;
    trainer.plotWidth = plotWidth;
    trainer.plotHeight = plotHeight;
    trainer.checkpoint = checkpoint;
    trainer.resumeFrom = resumeFrom;
    trainer.metadata.putAll(metadata);
    trainer.out = out;
    trainer.mode = mode;
  }

  /** Adds the names of the settings that a run needs and that are missing to {@code missing}. */
  protected final void missingSettings(List<String> missing) {
    if (epochs == 0) {
      missing.add("epochs");
    }
  }

  LearningRateSchedule schedule() {
    return schedule;
  }

  int epochs() {
    return epochs;
  }

  Path metricsCsv() {
    return metricsCsv;
  }

  Path plot() {
    return plot;
  }

  int plotWidth() {
    return plotWidth;
  }

  int plotHeight() {
    return plotHeight;
  }

  Path checkpoint() {
    return checkpoint;
  }

  Path resumeFrom() {
    return resumeFrom;
  }

  Map<String, String> metadata() {
    return metadata;
  }

  PrintStream out() {
    return out;
  }

  ProgressMode mode() {
    return mode;
  }
}
