package dev.adjoint.example.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Parameters;
import dev.adjoint.optim.Sgd;
import dev.adjoint.train.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The model record: its generated gradient against finite differences, and its agreement with
 * the other models and with the static layer loop the {@code train} command used before.
 */
class DeepMlpTest {
  private static final int BATCH = 4;
  /** Two hidden layers. */
  private static final int[] WIDTHS = {6, 5, 4, 3};
  /**
   * Tighter than {@link GradCheck#FLOAT_TOLERANCE}: the gradients here are of order 0.1, so the
   * default's absolute 2e-2 would let a wrong one through.
   */
  private static final double TOLERANCE = 2e-3;

  @TempDir Path out;

  /** A model of {@code widths}, a batch and its labels. */
  private record Case(Network net, float[][] params, DeepMlp model, float[] x, int[] y) {}

  private static Case randomCase(int[] widths, Activation activation, long seed) {
    Random r = new Random(seed);
    Network net = new Network(widths, activation);
    float[][] p = net.newParameters(seed);
    for (float[] a : p) {
      for (int i = 0; i < a.length; i++) {
        a[i] += (float) r.nextGaussian() * 0.3f; // biases too, not just the initial zeros
      }
    }
    float[] x = new float[BATCH * widths[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return new Case(net, p, DeepMlp.over(net, p), x,
        r.ints(BATCH, 0, widths[widths.length - 1]).toArray());
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void twoHiddenLayersMatchFiniteDifferences(Activation activation) {
    // A point where no ReLU input lies within the difference step of 0 (a kink).
    Case c = randomCase(WIDTHS, activation, 12);
    DeepMlp model = c.model();
    DeepMlpGrad.Loss g = DeepMlpGrad.loss(model, c.x(), c.y(), BATCH);
    assertEquals(model.loss(c.x(), c.y(), BATCH), g.value(), 0f);
    // The partials' record has the model's shape; its activation is the argument's.
    assertEquals(model.activation(), g.self().activation());
    assertEquals(3, g.self().w().length);
    GradCheck.Report report = GradCheck.wrt(model.w(), g.self().w()).and(model.b(), g.self().b())
        .compare(() -> model.loss(c.x(), c.y(), BATCH));
    assertTrue(report.passes(TOLERANCE), activation + "\n" + report);
    double largest = 0;
    for (float[][] partials : List.of(g.self().w(), g.self().b())) {
      for (float[] row : partials) {
        for (float d : row) {
          largest = Math.max(largest, Math.abs(d));
        }
      }
    }
    assertTrue(largest > 0.05, "the check saw gradients of size " + largest);
  }

  @Test
  void accumulatingFormAddsIntoTheBuffersOfARecord() {
    Case c = randomCase(WIDTHS, Activation.TANH, 4);
    DeepMlpGrad.Loss once = DeepMlpGrad.loss(c.model(), c.x(), c.y(), BATCH);
    DeepMlpGrad.LossAccumulator acc = DeepMlpGrad.LossAccumulator.zerosLike(c.model());
    for (int k = 0; k < 2; k++) {
      assertEquals(once.value(), DeepMlpGrad.loss(c.model(), c.x(), c.y(), BATCH, acc), 0f);
    }
    for (int l = 0; l < 3; l++) {
      for (int i = 0; i < acc.self.w()[l].length; i++) {
        assertEquals(2 * once.self().w()[l][i], acc.self.w()[l][i], 0f);
      }
      for (int i = 0; i < acc.self.b()[l].length; i++) {
        assertEquals(2 * once.self().b()[l][i], acc.self.b()[l][i], 0f);
      }
    }
  }

  /** README's training step: the accumulator's record of buffers paired with the model's. */
  @Test
  void theReadmeTrainingStepTrains() {
    Case c = randomCase(WIDTHS, Activation.RELU, 9);
    float[][] w = c.model().w();
    float[][] b = c.model().b();
    float[] x = c.x();
    int[] labels = c.y();
    int n = BATCH;
    Optimizer optimizer = new Sgd(0.1);

    DeepMlp model = new DeepMlp(w, b, Activation.RELU.code());
    DeepMlpGrad.LossAccumulator gradient = DeepMlpGrad.LossAccumulator.zerosLike(model);
    Parameters params = Parameters.builder()
        .add(model.w(), gradient.self.w()).add(model.b(), gradient.self.b()).build();
    float first = model.loss(x, labels, n);
    for (int step = 0; step < 50; step++) {
      gradient.clear();
      float loss = DeepMlpGrad.loss(model, x, labels, n, gradient);
      assertEquals(model.loss(x, labels, n), loss, 0f);
      optimizer.step(params);
    }
    float last = model.loss(x, labels, n);
    assertTrue(last < 0.8f * first, first + " -> " + last);
  }

  @Test
  void oneHiddenReluLayerIsBitForBitTheOneLayerModel() {
    int[] widths = {7, 6, 4};
    Case c = randomCase(widths, Activation.RELU, 3);
    float[][] p = c.params();
    MlpGrad.Loss one = MlpGrad.loss(p[0], p[1], p[2], p[3], c.x(), c.y(), BATCH, 7, 6, 4);
    DeepMlpGrad.Loss deep = DeepMlpGrad.loss(c.model(), c.x(), c.y(), BATCH);
    assertEquals(one.value(), deep.value(), 0f);
    assertArrayEquals(one.w1(), deep.self().w()[0], 0f);
    assertArrayEquals(one.b1(), deep.self().b()[0], 0f);
    assertArrayEquals(one.w2(), deep.self().w()[1], 0f);
    assertArrayEquals(one.b2(), deep.self().b()[1], 0f);
  }

  @ParameterizedTest
  @CsvSource({"7-6-4, RELU", "6-5-4-3, RELU", "6-5-4-3, SIGMOID", "6-5-4-3, TANH",
      "5-4-4-3-2, TANH"})
  void theRecordIsBitForBitTheStaticLayerLoop(String shape, Activation activation) {
    int[] widths = Arrays.stream(shape.split("-")).mapToInt(Integer::parseInt).toArray();
    Case c = randomCase(widths, activation, 8);
    DeepMlp model = c.model();
    StaticDeepMlpGrad.Loss old = StaticDeepMlpGrad.loss(model.w(), model.b(), c.x(), c.y(),
        BATCH, widths, activation.code());
    DeepMlpGrad.Loss record = DeepMlpGrad.loss(model, c.x(), c.y(), BATCH);
    assertEquals(old.value(), record.value(), 0f);
    for (int l = 0; l < widths.length - 1; l++) {
      assertArrayEquals(old.w()[l], record.self().w()[l], 0f, "w" + l);
      assertArrayEquals(old.b()[l], record.self().b()[l], 0f, "b" + l);
    }
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void predictionsUseTheTrainedFunction(Activation activation) {
    Case c = randomCase(WIDTHS, activation, 5);
    int[] predictions = new int[BATCH];
    double evaluated = MlpTraining.evaluator(c.net(), c.params())
        .lossAndPredictions(c.x(), c.y(), BATCH, predictions);
    assertEquals(c.model().loss(c.x(), c.y(), BATCH), evaluated, 1e-5);
  }

  /**
   * The {@code train} command with the model record and with the static layer loop it used
   * before: the same metrics (but for the timings) and the same checkpoint, byte for byte.
   */
  @ParameterizedTest
  @CsvSource({"24, relu", "'24,16', relu", "'20,12', tanh"})
  void theCommandTrainsAsItDidWithTheStaticLayerLoop(String hidden, String activation)
      throws IOException {
    List<String> options = List.of("--hidden", hidden, "--activation", activation, "--epochs",
        "2", "--batch", "32", "--seed", "3");
    Path record = out.resolve("record");
    Path old = out.resolve("static");
    TrainingResult withRecord = Train.run(parse(options, record), quiet());
    TrainingResult withStatic = Train.run(parse(options, old), quiet(),
        StaticDeepMlp::batchLoss);
    assertEquals(withStatic.history().size(), withRecord.history().size());
    assertEquals(metrics(old), metrics(record));
    assertArrayEquals(Files.readAllBytes(old.resolve("checkpoint.bin")),
        Files.readAllBytes(record.resolve("checkpoint.bin")));
    assertTrue(withRecord.last().orElseThrow().testAccuracy() > 0.5);
  }

  private static TrainOptions parse(List<String> options, Path dir) {
    List<String> all = new java.util.ArrayList<>(options);
    all.addAll(List.of("--out", dir.toString()));
    return TrainOptions.parse(all);
  }

  /** The metrics rows without their timing columns (seconds, samples per second). */
  private static List<String> metrics(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("metrics.csv")).stream().map(row -> {
      String[] cells = row.split(",");
      return String.join(",", Arrays.copyOf(cells, cells.length - 2));
    }).toList();
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
