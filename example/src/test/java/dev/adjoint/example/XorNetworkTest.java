package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seed 004, second half: the XOR multilayer perceptron trained with the generated gradient. */
class XorNetworkTest {
  private static final double[][] X = XorNetwork.inputs();
  private static final double[] Y = XorNetwork.targets();

  /** Parameters with standard normal entries: further from zero than the PyTorch default. */
  private static XorNetwork.Parameters gaussian(Random random) {
    double[] v = new double[XorNetwork.Parameters.COUNT];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian();
    }
    return XorNetwork.Parameters.fromVector(v);
  }

  private static double[] generatedGradient(XorNetwork.Parameters p) {
    XorNetworkGrad.LossAccumulator g = p.zeroGradient();
    p.addGradient(g);
    return XorNetwork.Parameters.vectorOf(g);
  }

  @Test
  void gradientMatchesFiniteDifferencesAtRandomWeights() {
    Random random = new Random(2024);
    for (int trial = 0; trial < 4; trial++) {
      XorNetwork.Parameters p = trial % 2 == 0
          ? XorNetwork.Parameters.initial(random) : gaussian(random);
      GradCheck.Report r = GradCheck.assertGradient(
          (double[] v) -> XorNetwork.Parameters.fromVector(v).loss(), p.toVector(),
          generatedGradient(p));
      assertEquals(XorNetwork.Parameters.COUNT, r.numerical().length);
    }
  }

  @Test
  void generatedGradientEqualsHandWrittenBackpropagation() {
    Random random = new Random(4);
    for (int trial = 0; trial < 6; trial++) {
      XorNetwork.Parameters p = trial % 2 == 0
          ? XorNetwork.Parameters.initial(random) : gaussian(random);
      double[] value = new double[1];
      double[] expected = HandBackprop.gradient(p, X, Y, value);
      XorNetworkGrad.LossAccumulator g = p.zeroGradient();
      double loss = p.addGradient(g);
      double[] actual = XorNetwork.Parameters.vectorOf(g);
      assertEquals(value[0], loss, 1e-14 * value[0], "loss, trial " + trial);
      for (int i = 0; i < expected.length; i++) {
        double scale = Math.max(Math.abs(expected[i]), Math.abs(actual[i]));
        assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-10 * scale,
            "trial " + trial + ", parameter " + i + ": hand " + expected[i]
                + ", generated " + actual[i]);
      }
    }
  }

  @Test
  void recordFormEqualsAccumulatingForm() {
    XorNetwork.Parameters p = XorNetwork.Parameters.initial(new Random(5));
    XorNetwork.Parameters before = p.copy();
    XorNetworkGrad.Loss record =
        XorNetworkGrad.loss(p.w1(), p.b1(), p.w2(), p.b2(), p.w3(), p.b3(), p.w4(), p.b4(), X, Y);
    XorNetworkGrad.LossAccumulator g = p.zeroGradient();
    double value = p.addGradient(g);
    assertEquals(p.loss(), value, 0.0);
    assertEquals(value, record.value(), 0.0);
    assertArrayEquals(XorNetwork.Parameters.vectorOf(g), new XorNetwork.Parameters(record.w1(),
        record.b1(), record.w2(), record.b2(), record.w3(), record.b3(), record.w4(),
        record.b4()).toVector(), 0.0);
    assertEquals(before, p, "the generated gradient must not modify its inputs");
  }

  @Test
  void accumulatingFormAddsAndClearResets() {
    XorNetwork.Parameters p = XorNetwork.Parameters.initial(new Random(6));
    XorNetworkGrad.LossAccumulator g = p.zeroGradient();
    p.addGradient(g);
    double[] once = XorNetwork.Parameters.vectorOf(g);
    p.addGradient(g);
    double[] twice = XorNetwork.Parameters.vectorOf(g);
    for (int i = 0; i < once.length; i++) {
      assertEquals(2 * once[i], twice[i], 1e-15 * Math.abs(once[i]), "parameter " + i);
    }
    g.clear();
    assertArrayEquals(new double[once.length], XorNetwork.Parameters.vectorOf(g), 0.0);
    p.addGradient(g);
    assertArrayEquals(once, XorNetwork.Parameters.vectorOf(g), 0.0);
  }

  @Test
  void lossIsMeanBinaryCrossEntropyOfPredictions() {
    XorNetwork.Parameters p = gaussian(new Random(7));
    double sum = 0;
    for (int n = 0; n < X.length; n++) {
      double out = XorNetwork.predict(p, X[n]);
      sum += -(Y[n] * Math.log(out) + (1 - Y[n]) * Math.log(1 - out));
    }
    assertEquals(sum / X.length, p.loss(), 1e-15);
  }

  @Test
  void lossDecreasesAtEveryStepOfTheFirstThousandEpochs() {
    XorNetwork.Training t =
        XorNetwork.train(XorNetwork.Parameters.initial(), 1000, XorNetwork.LEARNING_RATE, 1);
    for (int e = 1; e < t.costs().length; e++) {
      assertTrue(t.costs()[e] < t.costs()[e - 1], "epoch " + e + ": " + t.costs()[e]);
    }
    assertTrue(t.finalCost() < t.costs()[0]);
  }

  @Test
  void trainingAsInTheSeedSolvesXor() {
    XorNetwork.Parameters p = XorNetwork.Parameters.initial();
    XorNetwork.Training t =
        XorNetwork.train(p, XorNetwork.EPOCHS, XorNetwork.LEARNING_RATE, 1000);
    assertEquals(11, t.epochs().length);
    assertEquals(10_000, t.epochs()[10]);
    assertTrue(t.costs()[0] > 0.69, t.toString());
    assertTrue(t.costs()[10] < 0.01, t.toString());
    assertTrue(t.finalCost() <= t.costs()[10], t.toString());
    for (int n = 0; n < X.length; n++) {
      double out = XorNetwork.predict(p, X[n]);
      assertEquals(Y[n], Math.round(out), "input " + n + ": " + out);
      assertEquals(Y[n], out, 0.01, "input " + n);
    }
  }

  @Test
  void otherInitialWeightsSolveXorToo() {
    for (long seed = 1; seed <= 3; seed++) {
      XorNetwork.Parameters p = XorNetwork.Parameters.initial(new Random(seed));
      XorNetwork.Training t =
          XorNetwork.train(p, XorNetwork.EPOCHS, XorNetwork.LEARNING_RATE, 1000);
      assertTrue(t.finalCost() < 0.01, "seed " + seed + "\n" + t);
      for (int n = 0; n < X.length; n++) {
        assertEquals(Y[n], Math.round(XorNetwork.predict(p, X[n])), "seed " + seed);
      }
    }
  }

  @Test
  void trainingIsDeterministic() {
    XorNetwork.Training a =
        XorNetwork.train(XorNetwork.Parameters.initial(), 500, XorNetwork.LEARNING_RATE, 100);
    XorNetwork.Training b =
        XorNetwork.train(XorNetwork.Parameters.initial(), 500, XorNetwork.LEARNING_RATE, 100);
    assertEquals(a, b);
  }

  @Test
  void vectorRoundTrip() {
    XorNetwork.Parameters p = gaussian(new Random(8));
    assertEquals(261, XorNetwork.Parameters.COUNT);
    assertEquals(p, XorNetwork.Parameters.fromVector(p.toVector()));
    assertEquals(p.w1()[3][1], p.toVector()[3 * 2 + 1], 0.0);
    assertEquals(p.b4()[0], p.toVector()[260], 0.0);
  }

  @Test
  void initialWeightsFollowTheNnLinearDefault() {
    XorNetwork.Parameters p = XorNetwork.Parameters.initial(new Random(9));
    assertWithin(p.w1(), 1 / Math.sqrt(2));
    assertWithin(new double[][] {p.b1()}, 1 / Math.sqrt(2));
    assertWithin(p.w2(), 1 / Math.sqrt(10));
    assertWithin(new double[][] {p.b3()}, 1 / Math.sqrt(10));
    assertWithin(p.w4(), 1 / Math.sqrt(10));
    assertEquals(1, p.w4().length);
    assertEquals(1, p.b4().length);
  }

  private static void assertWithin(double[][] a, double bound) {
    for (double[] row : a) {
      for (double v : row) {
        assertTrue(Math.abs(v) <= bound, v + " outside +-" + bound);
      }
    }
  }

  @Test
  void reportAgreesWithTheSeed() {
    SeedTable table = XorNetwork.report();
    assertEquals(List.of(), table.mismatches(), table.render());
    assertEquals(19, table.rows().size());
  }
}
