package dev.adjoint.example.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import dev.adjoint.train.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train command end to end on the built-in digits, and the generated model gradients. */
class TrainTest {
  @TempDir Path out;

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  @Test
  void trainsTheDigitsAboveNinetyPercent() throws Exception {
    Train.Options o = Train.Options.parse(List.of("--epochs", "10", "--out", out.toString()));
    TrainingResult result = Train.run(o, quiet());
    assertTrue(result.last().testAccuracy() >= 0.90, "accuracy " + result.last().testAccuracy());
    assertTrue(Files.size(out.resolve("metrics.png")) > 1000);
    assertEquals(11, Files.readAllLines(out.resolve("metrics.csv")).size());
    assertTrue(Files.exists(out.resolve("checkpoint.bin")));
  }

  @Test
  void theLoopModelTrainsToo() throws Exception {
    Train.Options o = Train.Options.parse(List.of("--epochs", "5", "--model", "loops",
        "--out", out.toString()));
    assertTrue(Train.run(o, quiet()).last().testAccuracy() >= 0.85);
  }

  @Test
  void sameSeedSameThreadsSameResult() throws Exception {
    Train.Options a = Train.Options.parse(List.of("--epochs", "3", "--out",
        out.resolve("a").toString()));
    Train.Options b = Train.Options.parse(List.of("--epochs", "3", "--out",
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
  void badOptionsAreClearErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Train.Options.parse(List.of("--dataset", "mnist")));
    assertTrue(e.getMessage().contains("needs --data DIR"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Train.Options.parse(List.of("--epochs", "ten")));
    assertTrue(e.getMessage().contains("needs a number"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Train.Options.parse(List.of("--frobnicate", "1")));
    assertTrue(e.getMessage().contains("unknown option --frobnicate"), e.getMessage());
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
