package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seed 004: forward pass, backpropagation and one update of the 2-2-2 sigmoid network. */
class TwoLayerNetworkTest {
  /** Half a unit in the 8th decimal: the seed's printed precision. */
  private static final double PRINTED = 5e-9;

  private static final TwoLayerNetwork.Weights W = TwoLayerNetwork.INITIAL;

  @Test
  void forwardPassAsPrintedBySeed() {
    TwoLayerNetwork.Forward f = TwoLayerNetwork.forward(W);
    assertEquals(0.08, f.z1(), 1e-15);
    assertEquals(0.11, f.z2(), 1e-15);
    assertEquals(0.51998934, f.h1(), PRINTED);
    assertEquals(0.52747230, f.h2(), PRINTED);
    assertEquals(0.44498412, f.z3(), PRINTED);
    assertEquals(0.68047592, f.z4(), PRINTED);
    assertEquals(0.60944600, f.o1(), PRINTED);
    assertEquals(0.66384491, f.o2(), PRINTED);
    assertEquals(0.02193381, f.errorO1(), PRINTED);
    assertEquals(0.00203809, f.errorO2(), PRINTED);
    assertEquals(0.02397190, f.total(), PRINTED);
    assertEquals(f.total(), W.loss(), 0.0);
    assertEquals(f.total(), W.gradient().value(), 1e-17);
  }

  @Test
  void backwardTermsAsPrintedBySeed() {
    TwoLayerNetwork.Forward f = TwoLayerNetwork.forward(W);
    assertEquals(0.20944600, TwoLayerNetworkGrad.halfSquaredError(f.o1(), 0.4).output(), PRINTED);
    assertEquals(0.23802157, ActivationsGrad.sigmoid(f.z3()).z(), PRINTED);
    assertEquals(0.02243370,
        TwoLayerNetworkGrad.outputError(f.h1(), f.h2(), 0.45, 0.4, 0.4).h1(), PRINTED);
    assertEquals(0.00997311,
        TwoLayerNetworkGrad.outputError(f.h1(), f.h2(), 0.7, 0.6, 0.6).h1(), PRINTED);
    assertEquals(0.03240681,
        TwoLayerNetworkGrad.outputLoss(f.h1(), f.h2(), 0.45, 0.4, 0.7, 0.6, 0.4, 0.6).h1(),
        PRINTED);
    assertEquals(0.24960043, ActivationsGrad.sigmoid(f.z1()).z(), PRINTED);

    TwoLayerNetworkGrad.Loss g = W.gradient();
    assertEquals(0.02592286, g.w5(), PRINTED);
    assertEquals(0.00080888, g.w1(), PRINTED);
  }

  @Test
  void updatedWeightsAsPrintedBySeed() {
    TwoLayerNetwork.Weights next = W.step(W.gradient(), TwoLayerNetwork.LEARNING_RATE);
    assertEquals(0.43703857, next.w5(), PRINTED);
    assertEquals(0.29959556, next.w1(), PRINTED);
    assertEquals(0.24919112, next.w2(), PRINTED);
    assertEquals(0.39964496, next.w3(), PRINTED);
    assertEquals(0.34928991, next.w4(), PRINTED);
  }

  @Test
  void errorDecreasesAfterTheUpdateAndKeepsDecreasing() {
    TwoLayerNetwork.Weights w = W;
    double previous = w.loss();
    for (int step = 0; step < 200; step++) {
      w = w.step(w.gradient(), TwoLayerNetwork.LEARNING_RATE);
      double now = w.loss();
      assertTrue(now < previous, "E_total must fall at step " + step);
      previous = now;
    }
    assertTrue(previous < 0.5 * W.loss());
  }

  @Test
  void generatedGradientEqualsHandWrittenBackpropagation() {
    Random random = new Random(4);
    for (int trial = 0; trial < 20; trial++) {
      double[] w = new double[8];
      for (int i = 0; i < 8; i++) {
        w[i] = random.nextGaussian();
      }
      double[] expected = handBackprop(w);
      double[] actual = TwoLayerNetwork.partials(TwoLayerNetwork.Weights.of(w).gradient());
      assertArrayEquals(expected, actual, 1e-13, "weights " + Arrays.toString(w));
    }
  }

  @Test
  void sigmoidDerivativeIsYTimesOneMinusY() {
    for (double z = -30; z <= 30; z += 0.25) {
      double y = Activations.sigmoid(z);
      ActivationsGrad.Sigmoid g = ActivationsGrad.sigmoid(z);
      assertEquals(y, g.value(), 0.0);
      assertEquals(y * (1 - y), g.z(), 1e-14, "z = " + z);
    }
  }

  @Test
  void gradientCheckPasses() {
    GradCheck.Report r = GradCheck.assertGradient((double[] v) -> TwoLayerNetwork.Weights.of(v)
        .loss(), W.toArray(), TwoLayerNetwork.partials(W.gradient()));
    assertEquals(8, r.numerical().length);
  }

  @Test
  void reportAgreesWithTheSeed() {
    SeedTable table = TwoLayerNetwork.report();
    assertEquals(List.of(), table.mismatches());
    assertEquals(37, table.rows().size());
  }

  /** The seed's backpropagation written out by hand: output deltas, then hidden deltas. */
  private static double[] handBackprop(double[] w) {
    double x1 = TwoLayerNetwork.X1;
    double x2 = TwoLayerNetwork.X2;
    double h1 = sigmoid(w[0] * x1 + w[1] * x2);
    double h2 = sigmoid(w[2] * x1 + w[3] * x2);
    double o1 = sigmoid(w[4] * h1 + w[5] * h2);
    double o2 = sigmoid(w[6] * h1 + w[7] * h2);
    double delta3 = -(TwoLayerNetwork.TARGET1 - o1) * o1 * (1 - o1);
    double delta4 = -(TwoLayerNetwork.TARGET2 - o2) * o2 * (1 - o2);
    double delta1 = (delta3 * w[4] + delta4 * w[6]) * h1 * (1 - h1);
    double delta2 = (delta3 * w[5] + delta4 * w[7]) * h2 * (1 - h2);
    return new double[] {
      delta1 * x1, delta1 * x2, delta2 * x1, delta2 * x2,
      delta3 * h1, delta3 * h2, delta4 * h1, delta4 * h2,
    };
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
