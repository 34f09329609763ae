package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed 000: the single neuron's hand-worked step, printed trajectory and convergence. */
class SingleNeuronTest {
  /** y, W, b printed by the seed after its loop indices 0 to 10 (float32, 8 decimals). */
  private static final double[][] SEED = {
    {3.19999981, 2.0999999, 1.10000002},
    {3.3599999, 2.17999983, 1.18000007},
    {3.48799992, 2.24399996, 1.24400008},
    {3.59039998, 2.29519987, 1.29520011},
    {3.67231989, 2.33615994, 1.33616006},
    {3.73785591, 2.36892796, 1.36892807},
    {3.79028463, 2.39514232, 1.39514244},
    {3.83222771, 2.41611385, 1.41611397},
    {3.86578226, 2.43289113, 1.43289125},
    {3.89262581, 2.4463129, 1.44631302},
    {3.91410065, 2.45705032, 1.45705044},
  };

  /** Half a unit in the 8th decimal: the seed's printed precision. */
  private static final double PRINTED = 5e-9;

  @Test
  void handDerivedFirstStep() {
    SingleNeuronGrad.Loss g = SingleNeuronGrad.loss(2, 1, 1, 4);
    assertEquals(0.5, g.value(), 0.0, "E = 1/2 (4 - 3)^2");
    assertEquals(-1, g.w(), 0.0, "dE/dW = (y - target) x");
    assertEquals(-1, g.b(), 0.0, "dE/db = y - target");

    List<SingleNeuron.State> run = SingleNeuron.train(1);
    assertEquals(3, run.get(0).y(), 0.0);
    assertEquals(2.1, run.get(1).w(), 1e-15);
    assertEquals(1.1, run.get(1).b(), 1e-15);
    assertEquals(3.2, run.get(1).y(), 1e-15);
  }

  @Test
  void floatTrajectoryMatchesEveryPrintedDigit() {
    List<SingleNeuron.State> run = SingleNeuron.trainFloat(SEED.length);
    for (int i = 0; i < SEED.length; i++) {
      SingleNeuron.State s = run.get(i + 1);
      assertEquals(SEED[i][0], s.y(), PRINTED, "y at seed step " + i);
      assertEquals(SEED[i][1], s.w(), PRINTED, "W at seed step " + i);
      assertEquals(SEED[i][2], s.b(), PRINTED, "b at seed step " + i);
    }
  }

  @Test
  void doubleTrajectoryAgreesToFloat32Accuracy() {
    List<SingleNeuron.State> run = SingleNeuron.train(SEED.length);
    for (int i = 0; i < SEED.length; i++) {
      SingleNeuron.State s = run.get(i + 1);
      assertEquals(SEED[i][0], s.y(), 1e-6, "y at seed step " + i);
      assertEquals(SEED[i][1], s.w(), 1e-6, "W at seed step " + i);
      assertEquals(SEED[i][2], s.b(), 1e-6, "b at seed step " + i);
    }
  }

  @Test
  void doubleTrajectoryIsTheClosedForm() {
    // Both parameters get the gradient y - 4 and x = 1, so 4 - y shrinks by 1 - 2 * 0.1 = 0.8.
    List<SingleNeuron.State> run = SingleNeuron.train(SingleNeuron.STEPS);
    for (SingleNeuron.State s : run) {
      double gap = Math.pow(0.8, s.step());
      assertEquals(4 - gap, s.y(), 1e-13, "y at step " + s.step());
      assertEquals(2.5 - gap / 2, s.w(), 1e-13, "W at step " + s.step());
      assertEquals(1.5 - gap / 2, s.b(), 1e-13, "b at step " + s.step());
    }
  }

  @Test
  void floatTrainingStopsChangingAtSeedStep64() {
    List<SingleNeuron.State> run = SingleNeuron.trainFloat(SingleNeuron.STEPS);
    // The seed's loop index is one less than the number of updates.
    assertEquals(64, SingleNeuron.firstUnchangedStep(run) - 1);
    SingleNeuron.State end = run.get(SingleNeuron.STEPS);
    assertEquals(4, end.y(), 1e-6);
    assertEquals(2.5, end.w(), 1e-6);
    assertEquals(1.5, end.b(), 1e-6);
  }

  @Test
  void doubleTrainingConvergesToTheTarget() {
    SingleNeuron.State end = SingleNeuron.train(SingleNeuron.STEPS).get(SingleNeuron.STEPS);
    assertEquals(4, end.y(), 1e-9);
    assertEquals(2.5, end.w(), 1e-9);
    assertEquals(1.5, end.b(), 1e-9);
    assertTrue(SingleNeuron.firstUnchangedStep(SingleNeuron.train(SingleNeuron.STEPS))
        == SingleNeuron.STEPS, "double updates keep changing W and b through step 100");
  }

  @Test
  void gradientsMatchTheChainRuleAwayFromTheSeedPoint() {
    double[][] points = {{-1.5, 0.25, 3, -2}, {0.7, -4, -0.5, 10}, {3, 3, 0, 1}};
    for (double[] p : points) {
      double w = p[0];
      double b = p[1];
      double x = p[2];
      double target = p[3];
      double y = w * x + b;
      SingleNeuronGrad.Loss g = SingleNeuronGrad.loss(w, b, x, target);
      assertEquals(0.5 * (target - y) * (target - y), g.value(), 1e-12);
      assertEquals((y - target) * x, g.w(), 1e-12);
      assertEquals(y - target, g.b(), 1e-12);

      SingleNeuronGrad.Output o = SingleNeuronGrad.output(w, b, x);
      assertEquals(y, o.value(), 1e-12);
      assertEquals(x, o.w(), 0.0);
      assertEquals(1, o.b(), 0.0);
      assertEquals(w, o.x(), 0.0);
    }
  }

  @Test
  void floatGradientIsComputedInFloat() {
    SingleNeuronGrad.LossFloat g = SingleNeuronGrad.lossFloat(2.1f, 1.1f, 1f, 4f);
    float y = 2.1f * 1f + 1.1f;
    assertEquals(y - 4f, g.w(), 0.0f);
    assertEquals(y - 4f, g.b(), 0.0f);
  }

  @Test
  void gradientChecksPass() {
    double[] point = {2, 1};
    SingleNeuronGrad.Loss g = SingleNeuronGrad.loss(2, 1, 1, 4);
    GradCheck.assertGradient((double[] v) -> SingleNeuron.loss(v[0], v[1], 1, 4), point,
        new double[] {g.w(), g.b()});
    SingleNeuronGrad.LossFloat gf = SingleNeuronGrad.lossFloat(2f, 1f, 1f, 4f);
    GradCheck.assertGradient((float[] v) -> SingleNeuron.lossFloat(v[0], v[1], 1f, 4f),
        new float[] {2f, 1f}, new double[] {gf.w(), gf.b()});
  }

  @Test
  void reportAgreesWithTheSeed() {
    SeedTable table = SingleNeuron.report();
    assertEquals(List.of(), table.mismatches());
    // 3 hand-derived rows, 33 trajectory values, fixed point, final y, 2 extras, gradient check.
    assertEquals(41, table.rows().size());
  }
}
