package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.train.Checkpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver process killed mid-run ({@code kill -9}: no shutdown hook, no last checkpoint) and
 * resumed with {@code --resume} from the checkpoint it left ends bit for bit where a run that was
 * never interrupted ends: local SGD with Adam, so the averaged optimizer state must survive too.
 */
class DriverKillTest {
  private static final List<String> RUN = List.of("--dataset", "digits", "--epochs",
      "4", "--hidden", "32", "--optimizer", "adam", "--lr", "0.003", "--seed", "5",
      "--partitions", "2", "--threads", "1", "--mode", "local", "--local-steps", "4");

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void killedDriverResumesFromItsLastCheckpointToTheSameParameters(@TempDir Path dir)
      throws Exception {
    Path killed = dir.resolve("killed");
    Process driver = startDriver(killed, dir.resolve("driver.err"));
    // Kill it once the second epoch's line is printed: the first epoch's checkpoint is on disk
    // by then, the second's may or may not be (it is written right after that line).
    String seen = null;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("epoch 2/4")) {
          seen = line;
          driver.destroyForcibly();   // SIGKILL on Linux
          break;
        }
      }
    }
    driver.waitFor();
    assertNotNull(seen, "the driver ended before its second epoch: "
        + Files.readString(dir.resolve("driver.err")));
    Checkpoint left = Checkpoint.load(killed.resolve("checkpoint.bin"));
    assertTrue(left.epoch() == 1 || left.epoch() == 2, "checkpoint of epoch " + left.epoch());

    SparkTrain.run(SparkTrainOptions.parse(options(killed, "--resume",
        killed.resolve("checkpoint.bin").toString())), Fixtures.spark(), Fixtures.SILENT);
    Path whole = dir.resolve("whole");
    SparkTrain.run(SparkTrainOptions.parse(options(whole)), Fixtures.spark(), Fixtures.SILENT);

    Checkpoint resumed = Checkpoint.load(killed.resolve("checkpoint.bin"));
    Checkpoint expected = Checkpoint.load(whole.resolve("checkpoint.bin"));
    assertEquals(4, resumed.epoch());
    assertEquals(expected.step(), resumed.step());
    for (int k = 0; k < expected.parameters().length; k++) {
      assertArrayEquals(expected.parameters()[k], resumed.parameters()[k], "parameter " + k);
    }
    for (int k = 0; k < expected.optimizer().buffers().length; k++) {
      assertArrayEquals(expected.optimizer().buffers()[k], resumed.optimizer().buffers()[k],
          "Adam moment " + k);
    }
    assertEquals(5, Files.readAllLines(killed.resolve("metrics.csv")).size());
  }

  /** {@code adjoint-spark train} in a JVM of its own on {@code local[2]}, writing to {@code out}. */
  private static Process startDriver(Path out, Path stderr) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // Spark's --add-opens and the collector, not a debugger or coverage agent.
      if (option.startsWith("--add-opens") || option.startsWith("--add-modules")
          || option.startsWith("-Dio.netty") || option.startsWith("-XX:")) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("train");
    command.addAll(options(out, "--spark", "local[2]"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    // One process to kill: no relaunch into a child JVM.
    builder.environment().put("ADJOINT_RELAUNCH", "0");
    return builder.start();
  }

  private static List<String> options(Path out, String... more) {
    List<String> all = new ArrayList<>(RUN);
    all.add("--out");
    all.add(out.toString());
    all.addAll(List.of(more));
    return all;
  }
}
