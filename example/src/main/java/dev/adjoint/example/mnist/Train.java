package dev.adjoint.example.mnist;

import dev.adjoint.data.Batcher;
import dev.adjoint.data.Dataset;
import dev.adjoint.data.Digits;
import dev.adjoint.data.MnistDataset;
import dev.adjoint.example.cli.Cli;
import dev.adjoint.example.cli.CliExit;
import dev.adjoint.ops.Kernels;
import dev.adjoint.optim.Adam;
import dev.adjoint.optim.LearningRateSchedule;
import dev.adjoint.optim.Momentum;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Sgd;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Checkpoint;
import dev.adjoint.train.CheckpointException;
import dev.adjoint.train.Trainer;
import dev.adjoint.train.TrainingDivergedException;
import dev.adjoint.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code train} command: trains a classifier with one or more hidden layers, whose gradient
 * Adjoint generated, on the built-in digits (default) or on MNIST. Its options are {@link
 * TrainOptions}.
 *
 * <p>Every input is checked before anything is written: options (exit status 2), the data, the
 * checkpoint to resume and whether it matches the options, and whether {@code --out} can be
 * written (exit status 1). Each problem is one line naming the option.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Trains a classifier, whose gradient Adjoint generated at compile time, on the built-in"
            + " digits or on MNIST.",
        "Writes metrics.csv, metrics.png and checkpoint.bin (after every epoch) to --out."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:trained, or --resume names a run that is already finished",
        "1:a file cannot be read or written, or training diverged",
        "2:bad options, or a checkpoint that does not match them"},
    footerHeading = "%nExamples:%n",
    footer = {
        "  train --dataset mnist --data DIR    784-128-10, SGD 0.1, batch 64, 10 epochs",
        "  train --hidden 256,128 --optimizer adam --lr 1e-3",
        "  train --epochs 20 --resume runs/latest/checkpoint.bin"})
public final class Train implements Callable<Integer> {
  @Mixin private TrainOptions options;

  /** The parsed options. */
  TrainOptions options() {
    return options;
  }

  @Override
  public Integer call() throws IOException {
    options.validate();
    describeKernels();
    run(options, System.out);
    return 0;
  }

  /**
   * Says on standard error which kernels run, when they are the Vector API's (without it the
   * runtime says so itself); on stderr, so that the tables on stdout stay the same either way.
   */
  public static void describeKernels() {
    if (Kernels.vectorized()) {
      System.err.println(Kernels.description());
    }
  }

  private static final String MODEL_KEY = "model";
  private static final String ACTIVATION_KEY = "activation";
  private static final String CHECKPOINT = "checkpoint.bin";
  private static final String METRICS = "metrics.csv";
  private static final String PLOT = "metrics.png";

  /**
   * Runs the command and returns the training history.
   *
   * @throws CliExit when an input is wrong (before anything is written), when the checkpoint to
   *     resume is already finished, or when training diverges
   * @throws IOException when an output cannot be written during training
   */
  public static TrainingResult run(TrainOptions o, PrintStream out) throws IOException {
    return run(o, out, o.model() == TrainOptions.ModelName.LOOPS
        ? MlpTraining::loopsLoss
        : MlpTraining::opsLoss);
  }

