package dev.adjoint.example.mnist;

import dev.adjoint.data.Batcher;
import dev.adjoint.data.Dataset;
import dev.adjoint.data.Digits;
import dev.adjoint.data.MnistDataset;
import dev.adjoint.optim.Adam;
import dev.adjoint.optim.LearningRateSchedule;
import dev.adjoint.optim.Momentum;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Sgd;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Checkpoint;
import dev.adjoint.train.CheckpointException;
import dev.adjoint.train.Trainer;
import dev.adjoint.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code train} command: trains a classifier with one or more hidden layers, whose gradient
 * Adjoint generated, on the built-in digits (default) or on MNIST.
 *
 * <pre>
 * train [--dataset digits|mnist] [--data DIR] [--hidden N[,N...]] [--activation relu|sigmoid|tanh]
 *       [--epochs N] [--batch N] [--optimizer sgd|momentum|adam] [--lr RATE]
 *       [--schedule constant|step|cosine] [--seed N] [--threads N] [--model ops|loops]
 *       [--out DIR] [--resume FILE]
 * </pre>
 */
public final class Train {
  private Train() {}

  /**
   * The command's options, with the defaults of a quick run on the built-in digits.
   *
   * @param hidden the width of each hidden layer, first to last
   */
  public record Options(String dataset, Path data, List<Integer> hidden, Activation activation,
      int epochs, int batch, String optimizer, double learningRate, String schedule, long seed,
      int threads, String model, Path out, Path resume) {

    /** Keeps an unmodifiable copy of the hidden widths. */
    public Options {
      hidden = List.copyOf(hidden);
    }

    /** Parses command-line arguments; unknown options are an error naming them. */
    public static Options parse(List<String> args) {
      Map<String, String> given = new HashMap<>();
      Deque<String> rest = new ArrayDeque<>(args);
      while (!rest.isEmpty()) {
        String flag = rest.pop();
        if (flag.equals("--help") || flag.equals("-h")) {
          throw new IllegalArgumentException(usage());
        }
        if (!FLAGS.contains(flag)) {
          throw new IllegalArgumentException("unknown option " + flag + "\n" + usage());
        }
        if (rest.isEmpty()) {
          throw new IllegalArgumentException("option " + flag + " needs a value\n" + usage());
        }
        given.put(flag, rest.pop());
      }
      String dataset = given.getOrDefault("--dataset", "digits");
      // MNIST's recipe, the one its targets are measured with: 10 epochs of batch 64.
      boolean mnist = dataset.equals("mnist");
      Options o = new Options(
          dataset,
          given.containsKey("--data") ? Path.of(given.get("--data")) : null,
          hiddenWidths(given.getOrDefault("--hidden", "128")),
          Activation.parse(given.getOrDefault("--activation", "relu")),
          number(given, "--epochs", mnist ? "10" : "30", Integer::parseInt),
          number(given, "--batch", mnist ? "64" : "32", Integer::parseInt),
          given.getOrDefault("--optimizer", "sgd"),
          number(given, "--lr", "0.1", Double::parseDouble),
          given.getOrDefault("--schedule", "constant"),
          number(given, "--seed", "1", Long::parseLong),
          number(given, "--threads", "2", Integer::parseInt),
          given.getOrDefault("--model", "ops"),
          Path.of(given.getOrDefault("--out", Path.of("runs", "latest").toString())),
          given.containsKey("--resume") ? Path.of(given.get("--resume")) : null);
      o.validate();
      return o;
    }

    private static final List<String> FLAGS = List.of("--dataset", "--data", "--hidden",
        "--activation", "--epochs", "--batch", "--optimizer", "--lr", "--schedule", "--seed",
        "--threads", "--model", "--out", "--resume");

    private static <T> T number(Map<String, String> given, String flag, String fallback,
        java.util.function.Function<String, T> parser) {
      String v = given.getOrDefault(flag, fallback);
      try {
        return parser.apply(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " needs a number, not '" + v + "'");
      }
    }

    /** Parses {@code 256,128}: positive widths separated by commas. */
    private static List<Integer> hiddenWidths(String v) {
      String expected = "--hidden takes the width of each hidden layer, positive numbers "
          + "separated by commas (like 128 or 256,128), not '" + v + "'";
      List<Integer> widths = new ArrayList<>();
      for (String part : v.split(",", -1)) {
        int width;
        try {
          width = Integer.parseInt(part.strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(expected);
        }
        if (width <= 0) {
          throw new IllegalArgumentException(expected);
        }
        widths.add(width);
      }
      return widths;
    }

    private void validate() {
      check(dataset.equals("digits") || dataset.equals("mnist"), "--dataset is digits or mnist");
      check(!dataset.equals("mnist") || data != null,
          "--dataset mnist needs --data DIR (fetch it with scripts/fetch-mnist.sh DIR)");
      check(epochs > 0 && batch > 0 && threads > 0,
          "--epochs, --batch and --threads must be positive");
      check(List.of("sgd", "momentum", "adam").contains(optimizer),
          "--optimizer is sgd, momentum or adam");
      check(List.of("constant", "step", "cosine").contains(schedule),
          "--schedule is constant, step or cosine");
      check(model.equals("ops") || model.equals("loops"), "--model is ops or loops");
      check(!model.equals("loops") || hidden.size() == 1 && activation == Activation.RELU,
          "--model loops has one hidden ReLU layer; use --model ops (the default) for --hidden "
              + String.join(",", hidden.stream().map(String::valueOf).toList())
              + " --activation " + activation.label());
      check(learningRate > 0, "--lr must be positive");
    }

    /** The network for data with {@code in} features and {@code classes} classes. */
    Network network(int in, int classes) {
      int[] widths = new int[hidden.size() + 2];
      widths[0] = in;
      for (int l = 0; l < hidden.size(); l++) {
        widths[l + 1] = hidden.get(l);
      }
      widths[widths.length - 1] = classes;
      return new Network(widths, activation);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  /** The usage text. */
  public static String usage() {
    return """
        usage: train [--dataset digits|mnist] [--data DIR] [--hidden N[,N...]]
                     [--activation relu|sigmoid|tanh] [--epochs N] [--batch N]
                     [--optimizer sgd|momentum|adam] [--lr RATE] [--schedule constant|step|cosine]
                     [--seed N] [--threads N] [--model ops|loops] [--out DIR] [--resume FILE]
          digits: the built-in UCI handwritten digits (1797 8x8 images), 20% held out
          mnist:  the four MNIST files in --data DIR (scripts/fetch-mnist.sh DIR fetches them)
          --hidden 256,128: two hidden layers of 256 and 128 units (default one of 128)
          --model loops: the same network written with plain loops (one hidden ReLU layer)
          writes DIR/metrics.csv, DIR/metrics.png and DIR/checkpoint.bin (default DIR runs/latest)""";
  }

  /**
   * Runs the command and returns the training history.
   *
   * @throws ResumeMismatchException if {@code --resume} names a checkpoint of another network
   */
  public static TrainingResult run(Options o, PrintStream out) throws IOException {
    Dataset train;
    Dataset test;
    int evalBatch = 256;
    JitWarmUp.BatchLossFactory lossFactory = o.model().equals("loops")
        ? MlpTraining::loopsLoss
        : MlpTraining::opsLoss;
    dev.adjoint.ops.Parallelism.setThreads(o.threads());
    if (o.dataset().equals("digits")) {
      Dataset.Split split = Digits.load().split(0.2, o.seed());
      train = split.train();
      test = split.test();
    } else {
      // MNIST's images are 28 x 28 in 10 classes (MnistDataset checks): the step can be
      // compiled while they load.
      try (JitWarmUp warmUp = JitWarmUp.start(o.network(28 * 28, 10), o.batch(), evalBatch,
          () -> optimizer(o), lossFactory)) {
        Dataset.Split split = MnistDataset.load(o.data());
        train = split.train();
        test = split.test();
      }
    }
    Network net = o.network(train.featuresPerExample(),
        Math.max(train.classes(), test.classes()));
    if (o.resume() != null) {
      checkSameNetwork(o.resume(), net);
    }
    float[][] params = net.newParameters(o.seed());
    BatchLoss loss = lossFactory.create(net, params);

    Files.createDirectories(o.out());
    out.printf(Locale.ROOT, "train: %s, %d training and %d test examples; %s %s %s model, "
            + "%s lr %s (%s), batch %d, %d epochs, seed %d, %d threads%n",
        o.dataset(), train.size(), test.size(), net.shape(), net.activation().label(),
        o.model(), o.optimizer(), o.learningRate(), o.schedule(), o.batch(), o.epochs(),
        o.seed(), o.threads());
    Trainer trainer = Trainer.builder()
        .parameters(params)
        .loss(loss)
        .optimizer(optimizer(o))
        .schedule(schedule(o))
        .epochs(o.epochs())
        .trainData(new Batcher(train, o.batch(), o.seed()))
        .testData(new Batcher(test, evalBatch, o.seed()),
            MlpTraining.evaluator(net, params))
        .metricsCsv(o.out().resolve("metrics.csv"))
        .plot(o.out().resolve("metrics.png"))
        .checkpoint(o.out().resolve("checkpoint.bin"))
        .resumeFrom(o.resume())
        .metadata(MODEL_KEY, net.shape())
        .metadata(ACTIVATION_KEY, net.activation().label())
        .output(out)
        .build();
    TrainingResult result = trainer.fit();
    out.printf(Locale.ROOT, "train: test accuracy %.2f%% after %d epochs; wrote %s%n",
        100 * result.last().testAccuracy(), result.history().size(), o.out());
    return result;
  }

  private static final String MODEL_KEY = "model";
  private static final String ACTIVATION_KEY = "activation";

  /**
   * Refuses to resume from a checkpoint of another network, which could otherwise load (same
   * array shapes, other activation) or fail with a message about array lengths.
   *
   * @throws ResumeMismatchException naming both networks
   */
  private static void checkSameNetwork(Path checkpoint, Network net) throws IOException {
    Map<String, String> saved = Checkpoint.load(checkpoint).metadata();
    // Checkpoints from before --activation existed hold ReLU networks and no activation entry.
    String shape = saved.getOrDefault(MODEL_KEY, net.shape());
    String activation = saved.getOrDefault(ACTIVATION_KEY, Activation.RELU.label());
    if (!shape.equals(net.shape()) || !activation.equals(net.activation().label())) {
      throw new ResumeMismatchException("cannot resume from " + checkpoint + ": it holds a "
          + shape + " " + activation + " network and this run builds " + net + "; pass the "
          + "--hidden and --activation it was trained with, or start afresh without --resume");
    }
  }

  private static Optimizer optimizer(Options o) {
    return switch (o.optimizer()) {
      case "momentum" -> new Momentum(o.learningRate(), 0.9);
      case "adam" -> new Adam(o.learningRate());
      default -> new Sgd(o.learningRate());
    };
  }

  private static LearningRateSchedule schedule(Options o) {
    return switch (o.schedule()) {
      case "step" -> LearningRateSchedule.step(o.learningRate(), 0.5, Math.max(1,
          o.epochs() / 3));
      case "cosine" -> LearningRateSchedule.cosine(o.learningRate(), o.learningRate() / 100,
          o.epochs());
      default -> LearningRateSchedule.constant(o.learningRate());
    };
  }

  /** Command-line entry point. */
  public static void main(String[] args) throws IOException {
    Options o;
    try {
      o = Options.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      run(o, System.out);
    } catch (ResumeMismatchException | CheckpointException e) {
      System.err.println("train: " + e.getMessage());
      System.exit(1);
    }
  }
}
