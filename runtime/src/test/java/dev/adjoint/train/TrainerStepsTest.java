package dev.adjoint.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Adam;
import dev.adjoint.optim.Parameters;
import dev.adjoint.optim.Scalar;
import dev.adjoint.optim.Sgd;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Parameters form of the trainer, steps driven from outside, and {@link GradientStep}. */
class TrainerStepsTest {
  @TempDir Path dir;

  @Test
  void parametersAndAnAccumulatingLossTrainBitForBitAsTheArrayForm() throws IOException {
    Logistic arrays = new Logistic();
    TrainingResult a = Trainer.builder()
        .parameters(arrays.params())
        .loss(arrays::lossAndGradient)
        .optimizer(new Adam(0.05))
        .trainData(Logistic.data(250, 32, 1, 7L))
        .epochs(4)
        .checkpoint(dir.resolve("a.ckpt"))
        .progress(ProgressMode.NONE)
        .build().fit();

    Logistic model = new Logistic();
    float[][] grads = {new float[2], new float[1]};
    Parameters params = Parameters.builder().add(model.w, grads[0]).add(model.b, grads[1]).build();
    TrainingResult p = Trainer.builder()
        .parameters(params)
        .loss((x, y, n) -> model.lossAndGradient(x, y, n, grads))
        .optimizer(new Adam(0.05))
        .trainData(Logistic.data(250, 32, 1, 7L))
        .epochs(4)
        .checkpoint(dir.resolve("p.ckpt"))
        .progress(ProgressMode.NONE)
        .build().fit();

    assertArrayEquals(arrays.w, model.w);
    assertArrayEquals(arrays.b, model.b);
    assertEquals(a.steps(), p.steps());
    assertEquals(a.history().get(3).trainLoss(), p.history().get(3).trainLoss());
    Checkpoint c = Checkpoint.load(dir.resolve("p.ckpt"));
    assertArrayEquals(model.w, c.parameters()[0]);
    assertEquals(4 * 8, c.optimizer().steps());
  }

  @Test
  void doubleParametersTrainAndCannotBeCheckpointed() throws IOException {
    // Least squares y = 3 x - 1 in double, a scalar slope and intercept.
    Scalar slope = new Scalar(0);
    Scalar intercept = new Scalar(0);
    Parameters params = Parameters.builder().add(slope).add(intercept).build();
    ArrayBatches data = lineData();
    AccumulatingLoss loss = (x, y, n) -> {
      double total = 0;
      for (int i = 0; i < n; i++) {
        double error = slope.value() * x[i] + intercept.value() - y[i];
        total += error * error / n;
        slope.setGrad(slope.grad() + 2 * error * x[i] / n);
        intercept.setGrad(intercept.grad() + 2 * error / n);
      }
      return total;
    };
    TrainingResult r = Trainer.builder().parameters(params).loss(loss).optimizer(new Sgd(0.05))
        .trainData(data).epochs(40).progress(ProgressMode.NONE).build().fit();
    assertEquals(3, slope.value(), 1e-3, r.toString());
    assertEquals(-1, intercept.value(), 1e-3);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Trainer.builder().parameters(params).loss(loss).optimizer(new Sgd(0.05))
            .trainData(data).epochs(1).checkpoint(dir.resolve("c")).build());
    assertTrue(e.getMessage().contains("checkpoints hold float parameters"), e.getMessage());
  }

  @Test
  void mismatchedFormsAndMissingPartsAreNamed() {
    Logistic model = new Logistic();
    Parameters params = Parameters.of(model.params(), new float[][] {new float[2], new float[1]});
    IllegalStateException batchLoss = assertThrows(IllegalStateException.class,
        () -> Trainer.builder().parameters(params).loss(model::lossAndGradient)
            .optimizer(new Sgd(0.1)).trainData(Logistic.data(10, 5, 1, null)).epochs(1).build());
    assertTrue(batchLoss.getMessage().contains("AccumulatingLoss"), batchLoss.getMessage());

    TrainingSteps steps = new TrainingSteps() {
      public int beginEpoch(int epoch) {
        return 1;
      }

      public StepResult step(int step) {
        return StepResult.of(0, 1);
      }
    };
    IllegalStateException both = assertThrows(IllegalStateException.class,
        () -> Trainer.builder().parameters(model.params()).loss(model::lossAndGradient)
            .steps(steps).optimizer(new Sgd(0.1)).epochs(1).build());
    assertTrue(both.getMessage().contains("one or the other"), both.getMessage());

    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> Trainer.builder().parameters(model.params()).steps(steps).build());
    assertEquals("Trainer.Builder is missing optimizer, epochs", missing.getMessage());
  }

  @Test
  void stepsFromOutsideAreCheckpointedAndADivergenceIsNamed() throws IOException {
    Logistic model = new Logistic();
    Sgd sgd = new Sgd(0.5);
    GradientStep update = new GradientStep(model.params(), sgd);
    ArrayBatches data = Logistic.data(64, 64, 1, null);
    float[] x = new float[128];
    int[] y = new int[64];
    TrainingSteps twoPerEpoch = new TrainingSteps() {
      public int beginEpoch(int epoch) {
        return 2;
      }

      public StepResult step(int step) {
        int n = data.fill(0, x, y);
        return update.run(n, () -> model.lossAndGradient(x, y, n, update.gradients()));
      }
    };
    TrainingResult r = Trainer.builder().parameters(model.params()).optimizer(sgd)
        .steps(twoPerEpoch).epochs(3).schedule(epoch -> 0.5 / (epoch + 1))
        .checkpoint(dir.resolve("s.ckpt")).progress(ProgressMode.NONE).build().fit();
    assertEquals(6, r.steps());
    assertEquals(0.5 / 3, r.history().get(2).learningRate(), 1e-15);
    assertEquals(6, Checkpoint.load(dir.resolve("s.ckpt")).optimizer().steps());
    assertTrue(r.history().get(2).trainLoss() < r.history().get(0).trainLoss());

    float[] before = model.w.clone();
    GradientStep nan = new GradientStep(model.params(), sgd);
    StepResult diverged = nan.run(3, () -> Double.NaN);
    assertTrue(diverged.diverged());
    assertEquals("loss is NaN", diverged.divergence());
    StepResult inf = nan.run(3, () -> {
      nan.gradients()[1][0] = Float.POSITIVE_INFINITY;
      return 0.5;
    });
    assertEquals("gradient of parameter 1 is Infinity at index 0 (loss 0.5)", inf.divergence());
    assertArrayEquals(before, model.w);
    assertEquals(6, sgd.steps());
  }

  private static ArrayBatches lineData() {
    int n = 40;
    float[] x = new float[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = i % 5 - 2;
      y[i] = (int) (3 * x[i] - 1);   // labels are ints: whole-number points on the line
    }
    return new ArrayBatches(x, y, 1, 8, 3L);
  }
}
