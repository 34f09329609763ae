package dev.adjoint.spark;

import dev.adjoint.data.Dataset;
import dev.adjoint.data.Digits;
import dev.adjoint.data.MnistDataset;
import dev.adjoint.example.mnist.Network;
import dev.adjoint.example.mnist.Train;
import dev.adjoint.example.mnist.TrainOptions;
import dev.adjoint.optim.Adam;
import dev.adjoint.optim.Momentum;
import dev.adjoint.optim.Sgd;
import dev.adjoint.train.Checkpoint;
import dev.adjoint.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The {@code train} command on Spark: the single-machine command's data, network, optimizer and
 * outputs (epoch lines, {@code metrics.csv}, {@code metrics.png}, {@code checkpoint.bin}, whose
 * checkpoints either command resumes), trained data-parallel.
 */
public final class SparkTrain {
  private SparkTrain() {}

  /**
   * Trains on {@code sc} as the options say.
   *
   * @throws IllegalArgumentException if {@code --resume} names a checkpoint of another network
   * @throws dev.adjoint.example.cli.CliExit if {@code --out} cannot be created or written
   */
  public static TrainingResult run(SparkTrainOptions options, JavaSparkContext sc,
      PrintStream out) throws IOException {
    TrainOptions o = options.train();
    int partitions = options.partitions() > 0 ? options.partitions() : sc.defaultParallelism();
    long seed = o.seed();
    // A String, not a Path, travels in the loader to the tasks: Path is not serializable.
    String dir = o.data() == null ? null : o.data().toAbsolutePath().toString();
    Dataset.Split split = o.dataset() == TrainOptions.DatasetName.DIGITS
        ? Digits.load().split(0.2, seed)
        : MnistDataset.load(Path.of(dir));
    Dataset train = split.train();
    Dataset test = split.test();
    PartitionLoader loader = o.dataset() == TrainOptions.DatasetName.DIGITS
        ? (p, n) -> Blocks.slice(Digits.load().split(0.2, seed).train(), p, n)
        : (p, n) -> Blocks.slice(MnistDataset.load(Path.of(dir)).train(), p, n);
    int[] widths = new int[o.hidden().size() + 2];
    widths[0] = train.featuresPerExample();
    for (int l = 0; l < o.hidden().size(); l++) {
      widths[l + 1] = o.hidden().get(l);
    }
    widths[widths.length - 1] = Math.max(train.classes(), test.classes());
    Network net = new Network(widths, o.activation());
    Checkpoint resumed = o.resume() == null ? null : checkSameNetwork(o.resume(), net);
    float[][] params = net.newParameters(seed);
    int threads = options.threadsGiven() ? o.threads() : SparkTrainer.defaultThreads(sc);
    // While the tasks read their partitions, their step is compiled (as the train command does
    // while it reads the files), at a task's batch: its share of the global batch.
    int[] shapes = new int[params.length];
    for (int k = 0; k < params.length; k++) {
      shapes[k] = params[k].length;
    }
    int taskBatch = Math.max(1, o.batch() / partitions);
    JavaRDD<Block> blocks = Blocks.load(sc, partitions, loader, new TaskWarmUp(MlpModel.of(net),
        shapes, net.in(), net.classes(), taskBatch, threads, factory(o.optimizer())));

    SparkTrainer.Builder b = SparkTrainer.builder()
        .spark(sc)
        .data(blocks)
        .model(MlpModel.of(net))
        .parameters(net.in(), params)
        .optimizer(factory(o.optimizer()), o.learningRate())
        .schedule(Train.schedule(o))
        .epochs(o.epochs())
        .batchSize(o.batch())
        .seed(seed)
        .testData(test)
        .metricsCsv(o.out().resolve("metrics.csv"))
        .plot(o.out().resolve("metrics.png"))
        .checkpoint(o.out().resolve("checkpoint.bin"))
        .resumeFrom(o.resume())
        .metadata("model", net.shape())
        .metadata("activation", net.activation().label())
        .output(out);
    if (options.localSteps() > 0) {
      b.localSgd(options.localSteps());
    }
    b.threadsPerTask(threads);

    // As the single-machine command: a fresh run clears the previous run's checkpoint and plot,
    // a run resumed into another folder starts its metrics.csv with the resumed run's history.
    Train.prepareOut(o, resumed);
    out.printf(Locale.ROOT, "train: %s, %d training and %d test examples; %s %s model, "
            + "%s lr %s (%s), batch %d, %d epochs, seed %d; Spark %s, %d partitions, %s, "
            + "%d threads per task%n",
        o.dataset(), train.size(), test.size(), net.shape(), net.activation().label(),
        o.optimizer(), o.learningRate(), o.schedule(), o.batch(), o.epochs(), seed, sc.master(),
        partitions, options.localSteps() == 0 ? "synchronous SGD"
            : "local SGD averaging every " + options.localSteps() + " steps", threads);
    TrainingResult result = b.build().fit();
    out.println(Train.summary(o, resumed,
        result.last().map(m -> m.testAccuracy()).orElse(Double.NaN)));
    return result;
  }

  /** The optimizer of {@code --optimizer}, as the single-machine command builds it. */
  static OptimizerFactory factory(TrainOptions.OptimizerName name) {
    return switch (name) {
      case MOMENTUM -> lr -> new Momentum(lr, 0.9);
      case ADAM -> Adam::new;
      case SGD -> Sgd::new;
    };
  }

  /**
   * Loads the checkpoint to resume, refusing one of another network as the single-machine command
   * does.
   */
  private static Checkpoint checkSameNetwork(Path checkpoint, Network net) throws IOException {
    Checkpoint c = Checkpoint.load(checkpoint);
    Map<String, String> saved = c.metadata();
    String shape = saved.getOrDefault("model", net.shape());
    String activation = saved.getOrDefault("activation", "relu");
    if (!shape.equals(net.shape()) || !activation.equals(net.activation().label())) {
      throw new IllegalArgumentException("cannot resume from " + checkpoint + ": it holds a "
          + shape + " " + activation + " network and this run builds " + net + "; pass the "
          + "--hidden and --activation it was trained with, or start afresh without --resume");
    }
    return c;
  }
}
