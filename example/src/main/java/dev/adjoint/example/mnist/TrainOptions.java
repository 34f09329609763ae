package dev.adjoint.example.mnist;

import dev.adjoint.example.cli.Converters;
import dev.adjoint.example.cli.Converters.PositiveInt;
import dev.adjoint.example.cli.Converters.PositiveNumber;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of the {@code train} command as a picocli mixin, for any command that trains a
 * classifier the same way: add {@code @Mixin TrainOptions options;} to it and call {@link
 * #validate()} before using them. Each value is typed and checked as it is parsed (a message
 * naming the option, exit status 2); {@link #validate()} checks the options against each other.
 * Defaults follow the dataset: MNIST's recipe is 10 epochs of batch 64, the digits' 30 of 32.
 */
public final class TrainOptions {
  /** The largest {@code --threads}: more would only queue on a machine's cores. */
  public static final int MAX_THREADS = 256;

  /** The dataset to train on. */
  public enum DatasetName {
    /** The built-in UCI digits, 8x8 images, 20%% held out for testing. */
    DIGITS(64),
    /** The four MNIST files in {@code --data DIR}, 28x28 images. */
    MNIST(28 * 28);

    private final int features;

    DatasetName(int features) {
      this.features = features;
    }

    /** Pixels per image. */
    public int features() {
      return features;
    }

    @Override
    public String toString() {
      return Converters.Choice.label(this);
    }
  }

  /** The optimizer, named as its checkpointed state names it. */
  public enum OptimizerName {
    SGD, MOMENTUM, ADAM;

    @Override
    public String toString() {
      return Converters.Choice.label(this);
    }
  }

  /** The learning-rate schedule. */
  public enum ScheduleName {
    CONSTANT, STEP, COSINE;

    @Override
    public String toString() {
      return Converters.Choice.label(this);
    }
  }

  /** How the model is written: with the ops library, or with plain loops. */
  public enum ModelName {
    OPS, LOOPS;

    @Override
    public String toString() {
      return Converters.Choice.label(this);
    }
  }

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(names = "--dataset", paramLabel = "DATASET", converter = DatasetChoice.class,
      description = "digits (built in: 1797 8x8 UCI images, 20%% held out) or mnist (the four "
          + "files in --data DIR). Default: ${DEFAULT-VALUE}.")
  private DatasetName dataset = DatasetName.DIGITS;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Folder of the MNIST files, for --dataset mnist "
          + "(scripts/fetch-mnist.sh DIR fetches them).")
  private Path data;

  @Option(names = "--hidden", paramLabel = "N[,N...]", converter = WidthsConverter.class,
      description = "Hidden layer widths: 128 (default) for one layer, 256,128 for two, ...")
  private Widths hidden;

  @Option(names = "--activation", paramLabel = "ACTIVATION", converter = ActivationChoice.class,
      description = "After every hidden layer: relu, sigmoid or tanh. Default: "
          + "${DEFAULT-VALUE}.")
  private Activation activation = Activation.RELU;

  @Option(names = "--epochs", paramLabel = "N", converter = PositiveInt.class,
      description = "Epochs in total, counting those of a resumed checkpoint. Default: 30 "
          + "(digits), 10 (mnist).")
  private Integer epochs;

  @Option(names = "--batch", paramLabel = "N", converter = PositiveInt.class,
      description = "Examples per step. Default: 32 (digits), 64 (mnist).")
  private Integer batch;

  @Option(names = "--optimizer", paramLabel = "OPTIMIZER", converter = OptimizerChoice.class,
      description = "sgd, momentum (0.9) or adam. Default: ${DEFAULT-VALUE}.")
  private OptimizerName optimizer = OptimizerName.SGD;

  @Option(names = "--lr", paramLabel = "RATE", converter = PositiveNumber.class,
      description = "Learning rate. Default: ${DEFAULT-VALUE}.")
  private double learningRate = 0.1;

  @Option(names = "--schedule", paramLabel = "SCHEDULE", converter = ScheduleChoice.class,
      description = "constant, step (halved every third of the epochs) or cosine (to lr/100). "
          + "Default: ${DEFAULT-VALUE}.")
  private ScheduleName schedule = ScheduleName.CONSTANT;

  @Option(names = "--seed", paramLabel = "N", converter = Converters.WholeNumber.class,
      description = "Seed of the initial weights and the shuffling. Default: ${DEFAULT-VALUE}.")
  private long seed = 1;

  @Option(names = "--threads", paramLabel = "N", converter = PositiveInt.class,
      description = "Threads of the kernels (results are the same for any count). "
          + "Default: ${DEFAULT-VALUE}.")
  private int threads = 2;

  @Option(names = "--model", paramLabel = "MODEL", converter = ModelChoice.class,
      description = "ops (default) or loops: the same network written with plain loops, one "
          + "hidden ReLU layer.")
  private ModelName model = ModelName.OPS;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Writes DIR/metrics.csv, DIR/metrics.png and DIR/checkpoint.bin. "
          + "Default: ${DEFAULT-VALUE}.")
  private Path out = Path.of("runs", "latest");

  @Option(names = "--resume", paramLabel = "FILE",
      description = "Continues the run saved in this checkpoint up to --epochs in total, with "
          + "its metrics history (the metrics.csv beside it).")
  private Path resume;

  /**
   * Parses and validates the options of a {@code train} command line, for programs and tests.
   *
   * @throws ParameterException naming the option and the problem
   */
  public static TrainOptions parse(List<String> args) {
    Train command = new Train();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    TrainOptions o = command.options();
    o.validate();
    return o;
  }

  /**
   * Checks the options against each other.
   *
   * @throws ParameterException naming the options and the problem
   */
  public void validate() {
    // An empty path is the current folder to java.nio: a --out "$DIR" with DIR unset would
    // train into (and replace the run files of) wherever the command was started.
    if (out.toString().isEmpty()) {
      fail("--out is empty; give the folder to write the run to (. for the current one)");
    }
    if (data != null && data.toString().isEmpty()) {
      fail("--data is empty; give the folder of the four MNIST files");
    }
    if (resume != null && resume.toString().isEmpty()) {
      fail("--resume is empty; give the checkpoint file to continue (DIR/checkpoint.bin)");
    }
    if (dataset == DatasetName.MNIST && data == null) {
      fail("--dataset mnist needs --data DIR, the folder of the four MNIST files (fetch them "
          + "with scripts/fetch-mnist.sh DIR)");
    }
    if (dataset == DatasetName.DIGITS && data != null) {
      fail("--data is for --dataset mnist; the digits are built in (add --dataset mnist to "
          + "train on the files in " + data + ")");
    }
    if (model == ModelName.LOOPS && (hidden().size() != 1 || activation != Activation.RELU)) {
      fail("--model loops has one hidden ReLU layer; use --model ops (the default) for --hidden "
          + widths() + " --activation " + activation.label());
    }
    if (threads > MAX_THREADS) {
      fail("--threads is at most " + MAX_THREADS + ", not " + threads);
    }
    // Every layer's weights, and a batch of its activations, must fit in one Java array.
    int[] w = network(dataset.features(), 10).widths();
    for (int l = 0; l + 1 < w.length; l++) {
      if ((long) w[l] * w[l + 1] > MAX_ARRAY || (long) batch() * w[l] > MAX_ARRAY) {
        fail("--hidden " + widths() + " with --batch " + batch() + ": layer " + (l + 1) + " ("
            + w[l] + "x" + w[l + 1] + ") is too large for one Java array; choose narrower "
            + "layers or a smaller batch");
      }
    }
  }

  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private void fail(String message) {
    throw new ParameterException(mixee == null ? null : mixee.commandLine(), message);
  }

  /** The network for data with {@code in} features and {@code classes} classes. */
  public Network network(int in, int classes) {
    List<Integer> h = hidden();
    int[] widths = new int[h.size() + 2];
    widths[0] = in;
    for (int l = 0; l < h.size(); l++) {
      widths[l + 1] = h.get(l);
    }
    widths[widths.length - 1] = classes;
    return new Network(widths, activation);
  }

  /** The dataset. */
  public DatasetName dataset() {
    return dataset;
  }

  /** The MNIST folder, or null for the digits. */
  public Path data() {
    return data;
  }

  /** The hidden layers' widths, first to last. */
  public List<Integer> hidden() {
    return hidden == null ? List.of(128) : hidden.values();
  }

  /** The activation after every hidden layer. */
  public Activation activation() {
    return activation;
  }

  /** The total number of epochs. */
  public int epochs() {
    return epochs != null ? epochs : dataset == DatasetName.MNIST ? 10 : 30;
  }

  /** The training batch size. */
  public int batch() {
    return batch != null ? batch : dataset == DatasetName.MNIST ? 64 : 32;
  }

  /** The optimizer. */
  public OptimizerName optimizer() {
    return optimizer;
  }

  /** The (initial) learning rate. */
  public double learningRate() {
    return learningRate;
  }

  /** The learning-rate schedule. */
  public ScheduleName schedule() {
    return schedule;
  }

  /** The seed of the weights and the shuffling. */
  public long seed() {
    return seed;
  }

  /** The kernels' thread count. */
  public int threads() {
    return threads;
  }

  /** How the model is written. */
  public ModelName model() {
    return model;
  }

  /** The output folder. */
  public Path out() {
    return out;
  }

  /** The checkpoint to resume, or null to start afresh. */
  public Path resume() {
    return resume;
  }

  private String widths() {
    return hidden().stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** The value of {@code --hidden}: one width per hidden layer. */
  private record Widths(List<Integer> values) {
    Widths {
      values = List.copyOf(values);
    }
  }

  /** {@code --hidden 256,128}: positive widths separated by commas. */
  static final class WidthsConverter implements ITypeConverter<Widths> {
    @Override
    public Widths convert(String v) {
      List<Integer> widths = new ArrayList<>();
      for (String part : v.split(",", -1)) {
        int width;
        try {
          width = Integer.parseInt(part.strip());
        } catch (NumberFormatException e) {
          width = 0;
        }
        if (width <= 0) {
          throw new TypeConversionException("'" + v + "' is not a list of positive widths "
              + "separated by commas, like 128 or 256,128");
        }
        widths.add(width);
      }
      return new Widths(widths);
    }
  }

  static final class DatasetChoice extends Converters.Choice<DatasetName> {
    DatasetChoice() {
      super(DatasetName.class);
    }
  }

  static final class ActivationChoice extends Converters.Choice<Activation> {
    ActivationChoice() {
      super(Activation.class);
    }
  }

  static final class OptimizerChoice extends Converters.Choice<OptimizerName> {
    OptimizerChoice() {
      super(OptimizerName.class);
    }
  }

  static final class ScheduleChoice extends Converters.Choice<ScheduleName> {
    ScheduleChoice() {
      super(ScheduleName.class);
    }
  }

  static final class ModelChoice extends Converters.Choice<ModelName> {
    ModelChoice() {
      super(ModelName.class);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s %s, %s lr %s (%s), batch %d, %d epochs, seed %d",
        dataset, widths(), optimizer, learningRate, schedule, batch(), epochs(), seed);
  }
}
