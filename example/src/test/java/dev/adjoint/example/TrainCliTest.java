package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.example.cli.CliExit;
import dev.adjoint.example.mnist.Train;
import dev.adjoint.example.mnist.TrainOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every bad input to {@code train} gets exit status 2 (options) or 1 (files), one line on
 * standard error naming the option and the problem, nothing on standard output, no stack trace,
 * and leaves every file as it was.
 */
class TrainCliTest {
  @TempDir static Path dir;

  /** A finished 2-epoch sgd run of 64-16-10 on the digits. */
  static Path finished;

  @BeforeAll
  static void trainOnce() throws IOException {
    Path run = dir.resolve("finished");
    Train.run(TrainOptions.parse(List.of("--hidden", "16", "--epochs", "2", "--out",
        run.toString())), quiet());
    finished = run.resolve("checkpoint.bin");
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  /** What a command printed and returned. */
  record Run(int status, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  /** Every file under {@link #dir} with its size and modification time. */
  private static Map<String, String> files() throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        m.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
            : Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return m;
  }

  /**
   * Runs {@code train} with {@code args} and checks the status, that standard error is one line
   * mentioning each of {@code mentions}, and that nothing was written or printed on stdout.
   */
  private static String fails(int status, List<String> mentions, String... args)
      throws IOException {
    Map<String, String> before = files();
    String[] command = Stream.concat(Stream.of("train"), Arrays.stream(args))
        .toArray(String[]::new);
    Run r = run(command);
    String what = String.join(" ", args) + " -> " + r;
    assertEquals(status, r.status(), what);
    assertEquals("", r.out(), what);
    assertEquals(1, r.errLines().size(), what);
    String line = r.errLines().get(0);
    assertTrue(line.startsWith("adjoint-example train: "), what);
    for (String m : mentions) {
      assertTrue(line.contains(m), "'" + m + "' missing: " + what);
    }
    assertFalse(line.contains("Exception") || line.contains("\tat "), what);
    assertEquals(before, files(), "wrote something: " + what);
    return line;
  }

  private String out(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void badValuesNameTheOptionAndExit2() throws IOException {
    String[][] cases = {
        {"--epochs", "0"}, {"--epochs", "-3"}, {"--epochs", "ten"}, {"--epochs", "1.5"},
        {"--epochs", "99999999999"}, {"--batch", "0"}, {"--batch", "-1"}, {"--threads", "0"},
        {"--threads", "x"}, {"--threads", "1000"}, {"--lr", "0"}, {"--lr", "-0.1"},
        {"--lr", "abc"}, {"--lr", "NaN"}, {"--lr", "Infinity"}, {"--seed", "one"},
        {"--hidden", "0"}, {"--hidden", "12,,3"}, {"--hidden", "-5"}, {"--hidden", ""},
        {"--hidden", "100000000"}, {"--activation", "softmax"}, {"--optimizer", "rmsprop"},
        {"--schedule", "linear"}, {"--dataset", "cifar"}, {"--model", "cnn"}};
    for (String[] c : cases) {
      String[] args = {c[0], c[1], "--out", out("never")};
      fails(CliExit.USAGE, List.of(c[0]), args);
    }
  }

  @Test
  void numbersOutOfRangeSayTheRange() throws IOException {
    assertTrue(fails(CliExit.USAGE, List.of("--epochs"), "--epochs", "99999999999")
        .contains("'99999999999' is not a positive whole number up to 2147483647"));
    assertTrue(fails(CliExit.USAGE, List.of("--seed"), "--seed", "1.5")
        .contains("'1.5' is not a whole number"));
    assertTrue(fails(CliExit.USAGE, List.of("--seed"), "--seed", "99999999999999999999")
        .contains("from -9223372036854775808 to 9223372036854775807"));
  }

  @Test
  void emptyPathsExit2InsteadOfMeaningTheCurrentFolder() throws IOException {
    fails(CliExit.USAGE, List.of("--out is empty"), "--out", "");
    fails(CliExit.USAGE, List.of("--data is empty"), "--dataset", "mnist", "--data", "",
        "--out", out("never"));
    fails(CliExit.USAGE, List.of("--resume is empty"), "--resume", "", "--out", out("never"));
  }

  @Test
  void malformedCommandLinesExit2() throws IOException {
    fails(CliExit.USAGE, List.of("--frobnicate"), "--frobnicate", "1");
    fails(CliExit.USAGE, List.of("--epochs"), "--epochs");
    fails(CliExit.USAGE, List.of("--epochs", "only once"), "--epochs", "3", "--epochs", "4");
    fails(CliExit.USAGE, List.of("'extra'"), "extra");
  }

  @Test
  void conflictingOptionsExit2() throws IOException {
    fails(CliExit.USAGE, List.of("--dataset mnist", "--data"), "--dataset", "mnist");
    fails(CliExit.USAGE, List.of("--data", "digits"), "--data", dir.toString());
    fails(CliExit.USAGE, List.of("--model loops", "--hidden 32,16"), "--model", "loops",
        "--hidden", "32,16");
    fails(CliExit.USAGE, List.of("--model loops", "--activation tanh"), "--model", "loops",
        "--activation", "tanh");
  }

  /** Writes an IDX header that promises {@code count} items and then only a few bytes. */
  private static void truncatedIdx(Path file, int magic, int count, int... dims)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 + 4 * dims.length + 100);
    b.putInt(magic).putInt(count);
    for (int d : dims) {
      b.putInt(d);
    }
    Files.write(file, b.array());
  }

