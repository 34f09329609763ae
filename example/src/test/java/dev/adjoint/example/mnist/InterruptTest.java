package dev.adjoint.example.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.train.Checkpoint;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C in the middle of training leaves the last finished epoch's checkpoint, valid, says how
 * to continue, and the run continues from it.
 */
class InterruptTest {
  private static final int EPOCHS = 500;

  @TempDir Path dir;

  @Test
  void ctrlCLeavesAValidCheckpointAndSaysHowToContinue() throws Exception {
    Path out = dir.resolve("run");
    List<String> options = List.of("--hidden", "16", "--epochs", String.valueOf(EPOCHS),
        "--out", out.toString());
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Train.class.getName()));
    command.addAll(options);
    Path err = dir.resolve("stderr.txt");
    Process child = new ProcessBuilder(command).redirectError(err.toFile()).start();
    int epochsSeen = 0;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null && epochsSeen < 3;
          line = lines.readLine()) {
        if (line.startsWith("epoch ") && line.contains("/" + EPOCHS + " ")) {
          epochsSeen++;
        }
      }
      // What Ctrl-C sends. Where the test runner ignores SIGINT (a background job), the JVM
      // does too: then SIGTERM, which runs the same shutdown.
      new ProcessBuilder("kill", "-INT", String.valueOf(child.pid())).start().waitFor();
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroy();
      }
      lines.transferTo(java.io.Writer.nullWriter());
    }
    child.waitFor();
    assertEquals(3, epochsSeen);
    assertTrue(child.exitValue() != 0, "interrupted, not finished");

    Path file = out.resolve("checkpoint.bin");
    Checkpoint saved = Checkpoint.load(file);
    assertTrue(saved.epoch() >= 3 && saved.epoch() < EPOCHS, "epochs " + saved.epoch());
    List<String> said = Files.readAllLines(err).stream().filter(l -> !l.isBlank()).toList();
    assertEquals("train: interrupted; " + file + " holds " + saved.epoch() + " of " + EPOCHS
        + " epochs: continue with the same options and --resume " + file,
        said.get(said.size() - 1));

    // It continues: one more epoch from the checkpoint.
    List<String> resume = new ArrayList<>(List.of("--hidden", "16", "--epochs",
        String.valueOf(saved.epoch() + 1), "--out", out.toString(), "--resume",
        file.toString()));
    Train.run(TrainOptions.parse(resume),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(saved.epoch() + 1, Checkpoint.load(file).epoch());
    assertEquals(saved.epoch() + 2, Files.readAllLines(out.resolve("metrics.csv")).size());
  }
}
