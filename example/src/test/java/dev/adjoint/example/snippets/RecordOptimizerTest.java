package dev.adjoint.example.snippets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Adam;
import dev.adjoint.optim.Momentum;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Parameters;
import dev.adjoint.optim.Scalar;
import dev.adjoint.optim.Sgd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Optimizers on model records with the gradients Adjoint generates for them: the record step
 * equals, bit for bit, the step on the same arrays and scalar holders, and fits what it should.
 */
class RecordOptimizerTest {
  /** Five rows of two features and y = 2 x0 - x1 + 0.5. */
  private static final double[] X = {0, 1, 1, 0, 2, 1, -1, 3, 0.5, -2};
  private static final double[] Y = new double[5];

  static {
    for (int r = 0; r < 5; r++) {
      Y[r] = 2 * X[2 * r] - X[2 * r + 1] + 0.5;
    }
  }

  @Test
  void theJavadocsLineFitsTheData() {
    Line fit = JavadocSnippets.line(X, Y, 3000);
    assertArrayEquals(new double[] {2, -1}, fit.w(), 1e-3);
    assertEquals(0.5, fit.b(), 1e-3);
    assertTrue(fit.loss(X, Y) < 1e-6, "loss " + fit.loss(X, Y));
  }

  @Test
  void aRecordStepWithTheAccumulatorIsTheStepOnItsArrayAndScalarBitForBit() {
    Optimizer[][] pairs = {
      {new Sgd(0.05), new Sgd(0.05)},
      {new Momentum(0.02, 0.9), new Momentum(0.02, 0.9)},
      {new Adam(0.05), new Adam(0.05)}};
    for (Optimizer[] pair : pairs) {
      Line model = new Line(new double[] {0.3, -0.2}, 0.1);
      LineGrad.LossAccumulator gradient = LineGrad.LossAccumulator.zerosLike(model);
      double[] w = model.w().clone();
      Scalar b = new Scalar(model.b());
      double[] dW = new double[2];
      Parameters flat = Parameters.builder().add(w, dW).add(b).build();
      for (int step = 0; step < 40; step++) {
        gradient.clear();
        LineGrad.loss(model, X, Y, gradient);
        model = pair[0].step(model, gradient.self);

        LineGrad.Loss g = LineGrad.loss(new Line(w, b.value()), X, Y);   // the record form
        System.arraycopy(g.self().w(), 0, dW, 0, 2);
        b.setGrad(g.self().b());
        pair[1].step(flat);

        assertArrayEquals(w, model.w(), pair[0] + " step " + step);
        assertEquals(Double.doubleToLongBits(b.value()), Double.doubleToLongBits(model.b()),
            pair[0] + " step " + step);
      }
      assertTrue(model.loss(X, Y) < new Line(new double[] {0.3, -0.2}, 0.1).loss(X, Y));
    }
  }

  @Test
  void aModelRecordOfArraysStepsInPlaceAsParametersOfIt() {
    Random r = new Random(17);
    float[][] w = new float[3][6];
    float[] b = new float[3];
    float[] x = new float[8 * 6];
    int[] labels = new int[8];
    for (float[] row : w) {
      for (int k = 0; k < row.length; k++) {
        row[k] = (float) (0.5 * r.nextGaussian());
      }
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(3);
    }
    Classifier model = new Classifier(w, b);
    Classifier twin = new Classifier(
        new float[][] {w[0].clone(), w[1].clone(), w[2].clone()}, b.clone());
    float before = model.loss(x, labels);
    Adam onRecord = new Adam(0.05);
    Adam onParameters = new Adam(0.05);
    ClassifierGrad.LossAccumulator gradient = ClassifierGrad.LossAccumulator.zerosLike(twin);
    Parameters params = Parameters.of(twin, gradient.self);
    for (int step = 0; step < 20; step++) {
      ClassifierGrad.Loss g = ClassifierGrad.loss(model, x, labels);
      assertSame(model, onRecord.step(model, g.self()));
      gradient.clear();
      ClassifierGrad.loss(twin, x, labels, gradient);
      onParameters.step(params);
      for (int c = 0; c < 3; c++) {
        assertArrayEquals(twin.w()[c], model.w()[c], "step " + step + ", w[" + c + "]");
      }
      assertArrayEquals(twin.b(), model.b(), "step " + step);
    }
    assertTrue(model.loss(x, labels) < before - 0.1f, before + " -> " + model.loss(x, labels));
  }
}
