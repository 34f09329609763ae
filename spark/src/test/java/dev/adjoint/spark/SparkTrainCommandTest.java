package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.example.mnist.Train;
import dev.adjoint.example.mnist.TrainOptions;
import dev.adjoint.train.Checkpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against the single-machine {@code train} command. */
class SparkTrainCommandTest {
  /**
   * One partition: the checkpoint (parameters and optimizer state) is the single-machine
   * command's bit for bit, and so are the printed accuracies.
   */
  @Test
  void onePartitionWritesTheSingleMachineCommandsCheckpoint(@TempDir Path dir) throws Exception {
    List<String> common = List.of("--dataset", "digits", "--epochs", "2", "--hidden", "48,24",
        "--optimizer", "adam", "--lr", "0.003", "--seed", "3");
    Path single = dir.resolve("single");
    Path spark = dir.resolve("spark");
    var expected = Train.run(TrainOptions.parse(concat(common, "--out", single.toString())),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    var actual = SparkTrain.run(
        SparkTrainOptions.parse(concat(common, "--out", spark.toString(), "--partitions", "1")),
        Fixtures.spark(), new PrintStream(printed, true, StandardCharsets.UTF_8));
    Checkpoint a = Checkpoint.load(single.resolve("checkpoint.bin"));
    Checkpoint b = Checkpoint.load(spark.resolve("checkpoint.bin"));
    for (int k = 0; k < a.parameters().length; k++) {
      assertArrayEquals(a.parameters()[k], b.parameters()[k], "parameter " + k);
    }
    for (int k = 0; k < a.optimizer().buffers().length; k++) {
      assertArrayEquals(a.optimizer().buffers()[k], b.optimizer().buffers()[k], "moment " + k);
    }
    assertEquals(a.step(), b.step());
    assertEquals(a.metadata().get("model"), b.metadata().get("model"));
    assertEquals(expected.last().orElseThrow().testAccuracy(), actual.last().orElseThrow().testAccuracy());
    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("Spark local[2,2], 1 partitions, synchronous SGD"), out);
    assertTrue(out.contains("epoch 2/2"), out);
    assertTrue(Files.size(spark.resolve("metrics.png")) > 0);
    assertEquals(3, Files.readAllLines(spark.resolve("metrics.csv")).size());
  }