  /**
   * {@link #run(TrainOptions, PrintStream)} with the loss of another model of the same network
   * in place of {@code --model}'s (the tests' reference implementations).
   */
  static TrainingResult run(TrainOptions o, PrintStream out,
      JitWarmUp.BatchLossFactory lossFactory) throws IOException {
    Checkpoint resumed = checkInputs(o);
    Network expected = o.network(o.dataset().features(), 10);

    Dataset train;
    Dataset test;
    int evalBatch = 256;
    dev.adjoint.ops.Parallelism.setThreads(o.threads());
    if (o.dataset() == TrainOptions.DatasetName.DIGITS) {
      Dataset.Split split = Digits.load().split(0.2, o.seed());
      train = split.train();
      test = split.test();
    } else {
      // The step can be compiled while the images load.
      try (JitWarmUp warmUp = JitWarmUp.start(expected, o.batch(), evalBatch,
          () -> optimizer(o), lossFactory)) {
        Dataset.Split split = MnistDataset.load(o.data());
        train = split.train();
        test = split.test();
      } catch (IOException e) {
        throw CliExit.io("--data", e);
      }
    }
    Network net = o.network(train.featuresPerExample(),
        Math.max(train.classes(), test.classes()));
    if (!net.equals(expected)) {
      throw CliExit.io("--data " + o.data() + ": the images have " + net.in() + " pixels and "
          + net.classes() + " classes, not MNIST's " + expected.in() + " and 10");
    }
    float[][] params = net.newParameters(o.seed());
    BatchLoss loss = lossFactory.create(net, params);

    // Every input is good: from here on the run writes.
    prepareOut(o, resumed);
    out.printf(Locale.ROOT, "train: %s, %d training and %d test examples; %s %s %s model, "
            + "%s lr %s (%s), batch %d, %d epochs, seed %d, %d threads%n",
        o.dataset(), train.size(), test.size(), net.shape(), net.activation().label(),
        o.model(), o.optimizer(), o.learningRate(), o.schedule(), o.batch(), o.epochs(),
        o.seed(), o.threads());
    StopGate gate = new StopGate();
    Trainer trainer = Trainer.builder()
        .parameters(params)
        .loss(loss)
        .optimizer(optimizer(o))
        .schedule(schedule(o))
        .epochs(o.epochs())
        // A batch larger than the data is the whole data in one batch: no larger buffers.
        .trainData(new GatedSource(
            new Batcher(train, Math.min(o.batch(), train.size()), o.seed()), gate))
        .testData(new GatedSource(new Batcher(test, evalBatch, o.seed()), gate),
            MlpTraining.evaluator(net, params))
        .metricsCsv(o.out().resolve(METRICS))
        .plot(o.out().resolve(PLOT))
        .checkpoint(o.out().resolve(CHECKPOINT))
        .resumeFrom(o.resume())
        .metadata(MODEL_KEY, net.shape())
        .metadata(ACTIVATION_KEY, net.activation().label())
        .output(out)
        .build();
    TrainingResult result;
    Thread interrupted = onInterrupt(o, gate);
    try {
      result = trainer.fit();
    } catch (TrainingDivergedException e) {
      throw CliExit.io(e.getMessage() + "; try a smaller --lr than " + o.learningRate());
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(interrupted);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it reports the interruption.
      }
    }
    out.println(summary(o, resumed, result.last().orElseThrow().testAccuracy()));
    return result;
  }

  /**
   * The last line of a run, for every command that trains from these options (the Spark
   * module's too): the test accuracy, the epochs in all and, for a resumed run, in this run.
   *
   * @param resumed the checkpoint the run resumed, or null for a fresh run
   */
  public static String summary(TrainOptions o, Checkpoint resumed, double testAccuracy) {
    int before = resumed == null ? 0 : resumed.epoch();
    return String.format(Locale.ROOT, "train: test accuracy %.2f%% after %d epochs%s; wrote %s",
        100 * testAccuracy, o.epochs(),
        before == 0 ? "" : " (" + (o.epochs() - before) + " this run)", o.out());
  }

  /**
   * The checks {@link #run} makes before it writes anything, for every command that trains from
   * these options (the Spark module's too): {@code --out} can be written, the {@code --data}
   * folder exists, and the checkpoint to resume can be read, holds the network and optimizer of
   * the options, and has epochs left to train.
   *
   * @return the checkpoint to resume, or null for a fresh run
   * @throws CliExit when an input is wrong (status 1 or 2), or the run is already finished (0)
   */
  public static Checkpoint checkInputs(TrainOptions o) {
    checkOutWritable(o.out());
    if (o.dataset() == TrainOptions.DatasetName.MNIST && !Files.isDirectory(o.data())) {
      throw CliExit.io("--data " + o.data() + ": " + (Files.exists(o.data())
          ? "not a folder" : "no such folder") + " (scripts/fetch-mnist.sh " + o.data()
          + " fetches MNIST there)");
    }
    // The shape the data will have (MnistDataset checks MNIST's 28x28 pixels, 10 classes).
    Network expected = o.network(o.dataset().features(), 10);
    return o.resume() == null ? null : resumable(o, expected);
  }

  /**
   * Loads the checkpoint to resume and checks it against the options.
   *
   * @throws CliExit when it cannot be read (1), holds another network or optimizer (2), or
   *     already has every epoch the options ask for (0)
   */
  private static Checkpoint resumable(TrainOptions o, Network net) {
    Path file = o.resume();
    if (!Files.isRegularFile(file)) {
      throw CliExit.io("--resume " + file + ": " + (Files.isDirectory(file)
          ? "a folder, not a checkpoint file (did you mean " + file.resolve(CHECKPOINT) + "?)"
          : "no such file"));
    }
    Checkpoint c;
    try {
      c = Checkpoint.load(file);
    } catch (CheckpointException e) {
      // "checkpoint FILE: problem" -> "--resume FILE: problem"
      String problem = e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
      throw CliExit.io("--resume " + file + ": " + problem);
    } catch (IOException e) {
      throw CliExit.io("--resume", e);
    }
    Map<String, String> saved = c.metadata();
    // Checkpoints from before --activation existed hold ReLU networks and no activation entry.
    String shape = saved.get(MODEL_KEY);
    String activation = saved.getOrDefault(ACTIVATION_KEY, Activation.RELU.label());
    if (shape == null) {
      throw CliExit.usage("--resume " + file + ": this checkpoint does not say which network it"
          + " holds; it was not written by train");
    }
    if (!shape.equals(net.shape()) || !activation.equals(net.activation().label())) {
      throw CliExit.usage("--resume " + file + " holds a " + shape + " " + activation
          + " network and these options build " + net + "; pass the --dataset, --hidden and "
          + "--activation it was trained with, or start afresh without --resume");
    }
    if (c.optimizer() != null && !c.optimizer().algorithm().equals(o.optimizer().toString())) {
      throw CliExit.usage("--resume " + file + " was trained with --optimizer "
          + c.optimizer().algorithm() + ", not " + o.optimizer() + "; pass --optimizer "
          + c.optimizer().algorithm() + " to continue it, or start afresh without --resume");
    }
    if (c.epoch() >= o.epochs()) {
      throw CliExit.nothingToDo("--resume " + file + " already holds " + c.epoch()
          + " epochs and --epochs is " + o.epochs() + ": nothing to train (pass a larger "
          + "--epochs to train on)");
    }
    return c;
  }

  /**
   * Fails, writing nothing, if {@code --out} cannot be a folder this process writes in: it is a
   * file, something on its path is, or the nearest existing folder is read-only.
   */
  private static void checkOutWritable(Path dir) {
    Path absolute = dir.toAbsolutePath();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw CliExit.io("--out " + dir + ": no folder of it exists");
    }
    if (!Files.isDirectory(existing)) {
      throw CliExit.io("--out " + dir + ": " + (existing.equals(absolute) ? "a file, not a folder"
          : existing + " is a file, not a folder"));
    }
    if (!Files.isWritable(existing)) {
      throw CliExit.io("--out " + dir + ": " + (existing.equals(absolute) ? "" : existing + " ")
          + "is not writable");
    }
  }

  /**
   * Creates {@code --out} and readies it: a fresh run removes the previous run's checkpoint and
   * plot; resuming into another folder copies the resumed run's metrics history into it. Public
   * for the Spark module's command, which writes the same files.
   *
   * @param resumed the checkpoint the run resumes, or null for a fresh run
   * @throws CliExit if the folder cannot be created or written
   */
  public static void prepareOut(TrainOptions o, Checkpoint resumed) {
    Path dir = o.out();
    try {
      Files.createDirectories(dir);
      Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
    } catch (IOException e) {
      throw CliExit.io("--out " + dir + ": cannot write there (" + CliExit.describe(e) + ")");
    }
    try {
      Path csv = dir.resolve(METRICS);
      if (resumed == null) {
        Files.deleteIfExists(dir.resolve(CHECKPOINT));
        Files.deleteIfExists(dir.resolve(PLOT));
        return;
      }
      Path parent = o.resume().toAbsolutePath().getParent();
      Path history = parent == null ? null : parent.resolve(METRICS);
      boolean sameFolder = parent != null && Files.isSameFile(parent, dir);
      if (!sameFolder) {
        if (history != null && Files.isRegularFile(history)) {
          Files.copy(history, csv, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.deleteIfExists(csv); // another run's rows; the history starts at the checkpoint
        }
      }
    } catch (IOException e) {
      throw CliExit.io("--out " + dir + ": " + CliExit.describe(e));
    }
  }

  /**
   * A shutdown hook, registered while training runs, that stops training between two batches
   * (never while a checkpoint is written: they are saved, atomically, after each epoch) and says
   * what the checkpoint holds and how to continue.
   */
  private static Thread onInterrupt(TrainOptions o, StopGate gate) {
    Path file = o.out().resolve(CHECKPOINT);
    Thread hook = new Thread(() -> {
      boolean stopped = gate.close(30);
      String message;
      try {
        Checkpoint c = Checkpoint.load(file);
        message = "train: interrupted; " + file + " holds " + c.epoch() + " of " + o.epochs()
            + " epochs: continue with the same options and --resume " + file;
      } catch (IOException | RuntimeException e) {
        message = "train: interrupted before the first epoch ended; nothing was saved";
      }
      if (!stopped) {
        message += " (training did not pause within 30 s: the checkpoint may be one epoch on)";
      }
      System.err.println();
      System.err.println(message);
    }, "train-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private static Optimizer optimizer(TrainOptions o) {
    return switch (o.optimizer()) {
      case MOMENTUM -> new Momentum(o.learningRate(), 0.9);
      case ADAM -> new Adam(o.learningRate());
      case SGD -> new Sgd(o.learningRate());
    };
  }

  /** The learning-rate schedule of {@code --schedule} (also the Spark command's). */
  public static LearningRateSchedule schedule(TrainOptions o) {
    return switch (o.schedule()) {
      case STEP -> LearningRateSchedule.step(o.learningRate(), 0.5, Math.max(1,
          o.epochs() / 3));
      case COSINE -> LearningRateSchedule.cosine(o.learningRate(), o.learningRate() / 100,
          o.epochs());
      case CONSTANT -> LearningRateSchedule.constant(o.learningRate());
    };
  }

  /** The command with the one-line error handlers of {@link Cli}. */
  public static CommandLine commandLine() {
    return Cli.configure(new CommandLine(new Train()));
  }

  /** Command-line entry point: {@code train [options]}; exits with the command's status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
