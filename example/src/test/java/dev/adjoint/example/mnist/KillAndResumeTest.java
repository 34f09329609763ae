package dev.adjoint.example.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run killed with SIGKILL (a child JVM, {@code destroyForcibly}) in the middle of
 * training and resumed from its last checkpoint ends with exactly the parameters of an
 * uninterrupted run with the same seed.
 */
class KillAndResumeTest {
  private static final int EPOCHS = 40;

  @TempDir Path dir;

  private List<String> options(Path out) {
    return List.of("--epochs", String.valueOf(EPOCHS), "--model", "loops", "--seed", "7",
        "--out", out.toString());
  }

  @Test
  void resumedRunEqualsUninterruptedRun() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8);
    Path reference = dir.resolve("reference");
    Train.run(TrainOptions.parse(options(reference)), quiet);
    float[][] expected = Checkpoint.load(reference.resolve("checkpoint.bin")).parameters();

    Path killed = dir.resolve("killed");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Train.class.getName()));
    command.addAll(options(killed));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    int epochsSeen = 0;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        child.getInputStream(), StandardCharsets.UTF_8))) {
      // Kill once a few epochs are done: their checkpoint exists, and training is under way.
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.contains("epoch ") && line.contains("/" + EPOCHS)) {
          epochsSeen++;
        }
        if (epochsSeen == 3) {
          child.destroyForcibly();
          break;
        }
      }
    }
    child.waitFor();
    assertEquals(3, epochsSeen, "the child printed its epochs");
    assertTrue(child.exitValue() != 0, "the child was killed, not finished");
    Checkpoint last = Checkpoint.load(killed.resolve("checkpoint.bin"));
    assertTrue(last.epoch() >= 2 && last.epoch() < EPOCHS, "killed mid-run: " + last.epoch());

    List<String> resume = new ArrayList<>(options(killed));
    resume.addAll(List.of("--resume", killed.resolve("checkpoint.bin").toString()));
    Train.run(TrainOptions.parse(resume), quiet);
    float[][] actual = Checkpoint.load(killed.resolve("checkpoint.bin")).parameters();
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], actual[i], 0f, "parameter " + i);
    }
    assertEquals(EPOCHS + 1, Files.readAllLines(killed.resolve("metrics.csv")).size());
  }
}