  @Test
  void missingOrTruncatedMnistExits1() throws IOException {
    Path missing = dir.resolve("no-such-mnist");
    fails(CliExit.IO, List.of("--data " + missing, "no such folder", "fetch-mnist.sh"),
        "--dataset", "mnist", "--data", missing.toString(), "--out", out("never"));
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    fails(CliExit.IO, List.of("--data " + file, "not a folder"), "--dataset", "mnist",
        "--data", file.toString(), "--out", out("never"));

    Path truncated = Files.createDirectories(dir.resolve("truncated-mnist"));
    truncatedIdx(truncated.resolve("train-images-idx3-ubyte"), 0x803, 60000, 28, 28);
    truncatedIdx(truncated.resolve("train-labels-idx1-ubyte"), 0x801, 60000);
    truncatedIdx(truncated.resolve("t10k-images-idx3-ubyte"), 0x803, 10000, 28, 28);
    truncatedIdx(truncated.resolve("t10k-labels-idx1-ubyte"), 0x801, 10000);
    fails(CliExit.IO, List.of("--data", "train-images-idx3-ubyte"), "--dataset", "mnist",
        "--data", truncated.toString(), "--out", out("never"));

    Path three = Files.createDirectories(dir.resolve("three-files"));
    for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte")) {
      Files.copy(truncated.resolve(f), three.resolve(f));
    }
    fails(CliExit.IO, List.of("--data", "t10k-labels-idx1-ubyte", "fetch-mnist.sh"),
        "--dataset", "mnist", "--data", three.toString(), "--out", out("never"));
  }

  @Test
  void missingCorruptOrTruncatedCheckpointExits1() throws IOException {
    Path missing = dir.resolve("no-such.bin");
    fails(CliExit.IO, List.of("--resume " + missing, "no such file"), "--resume",
        missing.toString(), "--out", out("never"));
    fails(CliExit.IO, List.of("--resume " + finished.getParent(), "folder"), "--resume",
        finished.getParent().toString(), "--out", out("never"));

    byte[] good = Files.readAllBytes(finished);
    Path truncated = Files.write(dir.resolve("truncated.bin"),
        Arrays.copyOf(good, good.length / 2));
    fails(CliExit.IO, List.of("--resume " + truncated, "truncated"), "--hidden", "16",
        "--resume", truncated.toString(), "--out", out("never"));

    byte[] flipped = good.clone();
    flipped[flipped.length / 2] ^= 0x10;
    Path corrupt = Files.write(dir.resolve("corrupt.bin"), flipped);
    fails(CliExit.IO, List.of("--resume " + corrupt, "checksum"), "--hidden", "16",
        "--resume", corrupt.toString(), "--out", out("never"));

    Path notACheckpoint = Files.writeString(dir.resolve("metrics-copy.csv"), "epoch,loss\n");
    fails(CliExit.IO, List.of("--resume " + notACheckpoint), "--hidden", "16", "--resume",
        notACheckpoint.toString(), "--out", out("never"));
  }

  @Test
  void resumeWithOtherOptionsExits2() throws IOException {
    fails(CliExit.USAGE, List.of("--optimizer", "sgd", "adam"), "--hidden", "16",
        "--optimizer", "adam", "--epochs", "4", "--resume", finished.toString(), "--out",
        out("never"));
    fails(CliExit.USAGE, List.of("--resume", "64-16-10 relu", "64-32-10 relu"), "--hidden",
        "32", "--epochs", "4", "--resume", finished.toString(), "--out", out("never"));
    fails(CliExit.USAGE, List.of("--resume", "64-16-10 relu", "64-16-10 tanh"), "--hidden",
        "16", "--activation", "tanh", "--epochs", "4", "--resume", finished.toString(),
        "--out", out("never"));
  }

  @Test
  void resumingAFinishedRunSaysSoAndExits0() throws IOException {
    for (String epochs : List.of("2", "1")) {
      Map<String, String> before = files();
      Run r = run("train", "--hidden", "16", "--epochs", epochs, "--resume",
          finished.toString(), "--out", out("never"));
      assertEquals(0, r.status(), r.toString());
      assertEquals("", r.err(), r.toString());
      assertEquals(List.of("adjoint-example train: --resume " + finished + " already holds 2 "
          + "epochs and --epochs is " + epochs + ": nothing to train (pass a larger --epochs to "
          + "train on)"), r.out().lines().toList());
      assertEquals(before, files());
    }
  }

  @Test
  void unwritableOutExits1() throws IOException {
    Path file = Files.writeString(dir.resolve("out-file"), "x");
    fails(CliExit.IO, List.of("--out " + file, "not a folder"), "--out", file.toString());
    fails(CliExit.IO, List.of("--out " + file.resolve("run"), "not a folder"), "--out",
        file.resolve("run").toString());
  }

  @Test
  void helpGoesToStandardOutputWithStatus0() {
    for (String[] args : List.of(new String[] {"train", "--help"}, new String[] {"train", "-h"},
        new String[] {"--help"})) {
      Run r = run(args);
      assertEquals(0, r.status(), r.toString());
      assertEquals("", r.err(), r.toString());
      assertTrue(r.out().startsWith("Usage: adjoint-example"), r.out());
    }
    for (String[] args : List.of(new String[] {"--version"}, new String[] {"train", "--version"},
        new String[] {"greeks", "-V"}, new String[] {"completion", "--version"})) {
      Run version = run(args);
      assertEquals(0, version.status(), version.toString());
      assertTrue(version.out().matches("adjoint-example \\S+\\R"), version.toString());
    }
    String train = run("train", "--help").out();
    // The examples are written for 80 columns (picocli's width without a terminal): no wrap.
    assertTrue(train.lines().anyMatch(l -> l.contains("784-128-10") && l.endsWith("10 epochs")),
        train);
    for (String option : List.of("--dataset", "--data", "--hidden", "--activation", "--epochs",
        "--batch", "--optimizer", "--lr", "--schedule", "--seed", "--threads", "--model",
        "--out", "--resume")) {
      assertTrue(train.contains(option + "="), option + " missing from\n" + train);
    }
  }

  @Test
  void completionScriptCompletesTheChoices() {
    Run r = run("completion");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("complete -F _complete_adjoint-example"), r.out());
    assertTrue(r.out().contains("(\"relu\" \"sigmoid\" \"tanh\")"), "activation choices");
    assertTrue(r.out().contains("(\"sgd\" \"momentum\" \"adam\")"), "optimizer choices");
  }

  @Test
  void resumingIntoANewFolderCarriesTheHistoryAndCountsThisRun() throws IOException {
    Path next = dir.resolve("continued");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Train.run(TrainOptions.parse(List.of("--hidden", "16", "--epochs", "5", "--resume",
        finished.toString(), "--out", next.toString())), out);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains(" after 5 epochs (3 this run); wrote " + next), printed);
    List<String> rows = Files.readAllLines(next.resolve("metrics.csv"));
    List<String> earlier = Files.readAllLines(finished.resolveSibling("metrics.csv"));
    assertEquals(6, rows.size(), rows.toString());
    assertEquals(earlier, rows.subList(0, 3));
    List<String> epochs = new ArrayList<>();
    for (String row : rows.subList(1, 6)) {
      epochs.add(row.substring(0, row.indexOf(',')));
    }
    assertEquals(List.of("1", "2", "3", "4", "5"), epochs);
    // The finished run's folder is untouched.
    assertEquals(3, Files.readAllLines(finished.resolveSibling("metrics.csv")).size());
  }
}
