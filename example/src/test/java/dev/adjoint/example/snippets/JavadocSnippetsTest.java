package dev.adjoint.example.snippets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import dev.adjoint.data.Batcher;
import dev.adjoint.data.Dataset;
import dev.adjoint.data.Digits;
import dev.adjoint.optim.Adam;
import dev.adjoint.optim.Init;
import dev.adjoint.optim.Sgd;
import dev.adjoint.train.AccumulatingLoss;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Checkpoint;
import dev.adjoint.train.GradientStep;
import dev.adjoint.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's Javadoc examples are {@link JavadocSnippets}' code, and that code works. */
class JavadocSnippetsTest {
  private static final Path RUNTIME_SOURCES = Path.of("../runtime/src/main/java");
  private static final Path SNIPPETS =
      Path.of("src/main/java/dev/adjoint/example/snippets/JavadocSnippets.java");
  /** Javadoc blocks that show a signature's shape rather than code to run. */
  private static final List<String> NOT_CODE = List.of("DerivativeOf", "JvpOf");

  @Test
  void everyJavadocExampleIsASnippetLineForLine() throws IOException {
    Map<String, List<String>> snippets = snippets(Files.readAllLines(SNIPPETS));
    Map<String, List<String>> javadoc = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(RUNTIME_SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String name = f.getFileName().toString().replace(".java", "");
        List<List<String>> blocks = javadocBlocks(Files.readAllLines(f));
        for (int i = 0; i < blocks.size(); i++) {
          javadoc.put(i == 0 ? name : name + "#" + (i + 1), blocks.get(i));
        }
      }
    }
    assertTrue(javadoc.size() >= 15, "found only " + javadoc.keySet());
    for (Map.Entry<String, List<String>> e : javadoc.entrySet()) {
      if (NOT_CODE.contains(e.getKey())) {
        continue;
      }
      List<String> snippet = snippets.get(e.getKey());
      assertNotNull(snippet, "the Javadoc example of " + e.getKey()
          + " has no // snippet: " + e.getKey() + " block in " + SNIPPETS);
      assertEquals(String.join("\n", e.getValue()), String.join("\n", snippet),
          "Javadoc example of " + e.getKey());
    }
    for (String key : snippets.keySet()) {
      assertTrue(javadoc.containsKey(key), "snippet " + key + " is in no Javadoc");
    }
  }

  @Test
  void initDrawsHeWeightsAndZeroBiases() {
    float[][] p = JavadocSnippets.init(7);
    double sum = 0;
    for (float v : p[0]) {
      sum += v * v;
    }
    assertEquals(2.0 / 784, sum / p[0].length, 0.1 * 2.0 / 784);
    assertArrayEquals(new float[128], p[1]);
  }

  @Test
  void scalarParametersFitTheTarget() {
    double[] wb = JavadocSnippets.scalar(1, 4);
    // w x + b reaches the target; both move by the same amount (x = 1) from (2, 1).
    assertEquals(4, wb[0] + wb[1], 1e-6);
    assertEquals(wb[0] - 2, wb[1] - 1, 1e-9);
  }

  @Test
  void floatScalarAndArrayFitALine() {
    float[] wb = JavadocSnippets.floatScalar();
    assertEquals(2f, wb[0], 1e-3f);
    assertEquals(0.5f, wb[1], 1e-3f);
  }

  @Test
  void optimizerAndParametersLowerTheModelsLoss() {
    Case c = new Case(11);
    float before = Model.loss(c.w, c.b, c.x, c.labels);
    float afterAdam = JavadocSnippets.optimizer(c.w, c.b, c.x, c.labels, 20);
    assertTrue(afterAdam < before - 0.01, before + " -> " + afterAdam);
    Case d = new Case(11);
    float afterSgd = JavadocSnippets.parameters(d.w, d.b, d.x, d.labels);
    assertTrue(afterSgd < before - 0.01, before + " -> " + afterSgd);
  }

  @Test
  void parametersOfAModelRecordLowerItsLoss() {
    Case c = new Case(11);
    Classifier model = new Classifier(c.w, c.b);
    float before = model.loss(c.x, c.labels);
    float after = JavadocSnippets.parametersOfRecord(model, c.x, c.labels);
    assertTrue(after < before - 0.01, before + " -> " + after);
    // The same steps as the static model's, whose loss is the same function.
    Case d = new Case(11);
    assertEquals(after, JavadocSnippets.parameters(d.w, d.b, d.x, d.labels), 1e-6f);
  }

  @Test
  void scheduleSetsTheEpochsRate() {
    Sgd sgd = new Sgd(1);
    assertEquals(1e-3, JavadocSnippets.schedule(sgd, 0), 1e-12);
    assertEquals(1e-5 + (1e-3 - 1e-5) / 2, JavadocSnippets.schedule(sgd, 10), 1e-12);
  }

  @Test
  void checkpointRoundTripsParametersAndOptimizer(@TempDir Path dir) throws IOException {
    float[][] params = {{1f, 2f}, {3f}};
    Adam adam = new Adam(0.1);
    adam.step(params, new float[][] {{1f, -1f}, {2f}});
    float[][] after = {params[0].clone(), params[1].clone()};
    Checkpoint c = JavadocSnippets.checkpoint(params, adam, 1, adam.steps(), dir);
    assertEquals(1, c.epoch());
    assertEquals(1, c.step());
    assertEquals("64-10", c.metadata().get("layers"));
    assertArrayEquals(after[0], params[0]);
    assertEquals(1, adam.steps());
  }

  @Test
  void trainerLearnsTheDigitsAndCreatesItsFolders(@TempDir Path dir) throws IOException {
    Path run = dir.resolve("runs/first");   // does not exist yet
    TrainingResult result = JavadocSnippets.trainer(run);
    assertEquals(3, result.history().size());
    assertTrue(result.history().get(2).testAccuracy() > 0.9, result.toString());
    assertTrue(Files.size(run.resolve("model.ckpt")) > 0);
    assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size());
  }

  @Test
  void trainingStepsOfOneFullBatchPerEpochLearnTheDigits() throws IOException {
    Dataset.Split s = JavadocSnippets.digits();
    float[][] w = new float[Digits.CLASSES][Digits.FEATURES];
    float[] b = new float[Digits.CLASSES];
    TrainingResult result = JavadocSnippets.trainingSteps(s.train(), w, b);
    assertEquals(30, result.steps());
    float loss = Model.loss(w, b, s.train().features(), s.train().labels());
    assertTrue(loss < 0.5 * Math.log(Digits.CLASSES), "full-batch loss after 30 steps " + loss);
  }

  @Test
  void gradientStepRunsOneUpdatePerBatch() {
    Dataset.Split s = JavadocSnippets.digits();
    float[][] w = new float[Digits.CLASSES][Digits.FEATURES];
    float[] b = new float[Digits.CLASSES];
    float before = Model.loss(w, b, s.train().features(), s.train().labels());
    GradientStep step = JavadocSnippets.gradientStep(s.train(), w, b);
    assertEquals((s.train().size() + 63) / 64, step.optimizer().steps());
    float after = Model.loss(w, b, s.train().features(), s.train().labels());
    // 23 Adam steps of 1e-3 from zero weights: 2.303 -> 2.172.
    assertTrue(after < before - 0.1f, before + " -> " + after);
  }

  @Test
  void accumulatingLossAddsIntoTheAccumulator() {
    Case c = new Case(4);
    ModelGrad.LossAccumulator[] gradient = new ModelGrad.LossAccumulator[1];
    AccumulatingLoss loss = JavadocSnippets.accumulatingLoss(c.w, c.b, gradient);
    int n = c.labels.length;
    double twice = loss.lossAndGradient(c.x, c.labels, n) + loss.lossAndGradient(c.x, c.labels, n);
    ModelGrad.Loss g = ModelGrad.loss(c.w, c.b, c.x, c.labels);
    assertEquals(2 * g.value(), twice, 1e-6);
    for (int i = 0; i < c.b.length; i++) {
      assertEquals(2 * g.b()[i], gradient[0].b[i], 1e-6, "added twice, b[" + i + "]");
    }
  }

  @Test
  void shuffleGivesTheBatchersOrderAndAnotherForAnotherPart() {
    Dataset.Split s = JavadocSnippets.digits();
    int[][] orders = JavadocSnippets.shuffle(s.train(), 1, 3);
    Batcher batcher = new Batcher(s.train(), 1, 42);
    batcher.startEpoch(3);
    for (int i = 0; i < 50; i++) {
      batcher.fill(i);
      assertEquals(batcher.exampleIndex(0), orders[0][i], "example " + i);
    }
    assertFalse(Arrays.equals(orders[0], orders[1]));
    int[] sorted = orders[1].clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
  }

  @Test
  void batchLossAddsTheGradientIntoTheTrainersArrays() {
    Case c = new Case(3);
    BatchLoss loss = JavadocSnippets.batchLoss(c.w, c.b);
    float[][] grads = new float[c.w.length + 1][];
    for (int i = 0; i < c.w.length; i++) {
      grads[i] = new float[c.w[i].length];
    }
    grads[c.w.length] = new float[c.b.length];
    int n = c.labels.length;
    double value = loss.lossAndGradient(c.x, c.labels, n, grads);
    ModelGrad.Loss g = ModelGrad.loss(c.w, c.b, c.x, c.labels);
    assertEquals(g.value(), value, 0);
    for (int i = 0; i < c.w.length; i++) {
      assertArrayEquals(g.w()[i], grads[i], "row " + i);
    }
    assertArrayEquals(g.b(), grads[c.w.length]);
  }

  @Test
  void digitsSplitAndBatcherTrains() {
    Dataset.Split s = JavadocSnippets.digits();
    assertEquals(Digits.EXAMPLES, s.train().size() + s.test().size());
    float[][] w = new float[Digits.CLASSES][Digits.FEATURES];
    float[] b = new float[Digits.CLASSES];
    float before = (float) Math.log(Digits.CLASSES);   // uniform predictions
    float after = JavadocSnippets.batcher(s.train(), w, b);
    assertTrue(after < 0.7f * before, before + " -> " + after);   // the last batch's loss
  }

  @Test
  void mnistNamesTheMissingFolder(@TempDir Path dir) {
    assertThrows(NoSuchFileException.class, () -> JavadocSnippets.mnist(dir.resolve("none")));
  }

  @Test
  void gradCheckPassesTheNeuronAndTheModel() {
    GradCheck.Report r = JavadocSnippets.gradCheck(2, 1, 1, 4);
    assertEquals(-1.0, r.analytic()[0], 1e-12);
    Case c = new Case(5);
    GradCheck.Report m = JavadocSnippets.gradCheckArrays(c.w, c.b, c.x, c.labels);
    assertEquals(c.w.length * c.w[0].length + c.b.length, m.analytic().length);
    assertTrue(m.passes(GradCheck.FLOAT_TOLERANCE), m.toString());
  }

  @Test
  void hessiansOfTheBowlIsItsClosedForm() {
    double[][] h = JavadocSnippets.hessian(new double[] {1.5, -2});
    assertArrayEquals(new double[] {-4, 3}, h[0], 1e-12);
    assertArrayEquals(new double[] {3, 6}, h[1], 1e-12);
  }

  @Test
  void scratchGivesAZeroedBufferEachTime() {
    float[] z = {-1f, 2f, 0.5f};
    float[] seed = {3f, 4f, 5f};
    assertArrayEquals(new float[] {0f, 4f, 5f}, JavadocSnippets.scratch(z, seed));
    assertArrayEquals(new float[] {0f, 4f, 5f}, JavadocSnippets.scratch(z, seed));
  }

  /** A random batch of 8 rows for a 6-input, 3-class model. */
  private static final class Case {
    final float[][] w = new float[3][6];
    final float[] b = new float[3];
    final float[] x = new float[8 * 6];
    final int[] labels = new int[8];

    Case(long seed) {
      Random r = new Random(seed);
      for (float[] row : w) {
        Init.normal(row, 0.5, r.nextLong());
      }
      Init.normal(b, 0.5, r.nextLong());
      Init.normal(x, 1, r.nextLong());
      for (int i = 0; i < labels.length; i++) {
        labels[i] = r.nextInt(3);
      }
    }
  }

  /** {@code // snippet: Name} ... {@code // end} regions, their common indentation removed. */
  private static Map<String, List<String>> snippets(List<String> lines) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Pattern start = Pattern.compile("\\s*// snippet: (\\S+)");
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = start.matcher(lines.get(i));
      if (m.matches()) {
        List<String> body = new ArrayList<>();
        int j = i + 1;
        while (!lines.get(j).strip().equals("// end")) {
          body.add(lines.get(j++));
        }
        out.put(m.group(1), dedent(body));
        i = j;
      }
    }
    return out;
  }

  /** The {@code <pre>{@code ... }</pre>} blocks of a source file, without the comment stars. */
  private static List<List<String>> javadocBlocks(List<String> lines) {
    List<List<String>> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("* <pre>{@code")) {
        List<String> body = new ArrayList<>();
        int j = i + 1;
        while (!lines.get(j).strip().equals("* }</pre>")) {
          String l = lines.get(j++).strip();
          body.add(l.equals("*") ? "" : l.substring(2));
        }
        blocks.add(dedent(body));
        i = j;
      }
    }
    return blocks;
  }

  private static List<String> dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.isBlank() ? "" : l.substring(indent).stripTrailing());
    }
    return out;
  }

}