  /**
   * The MNIST path (files read by each task from a directory) on a small set in MNIST's format:
   * one partition matches the single-machine command bit for bit, two partitions with local SGD
   * train too.
   */
  @Test
  void mnistFilesAreReadByTheTasks(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("mnist");
    Files.createDirectories(data);
    java.util.Random random = new java.util.Random(5);
    writeIdx(data, "train", 400, random);
    writeIdx(data, "t10k", 100, random);
    List<String> common = List.of("--dataset", "mnist", "--data", data.toString(), "--epochs",
        "2", "--batch", "32");
    Path single = dir.resolve("single");
    Train.run(TrainOptions.parse(concat(common, "--out", single.toString())),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Path spark = dir.resolve("spark");
    SparkTrain.run(SparkTrainOptions.parse(
            concat(common, "--out", spark.toString(), "--partitions", "1")),
        Fixtures.spark(), Fixtures.SILENT);
    Checkpoint a = Checkpoint.load(single.resolve("checkpoint.bin"));
    Checkpoint b = Checkpoint.load(spark.resolve("checkpoint.bin"));
    for (int k = 0; k < a.parameters().length; k++) {
      assertArrayEquals(a.parameters()[k], b.parameters()[k], "parameter " + k);
    }
    Path local = dir.resolve("local");
    var result = SparkTrain.run(SparkTrainOptions.parse(concat(common, "--out",
            local.toString(), "--partitions", "2", "--mode", "local", "--local-steps", "4")),
        Fixtures.spark(), Fixtures.SILENT);
    assertEquals(2, result.history().size());
    assertEquals("784-128-10", Checkpoint.load(local.resolve("checkpoint.bin")).metadata()
        .get("model"));
  }

  /** {@code count} 28x28 images in MNIST's IDX format, each label drawn in its brightest row. */
  private static void writeIdx(Path dir, String prefix, int count, java.util.Random random)
      throws java.io.IOException {
    var images = java.nio.ByteBuffer.allocate(16 + count * 784);
    images.putInt(0x803).putInt(count).putInt(28).putInt(28);
    var labels = java.nio.ByteBuffer.allocate(8 + count);
    labels.putInt(0x801).putInt(count);
    for (int i = 0; i < count; i++) {
      int label = random.nextInt(10);
      for (int p = 0; p < 784; p++) {
        int row = p / 28;
        images.put((byte) (row == 2 * label + 3 ? 200 + random.nextInt(56) : random.nextInt(60)));
      }
      labels.put((byte) label);
    }
    Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
    Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
  }

  /**
   * {@code --out} and {@code --resume} as the single-machine command handles them, each command
   * in a folder of its own: resumed into a new folder, the run's {@code metrics.csv} starts with
   * the resumed run's rows; a fresh run into a folder of an earlier run removes that run's
   * checkpoint and plot before it trains, so a fresh run that diverges in its first epoch leaves
   * no checkpoint of the earlier run behind to be resumed by mistake.
   */
  @Test
  void outAndResumeAreHandledAsByTheSingleMachineCommand(@TempDir Path dir) throws Exception {
    List<String> common = List.of("--dataset", "digits", "--hidden", "16", "--seed", "3");
    for (String command : List.of("single", "spark")) {
      Path first = dir.resolve(command + "-first");
      Path second = dir.resolve(command + "-second");
      run(command, concat(common, "--epochs", "1", "--out", first.toString()));
      String printed = run(command, concat(common, "--epochs", "2", "--out", second.toString(),
          "--resume", first.resolve("checkpoint.bin").toString()));
      assertTrue(printed.contains("after 2 epochs (1 this run)"), command + ": " + printed);
      List<String> firstRows = Files.readAllLines(first.resolve("metrics.csv"));
      List<String> secondRows = Files.readAllLines(second.resolve("metrics.csv"));
      assertEquals(3, secondRows.size(), command + ": header and two epochs");
      assertEquals(firstRows.get(1), secondRows.get(1), command + ": the resumed run's epoch");
      assertTrue(Files.exists(second.resolve("metrics.png")), command);

      assertThrows(RuntimeException.class, () -> run(command, concat(common, "--epochs", "1",
          "--lr", "1e30", "--out", second.toString())), command + " diverges");
      assertTrue(Files.notExists(second.resolve("checkpoint.bin")), command);
      assertTrue(Files.notExists(second.resolve("metrics.png")), command);
    }
  }

  /** Runs the single-machine or the Spark command (one partition); returns what it printed. */
  private static String run(String command, List<String> args) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    if (command.equals("single")) {
      Train.run(TrainOptions.parse(args), out);
    } else {
      SparkTrain.run(SparkTrainOptions.parse(concat(args, "--partitions", "1")), Fixtures.spark(),
          out);
    }
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void optionsAreTheTrainCommandsPlusSparks() {
    SparkTrainOptions o = SparkTrainOptions.parse(List.of("--spark", "local[2]", "--mode",
        "local", "--local-steps", "16", "--partitions", "4", "--batch", "128", "--threads", "1"));
    assertEquals("local[2]", o.master());
    assertEquals(16, o.localSteps());
    assertEquals(4, o.partitions());
    assertEquals(128, o.train().batch());
    assertTrue(o.threadsGiven());
    assertEquals(SparkTrainOptions.DEFAULT_LOCAL_STEPS,
        SparkTrainOptions.parse(List.of("--mode", "local")).localSteps());
    assertEquals(0, SparkTrainOptions.parse(List.of()).localSteps());
    assertMessage("--mode is sync or local", "--mode", "async");
    assertMessage("--local-steps needs --mode local", "--local-steps", "4");
    assertMessage("--partitions must be positive", "--partitions", "0");
    assertMessage("--frobnicate", "--frobnicate", "1");
    assertMessage("--model loops is not distributed", "--model", "loops");
    assertMessage("option --spark needs a value", "--spark");
    assertMessage("'--epochs': '0' is not a positive whole number", "--epochs", "0");
    assertMessage("--out is empty", "--out", "");
  }

  /** The message names the option, on one line (Main prints it as the command's one line). */
  private static void assertMessage(String expected, String... args) {
    var e = assertThrows(IllegalArgumentException.class,
        () -> SparkTrainOptions.parse(List.of(args)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  private static List<String> concat(List<String> a, String... b) {
    return java.util.stream.Stream.concat(a.stream(), java.util.Arrays.stream(b)).toList();
  }
}
