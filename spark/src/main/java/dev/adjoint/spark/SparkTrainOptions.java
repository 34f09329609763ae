package dev.adjoint.spark;

import dev.adjoint.example.mnist.TrainOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code adjoint-spark.jar train}: the single-machine {@code train} command's
 * options, parsed by that command ({@link TrainOptions}), plus where and how to distribute.
 *
 * @param train the {@code train} command's options
 * @param master the Spark master ({@code --spark}), or null to take spark-submit's
 * @param partitions partitions of the training data ({@code --partitions}), 0 for Spark's
 *     default parallelism
 * @param localSteps 0 for synchronous SGD ({@code --mode sync}), else the local steps between
 *     averages ({@code --mode local --local-steps K})
 * @param threadsGiven whether {@code --threads} was given (else the threads per task follow the
 *     master's cores)
 */
public record SparkTrainOptions(TrainOptions train, String master, int partitions,
    int localSteps, boolean threadsGiven) {

  /**
   * Default local steps between averages: one Spark job per 256 global steps, 4 per MNIST epoch
   * at batch 64. Each job costs the driver and the executors a fixed amount of work (scheduling,
   * serialization, the JIT compiling Spark's job path in a short run) that on two local cores
   * competes with the tasks; see spark/README.md for the measurements behind the choice.
   */
  public static final int DEFAULT_LOCAL_STEPS = 256;

  /**
   * Parses the arguments: ours are taken out, the rest go to {@link TrainOptions#parse}.
   *
   * @throws IllegalArgumentException with a one-line message naming the option
   */
  public static SparkTrainOptions parse(List<String> args) {
    List<String> rest = new ArrayList<>();
    String master = null;
    int partitions = 0;
    String mode = "sync";
    Integer localSteps = null;
    boolean threads = false;
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      boolean ours = List.of("--spark", "--partitions", "--mode", "--local-steps").contains(flag);
      if (!ours) {
        threads |= flag.equals("--threads");
        rest.add(flag);
        continue;
      }
      if (i + 1 == args.size()) {
        throw new IllegalArgumentException("option " + flag + " needs a value");
      }
      String value = args.get(++i);
      switch (flag) {
        case "--spark" -> master = value;
        case "--partitions" -> partitions = positive(flag, value);
        case "--mode" -> {
          if (!value.equals("sync") && !value.equals("local")) {
            throw new IllegalArgumentException("--mode is sync or local, not '" + value + "'");
          }
          mode = value;
        }
        default -> localSteps = positive(flag, value);
      }
    }
    if (localSteps != null && mode.equals("sync")) {
      throw new IllegalArgumentException("--local-steps needs --mode local");
    }
    TrainOptions train;
    try {
      train = TrainOptions.parse(rest);
    } catch (picocli.CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (train.model() == TrainOptions.ModelName.LOOPS) {
      throw new IllegalArgumentException("--model loops is not distributed; use --model ops "
          + "(the default), the same network");
    }
    return new SparkTrainOptions(train, master, partitions,
        mode.equals("sync") ? 0 : localSteps == null ? DEFAULT_LOCAL_STEPS : localSteps, threads);
  }

  private static int positive(String flag, String value) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a number, not '" + value + "'");
    }
    if (n < 1) {
      throw new IllegalArgumentException(flag + " must be positive, not " + n);
    }
    return n;
  }

  /** The usage text. */
  public static String usage() {
    return """
        usage: train [the train command's options: --dataset digits|mnist --data DIR --hidden N[,N...]
                      --activation A --epochs N --batch N --optimizer O --lr RATE --schedule S
                      --seed N --threads N --out DIR --resume FILE]
        on Spark, also:
                     [--spark MASTER] [--partitions N] [--mode sync|local] [--local-steps K]
          --spark local[2]: the master (default: spark-submit's, else local[*])
          --partitions N: partitions of the training data (default: Spark's parallelism)
          --mode sync: one global batch per step, gradients summed with treeAggregate (default)
          --mode local: K local steps per partition, then parameters and optimizer state
                        averaged (--local-steps K, default 256: fewer Spark jobs; a smaller K
                        averages more often, at one job per K steps)
          --threads N: threads per task (default: the master's cores / its concurrent tasks)
          -h, --help: this text""";
  }
}
