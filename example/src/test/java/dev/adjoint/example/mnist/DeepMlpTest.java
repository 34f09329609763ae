package dev.adjoint.example.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The any-depth loss: its generated gradient, and its agreement with the other models. */
class DeepMlpTest {
  private static final int BATCH = 4;
  /** Two hidden layers. */
  private static final int[] WIDTHS = {6, 5, 4, 3};
  /**
   * Tighter than {@link GradCheck#FLOAT_TOLERANCE}: the gradients here are of order 0.1, so the
   * default's absolute 2e-2 would let a wrong one through.
   */
  private static final double TOLERANCE = 2e-3;

  private record Case(float[][] params, float[] x, int[] y) {}

  private static Case randomCase(int[] widths, long seed) {
    Random r = new Random(seed);
    float[][] p = new Network(widths, Activation.RELU).newParameters(seed);
    for (float[] a : p) {
      for (int i = 0; i < a.length; i++) {
        a[i] += (float) r.nextGaussian() * 0.3f; // biases too, not just the initial zeros
      }
    }
    float[] x = new float[BATCH * widths[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return new Case(p, x, r.ints(BATCH, 0, widths[widths.length - 1]).toArray());
  }

  private static float loss(Case c, int[] widths, Activation a) {
    float[][] p = c.params();
    return DeepMlp.loss(new float[][] {p[0], p[2], p[4]}, new float[][] {p[1], p[3], p[5]},
        c.x(), c.y(), BATCH, widths, a.code());
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void twoHiddenLayersMatchFiniteDifferences(Activation activation) {
    // A point where no ReLU input lies within the difference step of 0 (a kink).
    Case c = randomCase(WIDTHS, 12);
    float[][] p = c.params();
    DeepMlpGrad.Loss g = DeepMlpGrad.loss(new float[][] {p[0], p[2], p[4]},
        new float[][] {p[1], p[3], p[5]}, c.x(), c.y(), BATCH, WIDTHS, activation.code());
    assertEquals(loss(c, WIDTHS, activation), g.value(), 0f);
    float[][] analytic = {g.w()[0], g.b()[0], g.w()[1], g.b()[1], g.w()[2], g.b()[2]};
    double largest = 0;
    for (int k = 0; k < p.length; k++) {
      int which = k;
      double[] expected = toDouble(analytic[k]);
      GradCheck.Report report = GradCheck.compare((GradCheck.FloatFunction) v -> {
        float[] saved = p[which];
        p[which] = v;
        try {
          return loss(c, WIDTHS, activation);
        } finally {
          p[which] = saved;
        }
      }, p[k], expected);
      assertTrue(report.passes(TOLERANCE), activation + " parameter " + k + "\n" + report);
      for (double d : expected) {
        largest = Math.max(largest, Math.abs(d));
      }
    }
    assertTrue(largest > 0.05, "the check saw gradients of size " + largest);
  }

  @Test
  void oneHiddenReluLayerIsBitForBitTheOneLayerModel() {
    int[] widths = {7, 6, 4};
    Case c = randomCase(widths, 3);
    float[][] p = c.params();
    MlpGrad.Loss one = MlpGrad.loss(p[0], p[1], p[2], p[3], c.x(), c.y(), BATCH, 7, 6, 4);
    DeepMlpGrad.Loss deep = DeepMlpGrad.loss(new float[][] {p[0], p[2]},
        new float[][] {p[1], p[3]}, c.x(), c.y(), BATCH, widths, Activation.RELU.code());
    assertEquals(one.value(), deep.value(), 0f);
    assertArrayEquals(one.w1(), deep.w()[0], 0f);
    assertArrayEquals(one.b1(), deep.b()[0], 0f);
    assertArrayEquals(one.w2(), deep.w()[1], 0f);
    assertArrayEquals(one.b2(), deep.b()[1], 0f);
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void predictionsUseTheTrainedFunction(Activation activation) {
    Network net = new Network(WIDTHS, activation);
    Case c = randomCase(WIDTHS, 5);
    int[] predictions = new int[BATCH];
    double evaluated = MlpTraining.evaluator(net, c.params())
        .lossAndPredictions(c.x(), c.y(), BATCH, predictions);
    assertEquals(loss(c, WIDTHS, activation), evaluated, 1e-5);
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
