package dev.adjoint.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Adam;
import dev.adjoint.optim.Init;
import dev.adjoint.optim.LearningRateSchedule;
import dev.adjoint.optim.Momentum;
import dev.adjoint.optim.Sgd;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

  private String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  /** A builder for the logistic problem with everything but the run-specific parts. */
  private Trainer.Builder logistic(Logistic model, Long shuffleSeed) {
    return Trainer.builder()
        .parameters(model.params())
        .loss(model::lossAndGradient)
        .trainData(Logistic.data(250, 32, 1, shuffleSeed))
        .testData(Logistic.data(200, 64, 2, null), model::lossAndPredictions)
        .output(out)
        .progress(ProgressMode.LINES);
  }

  @Test
  void logisticRegressionConverges() throws IOException {
    Logistic model = new Logistic();
    TrainingResult result =
        logistic(model, 7L).optimizer(new Sgd(0.5)).epochs(15).build().fit();

    assertEquals(15, result.history().size());
    assertEquals(15 * 8, result.steps());
    EpochMetrics first = result.history().get(0);
    EpochMetrics last = result.last().orElseThrow();
    assertTrue(last.trainLoss() < first.trainLoss() / 2, result.history().toString());
    assertTrue(last.testLoss() < 0.15, "test loss " + last.testLoss());
    assertTrue(last.testAccuracy() > 0.95, "test accuracy " + last.testAccuracy());
    // The separating direction is (1, 1): both weights positive and similar.
    assertTrue(model.w[0] > 0.5 && model.w[1] > 0.5, model.w[0] + ", " + model.w[1]);
    // Evaluating again from outside gives the last epoch's test figures.
    Metrics again =
        Trainer.evaluate(Logistic.data(200, 64, 2, null), model::lossAndPredictions);
    assertEquals(last.testLoss(), again.loss(), 1e-12);
    assertEquals(last.testAccuracy(), again.accuracy());
    assertEquals(200, again.samples());
  }

  @Test
  void plainLinesReportEveryEpochWithoutCarriageReturns() throws IOException {
    logistic(new Logistic(), null).optimizer(new Sgd(0.5)).epochs(3).build().fit();
    String text = log();
    assertFalse(text.contains("\r"), text);
    List<String> lines = text.lines().toList();
    assertEquals(3, lines.size(), text);
    for (int e = 1; e <= 3; e++) {
      String line = lines.get(e - 1);
      assertTrue(line.startsWith("epoch " + e + "/3  train loss "), line);
      assertTrue(line.contains("test acc ") && line.contains("samples/s"), line);
      assertTrue(line.contains("lr 0.500"), line);
    }
  }

  @Test
  void theBarIsRedrawnInPlace() throws IOException {
    logistic(new Logistic(), null)
        .optimizer(new Sgd(0.5))
        .epochs(2)
        .progress(ProgressMode.BAR)
        .build()
        .fit();
    String text = log();
    // The last batch is always drawn, whatever the time, then replaced by the summary.
    assertTrue(text.contains("\repoch 1/2 [==============================] 8/8  100%"), text);
    assertTrue(text.contains("ETA 0:00  loss "), text);
    assertTrue(text.contains("\repoch 2/2  train loss "), text);
    assertTrue(text.endsWith("\n"), text);
    assertEquals(2, text.chars().filter(c -> c == '\n').count(), "one newline per epoch: " + text);
  }

  @Test
  void nothingIsPrintedWhenAskedNot() throws IOException {
    logistic(new Logistic(), null)
        .optimizer(new Sgd(0.5))
        .epochs(1)
        .progress(ProgressMode.NONE)
        .build()
        .fit();
    assertEquals("", log());
  }

  @Test
  void aNaNLossStopsTrainingNamingEpochAndBatch() throws IOException {
    Logistic model = new Logistic();
    float[][] beforeBadBatch = new float[2][];
    int[] calls = {0};
    BatchLoss poisoned =
        (x, y, n, grads) -> {
          int call = calls[0]++;
          if (call == 8 + 3) { // epoch index 1, batch index 3
            beforeBadBatch[0] = model.w.clone();
            beforeBadBatch[1] = model.b.clone();
            return Double.NaN;
          }
          return model.lossAndGradient(x, y, n, grads);
        };
    Path png = dir.resolve("diverged.png");
    Trainer trainer =
        logistic(model, null).loss(poisoned).optimizer(new Sgd(0.5)).epochs(5).plot(png).build();

    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::fit);
    assertEquals(1, e.epoch());
    assertEquals(3, e.batch());
    assertEquals(11, e.step());
    assertTrue(e.getMessage().startsWith("training diverged in epoch 2/5, batch 4/8: loss is NaN"),
        e.getMessage());
    assertArrayEquals(beforeBadBatch[0], model.w, "the bad batch's update is not applied");
    assertArrayEquals(beforeBadBatch[1], model.b);
    assertTrue(Files.exists(png), "the completed epoch is still plotted");
  }

  @Test
  void anInfiniteGradientStopsTrainingToo() {
    Logistic model = new Logistic();
    BatchLoss exploding =
        (x, y, n, grads) -> {
          double loss = model.lossAndGradient(x, y, n, grads);
          grads[1][0] = Float.POSITIVE_INFINITY;
          return loss;
        };
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () -> logistic(model, null).loss(exploding).optimizer(new Sgd(0.1)).epochs(2)
                .build().fit());
    assertEquals(0, e.epoch());
    assertEquals(0, e.batch());
    assertTrue(
        e.getMessage().contains("gradient of parameter 1 is Infinity at index 0"), e.getMessage());
  }

  @Test
  void theMetricsCsvHasAHeaderAndOneRowPerEpoch() throws IOException {
    Path csv = dir.resolve("metrics.csv");
    Files.writeString(csv, "left over from an older run\n");
    TrainingResult result =
        logistic(new Logistic(), 3L)
            .optimizer(new Momentum(0.2, 0.9))
            .schedule(LearningRateSchedule.step(0.2, 0.5, 2))
            .epochs(5)
            .metricsCsv(csv)
            .build()
            .fit();
    List<String> lines = Files.readAllLines(csv);
    assertEquals(MetricsCsv.HEADER, lines.get(0));
    assertEquals(
        "epoch,train_loss,test_loss,test_accuracy,learning_rate,seconds,samples_per_second",
        lines.get(0));
    assertEquals(6, lines.size(), String.join("\n", lines));
    double[] rates = {0.2, 0.2, 0.1, 0.1, 0.05};
    for (int e = 1; e <= 5; e++) {
      String[] f = lines.get(e).split(",");
      assertEquals(7, f.length, lines.get(e));
      assertEquals(Integer.toString(e), f[0]);
      EpochMetrics m = result.history().get(e - 1);
      assertEquals(m.trainLoss(), Double.parseDouble(f[1]), 1e-7 * m.trainLoss());
      assertEquals(m.testLoss(), Double.parseDouble(f[2]), 1e-7 * m.testLoss());
      assertEquals(
          String.format(Locale.ROOT, "%.6f", m.testAccuracy()), f[3], "accuracy, a fraction");
      assertEquals(rates[e - 1], Double.parseDouble(f[4]), 1e-12);
      assertEquals(rates[e - 1], m.learningRate(), 1e-15);
      assertTrue(Double.parseDouble(f[5]) >= 0);
      assertTrue(Double.parseDouble(f[6]) > 0);
    }
  }

  @Test
  void withoutATestSetTheTestColumnsAreEmpty() throws IOException {
    Logistic model = new Logistic();
    Path csv = dir.resolve("train-only.csv");
    Path png = dir.resolve("train-only.png");
    TrainingResult result =
        Trainer.builder()
            .parameters(model.params())
            .loss(model::lossAndGradient)
            .optimizer(new Sgd(0.5))
            .trainData(Logistic.data(100, 25, 1, null))
            .epochs(2)
            .metricsCsv(csv)
            .plot(png, 400, 300)
            .output(out)
            .progress(ProgressMode.LINES)
            .build()
            .fit();
    assertTrue(Double.isNaN(result.last().orElseThrow().testAccuracy()));
    String row = Files.readAllLines(csv).get(2);
    assertTrue(row.startsWith("2,") && row.contains(",,,"), row);
    assertFalse(log().contains("test acc"), log());
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(400, image.getWidth());
  }

  @Test
  void thePlotIsAPngOfTheRequestedSize() throws IOException {
    Path png = dir.resolve("plots").resolve("metrics.png");
    Files.createDirectories(png.getParent());
    logistic(new Logistic(), 5L)
        .optimizer(new Adam(0.05))
        .schedule(LearningRateSchedule.cosine(0.05, 0.005, 12))
        .epochs(12)
        .plot(png, 720, 450)
        .build()
        .fit();
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(
        new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
        java.util.Arrays.copyOf(bytes, 8));
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "ImageIO can decode it");
    assertEquals(720, image.getWidth());
    assertEquals(450, image.getHeight());
    // All three series are drawn in their colours, on a white background.
    assertEquals(0xffffff, image.getRGB(2, 2) & 0xffffff);
    assertTrue(hasColour(image, 0x1f77b4), "train loss curve");
    assertTrue(hasColour(image, 0xff7f0e), "test loss curve");
    assertTrue(hasColour(image, 0x2ca02c), "test accuracy curve");
    assertTrue(log().contains("wrote " + png), log());
  }

  private static boolean hasColour(BufferedImage image, int rgb) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          return true;
        }
      }
    }
    return false;
  }

  /** Parameters initialised from a seed, so that both runs start from the same point. */
  private static Logistic initialised(long seed) {
    Logistic model = new Logistic();
    Init.xavier(model.w, 2, 1, seed);
    return model;
  }

  private Trainer.Builder resumable(Logistic model) {
    return logistic(model, 11L)
        .optimizer(new Adam(0.05))
        .schedule(LearningRateSchedule.step(0.05, 0.5, 1))
        .epochs(4)
        .metadata("model", "logistic-2d");
  }

  @Test
  void resumingFromACheckpointEqualsAnUninterruptedRunBitForBit() throws IOException {
    Logistic straight = initialised(99);
    Path straightCkpt = dir.resolve("straight.ckpt");
    TrainingResult full = resumable(straight).checkpoint(straightCkpt).build().fit();

    Path ckpt = dir.resolve("run.ckpt");
    Path csv = dir.resolve("run.csv");
    Logistic firstHalf = initialised(99);
    resumable(firstHalf).epochs(2).checkpoint(ckpt).metricsCsv(csv).build().fit();
    Checkpoint saved = Checkpoint.load(ckpt);
    assertEquals(2, saved.epoch());
    assertEquals(16, saved.step());
    assertEquals("logistic-2d", saved.metadata().get("model"));
    // A crash after writing epoch 3's row but before its checkpoint leaves a stale row behind.
    Files.writeString(csv, "3,9,9,0,1,1,1\n", StandardOpenOption.APPEND);

    // A new process: fresh arrays with other values and a fresh optimizer.
    Logistic resumed = initialised(12345);
    log.reset();
    TrainingResult rest =
        resumable(resumed).checkpoint(ckpt).metricsCsv(csv).resumeFrom(ckpt).build().fit();

    assertArrayEquals(straight.w, resumed.w);
    assertArrayEquals(straight.b, resumed.b);
    for (int i = 0; i < 2; i++) {
      assertEquals(Float.floatToRawIntBits(straight.w[i]), Float.floatToRawIntBits(resumed.w[i]));
    }
    assertEquals(full.steps(), rest.steps());
    assertEquals(full.last().orElseThrow().trainLoss(), rest.last().orElseThrow().trainLoss());
    assertEquals(full.last().orElseThrow().testLoss(), rest.last().orElseThrow().testLoss());
    assertTrue(log().startsWith("resumed from " + ckpt + ": 2 of 4 epochs done, 16 steps"), log());

    Checkpoint end = Checkpoint.load(ckpt);
    Checkpoint straightEnd = Checkpoint.load(straightCkpt);
    assertEquals(4, end.epoch());
    assertEquals(straightEnd.step(), end.step());
    for (int k = 0; k < straightEnd.optimizer().buffers().length; k++) {
      assertArrayEquals(straightEnd.optimizer().buffers()[k], end.optimizer().buffers()[k]);
    }

    // The history spans all four epochs, once each, with the stale row gone.
    assertEquals(List.of(1, 2, 3, 4), rest.history().stream().map(EpochMetrics::epoch).toList());
    List<String> lines = Files.readAllLines(csv);
    assertEquals(5, lines.size(), String.join("\n", lines));
    assertFalse(lines.contains("3,9,9,0,1,1,1"));
  }

  @Test
  void resumingWithOtherShapesIsRefused() throws IOException {
    Path ckpt = dir.resolve("other.ckpt");
    new Checkpoint(1, 8, new float[][] {{1f, 2f, 3f}, {0f}}, null, java.util.Map.of()).save(ckpt);
    Trainer trainer = logistic(new Logistic(), null).optimizer(new Sgd(0.1)).epochs(2)
        .resumeFrom(ckpt).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, trainer::fit);
    assertTrue(e.getMessage().contains("parameter 0 has length 3"), e.getMessage());
  }

  @Test
  void aBrokenBatchSourceIsReported() {
    Logistic model = new Logistic();
    BatchSource empty =
        new BatchSource() {
          @Override
          public int batches() {
            return 2;
          }

          @Override
          public int batchSize() {
            return 4;
          }

          @Override
          public int sampleSize() {
            return 2;
          }

          @Override
          public int fill(int batch, float[] x, int[] y) {
            return batch == 0 ? 4 : 0;
          }
        };
    Trainer trainer = logistic(model, null).trainData(empty).optimizer(new Sgd(0.1)).epochs(1)
        .build();
    IllegalStateException e = assertThrows(IllegalStateException.class, trainer::fit);
    assertEquals("BatchSource.fill(1) returned 0 samples, expected 1 to 4", e.getMessage());
  }

  @Test
  void missingPartsAreNamedAndFitRunsOnce() throws IOException {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Trainer.builder().epochs(1).build());
    assertEquals(
        "Trainer.Builder is missing parameters, loss, optimizer, trainData", e.getMessage());
    Trainer trainer = logistic(new Logistic(), null).optimizer(new Sgd(0.1)).epochs(1).build();
    trainer.fit();
    assertThrows(IllegalStateException.class, trainer::fit);
  }

  @Test
  void durationsAndRatesAreShort() {
    assertEquals("0:07", ProgressReporter.formatDuration(7.4));
    assertEquals("2:05", ProgressReporter.formatDuration(125));
    assertEquals("1:00:00", ProgressReporter.formatDuration(3600));
    assertEquals("--:--", ProgressReporter.formatDuration(Double.NaN));
    assertEquals("950", ProgressReporter.formatRate(950.2));
    assertEquals("12.3k", ProgressReporter.formatRate(12_345));
    assertEquals("2.50M", ProgressReporter.formatRate(2_500_000));
    assertEquals("0.0512", ProgressReporter.formatLoss(0.05123));
    assertEquals("99999.1250", ProgressReporter.formatLoss(99999.125));
    assertEquals("7.4653e+31", ProgressReporter.formatLoss(7.465279779952006e31));
    assertEquals("NaN", ProgressReporter.formatLoss(Double.NaN));
  }

  @Test
  void theFoldersOfTheOutputFilesAreCreated() throws IOException {
    Path run = dir.resolve("runs/a/b");
    logistic(new Logistic(), null)
        .optimizer(new Sgd(0.5))
        .epochs(1)
        .metricsCsv(run.resolve("metrics.csv"))
        .plot(dir.resolve("plots/metrics.png"))
        .checkpoint(dir.resolve("checkpoints/last.bin"))
        .build()
        .fit();
    assertEquals(2, Files.readAllLines(run.resolve("metrics.csv")).size());
    assertTrue(Files.size(dir.resolve("plots/metrics.png")) > 0);
    assertEquals(1, Checkpoint.load(dir.resolve("checkpoints/last.bin")).epoch());
  }

  @Test
  void anOutputFolderThatCannotBeCreatedFailsBeforeTraining() throws IOException {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "not a folder");
    Logistic model = new Logistic();
    assertThrows(IOException.class, () -> logistic(model, null)
        .optimizer(new Sgd(0.5))
        .epochs(1)
        .metricsCsv(file.resolve("metrics.csv"))
        .build()
        .fit());
    assertEquals(0f, model.w[0]);   // no step was taken
    assertEquals("", log());
  }
}
