package dev.adjoint.spark;

import dev.adjoint.example.Launcher;
import dev.adjoint.example.cli.Cli;
import dev.adjoint.example.cli.CliExit;
import dev.adjoint.example.mnist.Train;
import dev.adjoint.ops.Kernels;
import dev.adjoint.train.CheckpointException;
import dev.adjoint.train.TrainingDivergedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Entry point of {@code adjoint-spark.jar}: {@code train [options]} (see {@link
 * SparkTrainOptions#usage()}). With {@code java -jar} it runs Spark in this JVM ({@code --spark
 * local[2]}); with {@code spark-submit --class dev.adjoint.spark.Main} on the cluster that
 * spark-submit names.
 */
public final class Main {
  private Main() {}

  /**
   * Runs a command; exit status 2 for bad options, 1 for a failed run. Under {@code java -jar}
   * without the options that training needs to be fast ({@code --add-modules
   * jdk.incubator.vector}, the serial collector) it first restarts itself with them, as the
   * single-machine command does ({@link Launcher}); never under {@code spark-submit}, whose
   * launcher owns the driver's JVM.
   */
  public static void main(String[] args) throws IOException {
    boolean sparkSubmit = System.getProperty("spark.master") != null
        || System.getProperty("spark.submit.deployMode") != null;
    if (Launcher.needsSpeed(args) && !sparkSubmit) {
      OptionalInt status = Launcher.relaunch(Main.class, args);
      if (status.isPresent()) {
        System.exit(status.getAsInt());
        return;
      }
    }
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("usage: java -jar adjoint-spark.jar train [options]");
      System.out.println(SparkTrainOptions.usage());
      System.exit(0);
      return;
    }
    if (args.length == 0 || !args[0].equals("train")) {
      fail(2, args.length == 0 ? "give a command: train [options]"
          : "unknown command '" + args[0] + "': the command is train [options]");
      return;
    }
    List<String> trainArgs = List.of(Arrays.copyOfRange(args, 1, args.length));
    if (trainArgs.contains("--help") || trainArgs.contains("-h")) {
      System.out.println(SparkTrainOptions.usage());
      System.exit(0);
      return;
    }
    SparkTrainOptions options;
    try {
      options = SparkTrainOptions.parse(trainArgs);
    } catch (IllegalArgumentException e) {
      fail(2, e.getMessage());
      return;
    }
    try {
      // The single-machine command's checks, before Spark starts or anything is written.
      Train.checkInputs(options.train());
    } catch (CliExit e) {
      if (e.status() == CliExit.OK) {
        System.out.println(COMMAND + ": " + e.getMessage());
      } else {
        System.err.println(COMMAND + ": " + e.getMessage());
      }
      System.exit(e.status());
      return;
    }
    System.err.println(Kernels.description());
    quietLogging();
    SparkConf conf = new SparkConf().setAppName("adjoint train");
    if (options.master() != null) {
      conf.setMaster(options.master());
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    // What is broadcast is parameters and optimizer state: floats, which compression (on by
    // default) only slows down; every round of local SGD and every synchronous step sends them.
    conf.setIfMissing("spark.broadcast.compress", "false");
    if (conf.get("spark.master").startsWith("local")) {
      // Nothing of a local run needs to be reachable from elsewhere.
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      // A local SGD task returns its partition's parameters and optimizer state: with Adam three
      // times the parameters, 1.2 MB for 784-128-10. Above spark.task.maxDirectResultSize (1 MiB
      // by default) Spark stores a result as a block that the driver then fetches through the
      // block transfer service, a network round trip within this one JVM; locally the result
      // goes to the driver directly instead (Spark caps it at spark.rpc.message.maxSize).
      conf.setIfMissing("spark.task.maxDirectResultSize", "128m");
    }
    // A plain context: the command reads no DataFrame, and Spark SQL's session would add
    // seconds of start-up (Scala reflection).
    JavaSparkContext sc = new JavaSparkContext(conf);
    int status = 0;
    try {
      SparkTrain.run(options, sc, System.out);
    } catch (CliExit e) {
      // --out could not be readied (it was checked before Spark started; something changed).
      System.err.println(COMMAND + ": " + Cli.firstLine(e.getMessage()));
      status = e.status();
    } catch (CheckpointException | IllegalArgumentException | TrainingDivergedException e) {
      System.err.println(COMMAND + ": " + Cli.firstLine(e.getMessage()));
      status = 1;
    } catch (IOException e) {
      // The data's files (MnistDataset names the file and the problem), or the run's outputs.
      String what = CliExit.describe(e);
      Path data = options.train().data();
      boolean inData = data != null && (what.startsWith(data.toString())
          || what.startsWith(data.toAbsolutePath().toString()));
      System.err.println(COMMAND + ": " + (inData ? "--data " + what : what));
      status = 1;
    } finally {
      sc.stop();
    }
    if (status != 0) {
      System.exit(status);
    }
  }

  private static final String COMMAND = "adjoint-spark train";

  /** One line on standard error for bad options, and the exit status. */
  private static void fail(int status, String message) {
    System.err.println(COMMAND + ": " + Cli.firstLine(message)
        + " (see 'java -jar adjoint-spark.jar train --help')");
    System.exit(status);
  }

  /**
   * Spark's own log lines at WARN and above only, unless the user configured logging: a local
   * run's output is the trainer's lines.
   */
  private static void quietLogging() {
    if (System.getProperty("log4j2.configurationFile") == null
        && System.getenv("SPARK_CONF_DIR") == null) {
      System.setProperty("log4j2.configurationFile", "classpath:adjoint-spark-log4j2.properties");
    }
  }
}
