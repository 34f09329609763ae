package dev.adjoint.spark;

import dev.adjoint.data.Dataset;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.train.GradientStep;
import dev.adjoint.train.RunBuilder;
import dev.adjoint.train.Trainer;
import dev.adjoint.train.TrainingResult;
import dev.adjoint.train.TrainingSteps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains a {@link SparkModel} on data held in Spark, data-parallel, with the runtime's {@link
 * Trainer} on the driver: the same epochs, progress lines, metrics CSV, plot, NaN detection and
 * atomic checkpoints as on one machine, and the same resume.
 *
 * <pre>{@code
 * TrainingResult result = SparkTrainer.builder()
 *     .spark(JavaSparkContext.fromSparkContext(session.sparkContext()))
 *     .data(dataFrame, "features", "label")        // array<float|double> or ML Vector column
 *     .partitions(8)
 *     .model(MlpModel.of(net))
 *     .parameters(params)
 *     .optimizer(Sgd::new, 0.1)
 *     .epochs(10).batchSize(64).seed(1)
 *     .localSgd(8)                                 // or .synchronous(), the default
 *     .testData(heldOut)
 *     .checkpoint(Path.of("run/checkpoint.bin"))
 *     .build()
 *     .fit();
 * }</pre>
 *
 * <p>The training data is cached as one packed {@link Block} per partition (float arrays, not
 * rows). Each epoch has {@code ceil(examples / batch)} global steps; a partition contributes to
 * every step a share of the batch in proportion to its size, drawn from its own shuffled order
 * (see {@link Layout}).
 *
 * <ul>
 *   <li><b>Synchronous</b> ({@link Builder#synchronous()}): each global step broadcasts the
 *       parameters, every partition adds the gradient of its share, {@code treeAggregate} sums
 *       them in a fixed order, and the optimizer steps on the driver. With one partition this is
 *       the single-machine {@code Trainer}'s run bit for bit; with several it is deterministic
 *       run to run.
 *   <li><b>Local SGD</b> ({@link Builder#localSgd(int)}): every partition runs {@code k} optimizer
 *       steps of its own from the broadcast parameters and optimizer state, then parameters and
 *       state are averaged. One Spark job per {@code k} steps instead of per step.
 * </ul>
 *
 * <p>A task that fails is retried by Spark from the same broadcast, on the same examples in the
 * same order, so the result does not change; a driver that dies resumes from its last checkpoint
 * ({@link Builder#resumeFrom}).
 */
public final class SparkTrainer {
  private final Builder b;
  private boolean used;

  private SparkTrainer(Builder b) {
    this.b = b;
  }

  /** Starts describing a run. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Caches the data, trains, and releases the cache (if this trainer made it).
   *
   * @throws IOException if a checkpoint, the CSV or the plot cannot be written
   * @throws dev.adjoint.train.TrainingDivergedException if the loss or gradient stops being finite
   */
  public TrainingResult fit() throws IOException {
    if (used) {
      throw new IllegalStateException("fit() can run only once per SparkTrainer; build another");
    }
    used = true;
    JavaRDD<Block> data = b.data;
    boolean cachedHere = data.getStorageLevel().equals(StorageLevel.NONE());
    if (cachedHere) {
      data = data.persist(StorageLevel.MEMORY_ONLY());
    }
    CallSite site = CallSite.name(b.sc, b.localSteps == 0 ? "adjoint synchronous SGD"
        : "adjoint local SGD, " + b.localSteps + " steps per round");
    try {
      Blocks.Summary summary = Blocks.summarize(data);
      if (summary.featuresPerExample() != expectedFeatures()) {
        throw new IllegalArgumentException("the training data has " + summary.featuresPerExample()
            + " features per example, the parameters' first layer expects " + expectedFeatures());
      }
      Layout layout = new Layout(summary.sizes(), b.batch);
      int threads = b.threads > 0 ? b.threads : defaultThreads(b.sc);
      PartitionSteps.Run run = new PartitionSteps.Run(data.id(), layout, b.model, b.seed, threads);
      int treeAbove = b.treeAbove;

      Optimizer driverOptimizer = b.optimizer.create(b.learningRate);
      TrainingSteps steps;
      if (b.localSteps == 0) {
        steps = new SynchronousSteps(b.sc, data, run, b.params,
            new GradientStep(b.params, driverOptimizer), treeAbove);
      } else {
        ParameterAveraging averaging = new ParameterAveraging(driverOptimizer);
        driverOptimizer = averaging;
        steps = new AveragingSteps(b.sc, data, run, b.params, averaging, b.optimizer,
            b.localSteps, treeAbove);
      }
      if (threads != dev.adjoint.ops.Parallelism.threads() && isLocal(b.sc)) {
        // In local mode the driver shares the JVM, and its thread setting, with the tasks.
        dev.adjoint.ops.Parallelism.setThreads(threads);
      }
      Trainer.Builder t = Trainer.builder()
          .parameters(b.params)
          .steps(steps)
          .optimizer(driverOptimizer)
          .metadata("spark.mode", b.localSteps == 0 ? "synchronous"
              : "local-sgd every " + b.localSteps)
          .metadata("spark.partitions", Integer.toString(layout.partitions()));
      b.settingsInto(t);
      if (b.test != null) {
        t.testData(new DatasetBatches(b.test, 256), b.model.evaluator(b.params));
      }
      return t.build().fit();
    } finally {
      site.restore();
      if (cachedHere) {
        data.unpersist(false);
        TaskBuffers.forget(data.id());
      }
    }
  }

  private int expectedFeatures() {
    return b.inputWidth;
  }

  /** Threads per task: the cores of a local master shared by its concurrent tasks. */
  static int defaultThreads(JavaSparkContext sc) {
    String master = sc.master();
    int cores = Runtime.getRuntime().availableProcessors();
    if (master.equals("local")) {
      return cores;
    }
    if (master.startsWith("local[")) {
      String n = master.substring("local[".length(), master.length() - 1).split(",")[0].strip();
      if (n.equals("*")) {
        return 1;
      }
      try {
        return Math.max(1, cores / Integer.parseInt(n));
      } catch (NumberFormatException e) {
        return 1;
      }
    }
    return Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
  }

  private static boolean isLocal(JavaSparkContext sc) {
    return sc.master().startsWith("local");
  }

  /**
   * A training run's configuration. Required: {@link #spark}, data, {@link #model}, {@link
   * #parameters}, {@link #optimizer}, {@link #epochs}, {@link #batchSize}.
   */
  public static final class Builder extends RunBuilder<Builder> {
    private JavaSparkContext sc;
    private JavaRDD<Block> data;
    private org.apache.spark.sql.Dataset<Row> frame;
    private String featuresColumn;
    private String labelColumn;
    private Dataset test;
    private SparkModel model;
    private float[][] params;
    private int inputWidth = -1;
    private OptimizerFactory optimizer;
    private double learningRate;
    private int batch;
    private long seed = 1;
    private int localSteps;
    private int threads;
    private int partitions;
    private int treeAbove = PartitionSum.TREE_ABOVE;

    private Builder() {}

    /** The Spark context to run on. */
    public Builder spark(JavaSparkContext sc) {
      this.sc = Objects.requireNonNull(sc, "sc");
      return this;
    }

    /**
     * Training data as packed blocks, exactly one per partition (see {@link Blocks}). Cached for
     * the run unless already persisted.
     */
    public Builder data(JavaRDD<Block> blocks) {
      this.data = Objects.requireNonNull(blocks, "blocks");
      this.frame = null;
      return this;
    }

    /**
     * Training data from a DataFrame: {@code featuresColumn} an array of float or double, or a
     * Spark ML {@code Vector}; {@code labelColumn} a class index {@code 0, 1, ...} of any numeric
     * type. Packed into one {@link Block} per partition, of the DataFrame's partitions or of
     * {@link #partitions(int)}.
     */
    public Builder data(org.apache.spark.sql.Dataset<Row> frame, String featuresColumn,
        String labelColumn) {
      this.frame = Objects.requireNonNull(frame, "frame");
      this.featuresColumn = Objects.requireNonNull(featuresColumn, "featuresColumn");
      this.labelColumn = Objects.requireNonNull(labelColumn, "labelColumn");
      this.data = null;
      return this;
    }

    /**
     * Repartitions a DataFrame into {@code n} partitions before packing it (its own partitioning
     * by default). Blocks given as an RDD are used as they are partitioned.
     */
    public Builder partitions(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("partitions must be at least 1, got " + n);
      }
      this.partitions = n;
      return this;
    }

    /** Held-out data, evaluated on the driver after every epoch with the model's evaluator. */
    public Builder testData(Dataset test) {
      this.test = Objects.requireNonNull(test, "test");
      return this;
    }

    /**
     * Held-out data from a DataFrame, collected to the driver (as {@link
     * DataFrameBlocks#collect}).
     */
    public Builder testData(org.apache.spark.sql.Dataset<Row> frame, String featuresColumn,
        String labelColumn) {
      this.test = DataFrameBlocks.collect(frame, featuresColumn, labelColumn);
      return this;
    }

    /** The model. */
    public Builder model(SparkModel model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * The parameter arrays, updated in place on the driver. {@code inputWidth} is the features
     * per example the model takes, checked against the data.
     */
    public Builder parameters(int inputWidth, float[]... params) {
      this.inputWidth = inputWidth;
      this.params = params.clone();
      return this;
    }

    /** The optimizer ({@code Sgd::new}, {@code Adam::new}, ...) and its initial learning rate. */
    public Builder optimizer(OptimizerFactory factory, double learningRate) {
      this.optimizer = Objects.requireNonNull(factory, "factory");
      this.learningRate = learningRate;
      return this;
    }

    /** Examples per global step, over all partitions. */
    public Builder batchSize(int batch) {
      this.batch = batch;
      return this;
    }

    /** The seed of every partition's shuffles (default 1). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Synchronous data-parallel SGD, one Spark job per global step (the default). */
    public Builder synchronous() {
      this.localSteps = 0;
      return this;
    }

    /** Local SGD: {@code k} local steps in every partition between averages, {@code k >= 1}. */
    public Builder localSgd(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("local SGD needs k >= 1 steps between averages, got "
            + k);
      }
      this.localSteps = k;
      return this;
    }

    /**
     * Threads for the ops inside each task. By default the cores of a {@code local[N]} master
     * divided by {@code N}, and {@code spark.task.cpus} on a cluster.
     */
    public Builder threadsPerTask(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Up to this many partitions the parts go straight to the driver, above it {@code
     * treeAggregate} sums them (default {@link PartitionSum#TREE_ABOVE}; tests compare the two).
     */
    Builder treeAggregateAbove(int partitions) {
      this.treeAbove = partitions;
      return this;
    }

    /** The run's settings (epochs, outputs, resume, ...) into the driver's trainer. */
    private void settingsInto(Trainer.Builder trainer) {
      copySettingsTo(trainer);
    }

    /** Checks the configuration. */
    public SparkTrainer build() {
      List<String> missing = new ArrayList<>();
      if (sc == null) {
        missing.add("spark");
      }
      if (data == null && frame == null) {
        missing.add("data");
      }
      if (model == null) {
        missing.add("model");
      }
      if (params == null) {
        missing.add("parameters");
      }
      if (optimizer == null) {
        missing.add("optimizer");
      }
      missingSettings(missing);
      if (batch <= 0) {
        missing.add("batchSize");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("SparkTrainer.Builder is missing "
            + String.join(", ", missing));
      }
      if (frame != null) {
        data = DataFrameBlocks.fromDataFrame(partitions > 0 ? frame.repartition(partitions) : frame,
            featuresColumn, labelColumn);
      } else if (partitions > 0 && data.getNumPartitions() != partitions) {
        throw new IllegalArgumentException("the blocks RDD has " + data.getNumPartitions()
            + " partitions, not " + partitions + ": make one block per partition you want");
      }
      if (inputWidth < 0) {
        throw new IllegalStateException("parameters(inputWidth, params...) is missing");
      }
      return new SparkTrainer(this);
    }
  }
}
