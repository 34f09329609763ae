package dev.adjoint.example.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import dev.adjoint.example.cli.CliExit;
import dev.adjoint.train.Checkpoint;
import dev.adjoint.train.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

/** The train command end to end on the built-in digits, and the generated model gradients. */
class TrainTest {
  @TempDir Path out;

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  @Test
  void trainsTheDigitsAboveNinetyPercent() throws Exception {
    TrainOptions o = TrainOptions.parse(List.of("--epochs", "10", "--out", out.toString()));
    TrainingResult result = Train.run(o, quiet());
    assertTrue(result.last().orElseThrow().testAccuracy() >= 0.90, "accuracy " + result.last().orElseThrow().testAccuracy());
    assertTrue(Files.size(out.resolve("metrics.png")) > 1000);
    assertEquals(11, Files.readAllLines(out.resolve("metrics.csv")).size());
    assertTrue(Files.exists(out.resolve("checkpoint.bin")));
  }

  @Test
  void theLoopModelTrainsToo() throws Exception {
    TrainOptions o = TrainOptions.parse(List.of("--epochs", "5", "--model", "loops",
        "--out", out.toString()));
    assertTrue(Train.run(o, quiet()).last().orElseThrow().testAccuracy() >= 0.85);
  }

  @Test
  void sameSeedSameThreadsSameResult() throws Exception {
    TrainOptions a = TrainOptions.parse(List.of("--epochs", "3", "--out",
        out.resolve("a").toString()));
    TrainOptions b = TrainOptions.parse(List.of("--epochs", "3", "--out",
        out.resolve("b").toString()));
    List<double[]> first = losses(Train.run(a, quiet()));
    List<double[]> second = losses(Train.run(b, quiet()));
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(first.get(i), second.get(i), 0.0);
    }
  }

  private static List<double[]> losses(TrainingResult r) {
    return r.history().stream()
        .map(m -> new double[] {m.trainLoss(), m.testLoss(), m.testAccuracy()}).toList();
  }

  @Test
  void hiddenAndActivationOptions() {
    TrainOptions defaults = TrainOptions.parse(List.of());
    assertEquals(List.of(128), defaults.hidden());
    assertEquals(Activation.RELU, defaults.activation());
    TrainOptions deep = TrainOptions.parse(List.of("--hidden", "256,128", "--activation",
        "tanh"));
    assertEquals(List.of(256, 128), deep.hidden());
    assertEquals(Activation.TANH, deep.activation());
    assertEquals("784-256-128-10 tanh", deep.network(784, 10).toString());
  }

  @Test
  void badLayerOptionsAreClearErrors() {
    for (String hidden : List.of("0", "12,,3", "-5", "12,", "a,b", "")) {
      ParameterException e = assertThrows(ParameterException.class,
          () -> TrainOptions.parse(List.of("--hidden", hidden)));
      assertEquals("Invalid value for option '--hidden': '" + hidden + "' is not a list of "
          + "positive widths separated by commas, like 128 or 256,128", e.getMessage());
    }
    ParameterException e = assertThrows(ParameterException.class,
        () -> TrainOptions.parse(List.of("--activation", "foo")));
    assertEquals("Invalid value for option '--activation': 'foo' is not one of relu, sigmoid or "
        + "tanh", e.getMessage());
    e = assertThrows(ParameterException.class,
        () -> TrainOptions.parse(List.of("--model", "loops", "--hidden", "256,128")));
    assertTrue(e.getMessage().startsWith("--model loops has one hidden ReLU layer"),
        e.getMessage());
    e = assertThrows(ParameterException.class,
        () -> TrainOptions.parse(List.of("--model", "loops", "--activation", "sigmoid")));
    assertTrue(e.getMessage().startsWith("--model loops has one hidden ReLU layer"),
        e.getMessage());
  }

  @Test
  void aTwoHiddenLayerModelResumesExactly() throws Exception {
    List<String> common = List.of("--hidden", "24,16", "--activation", "tanh", "--epochs",
        "4", "--seed", "5");
    Path straight = out.resolve("straight");
    TrainingResult whole = Train.run(TrainOptions.parse(with(common, "--out",
        straight.toString())), quiet());
    assertTrue(whole.last().orElseThrow().testAccuracy() >= 0.5, "accuracy " + whole.last().orElseThrow().testAccuracy());

    Path split = out.resolve("split");
    List<String> first = new ArrayList<>(with(common, "--out", split.toString()));
    first.set(first.indexOf("4"), "2");
    Train.run(TrainOptions.parse(first), quiet());
    Path checkpoint = split.resolve("checkpoint.bin");
    assertEquals(Map.of("model", "64-24-16-10", "activation", "tanh"),
        Checkpoint.load(checkpoint).metadata());
    Train.run(TrainOptions.parse(with(common, "--out", split.toString(), "--resume",
        checkpoint.toString())), quiet());

    float[][] expected = Checkpoint.load(straight.resolve("checkpoint.bin")).parameters();
    float[][] actual = Checkpoint.load(checkpoint).parameters();
    assertEquals(6, actual.length);
    for (int k = 0; k < expected.length; k++) {
      assertArrayEquals(expected[k], actual[k], 0f, "parameter " + k);
    }
    assertEquals(Files.readAllLines(straight.resolve("metrics.csv")).stream()
            .map(TrainTest::withoutTimes).toList(),
        Files.readAllLines(split.resolve("metrics.csv")).stream()
            .map(TrainTest::withoutTimes).toList());
    assertTrue(Files.size(split.resolve("metrics.png")) > 1000);
  }

  @Test
  void resumingAnotherNetworkIsRefused() throws Exception {
    Path run = out.resolve("run");
    Train.run(TrainOptions.parse(List.of("--hidden", "24,16", "--epochs", "1", "--out",
        run.toString())), quiet());
    String checkpoint = run.resolve("checkpoint.bin").toString();
    CliExit e = assertThrows(CliExit.class,
        () -> Train.run(TrainOptions.parse(List.of("--hidden", "24", "--epochs", "2",
            "--out", out.resolve("other").toString(), "--resume", checkpoint)), quiet()));
    assertEquals(CliExit.USAGE, e.status());
    assertEquals("--resume " + checkpoint + " holds a 64-24-16-10 relu network and these "
        + "options build 64-24-10 relu; pass the --dataset, --hidden and --activation it was "
        + "trained with, or start afresh without --resume", e.getMessage());
    // Same array shapes, other activation: would load silently without the check.
    e = assertThrows(CliExit.class,
        () -> Train.run(TrainOptions.parse(List.of("--hidden", "24,16", "--activation", "tanh",
            "--epochs", "2", "--out", out.resolve("other").toString(), "--resume",
            checkpoint)), quiet()));
    assertTrue(e.getMessage().contains("64-24-16-10 relu network and these options build "
        + "64-24-16-10 tanh"), e.getMessage());
    assertTrue(Files.notExists(out.resolve("other")), "nothing written");
  }

  private static List<String> with(List<String> options, String... more) {
    List<String> all = new ArrayList<>(options);
    all.addAll(List.of(more));
    return all;
  }

  /** A metrics row without its timing columns (seconds, samples per second). */
  private static String withoutTimes(String row) {
    String[] cells = row.split(",");
    return String.join(",", Arrays.copyOf(cells, cells.length - 2));
  }

  @Test
  void opsAndLoopModelsHaveTheSameGradient() {
    int batch = 5;
    int in = 7;
    int hidden = 6;
    int classes = 4;
    Random r = new Random(3);
    float[] w1 = random(r, in * hidden);
    float[] b1 = random(r, hidden);
    float[] w2 = random(r, hidden * classes);
    float[] b2 = random(r, classes);
    float[] x = random(r, batch * in);
    int[] y = r.ints(batch, 0, classes).toArray();
    MlpGrad.Loss ops = MlpGrad.loss(w1, b1, w2, b2, x, y, batch, in, hidden, classes);
    MlpLoopsGrad.Loss loops = MlpLoopsGrad.loss(w1, b1, w2, b2, x, y, batch, in, hidden,
        classes);
    assertEquals(loops.value(), ops.value(), 1e-5);
    assertArrayEquals(loops.w1(), ops.w1(), 1e-5f);
    assertArrayEquals(loops.b1(), ops.b1(), 1e-5f);
    assertArrayEquals(loops.w2(), ops.w2(), 1e-5f);
    assertArrayEquals(loops.b2(), ops.b2(), 1e-5f);
    double[] analytic = new double[w2.length];
    for (int i = 0; i < w2.length; i++) {
      analytic[i] = ops.w2()[i];
    }
    GradCheck.assertGradient((GradCheck.FloatFunction) v -> Mlp.loss(w1, b1, v, b2, x, y, batch,
        in, hidden, classes), w2, analytic);
  }

  private static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian() * 0.5f;
    }
    return a;
  }
}
