package dev.adjoint.bench;

import dev.adjoint.example.finance.PayoffsGrad;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every method of the Monte Carlo Greeks benchmark computes the same numbers. */
class MonteCarloGreeksTest {
  private static final double S = MonteCarloGreeksBenchmark.SPOT;
  private static final double V = MonteCarloGreeksBenchmark.VOL;
  private static final double R = MonteCarloGreeksBenchmark.RATE;
  private static final double K = MonteCarloGreeksBenchmark.STRIKE;
  private static final double T = MonteCarloGreeksBenchmark.MATURITY;

  @Test
  void europeanGreeksAgree() {
    double[] z = new double[2000];
    Random r = new Random(1);
    for (int p = 0; p < z.length; p++) {
      z[p] = r.nextGaussian();
    }
    PayoffsGrad.European g = PayoffsGrad.european(S, V, R, K, T, z);
    double[] adjoint = {g.value(), g.spot(), g.vol(), g.rate()};
    assertAgree(adjoint, HandGreeks.european(S, V, R, K, T, z), 1e-12);
    assertAgree(adjoint, FinmathGreeks.european(S, V, R, K, T, FinmathGreeks.normals(z)), 1e-10);
    assertAgree(adjoint, MonteCarloGreeksBenchmark.CentralDifferences.european(z), 1e-5);
  }

  @Test
  void asianGreeksAgree() {
    double[][] z = new double[300][MonteCarloGreeksBenchmark.STEPS];
    Random r = new Random(2);
    for (double[] path : z) {
      for (int k = 0; k < path.length; k++) {
        path[k] = r.nextGaussian();
      }
    }
    PayoffsGrad.Asian g = PayoffsGrad.asian(S, V, R, K, T, z);
    double[] adjoint = {g.value(), g.spot(), g.vol(), g.rate()};
    assertAgree(adjoint, HandGreeks.asian(S, V, R, K, T, z), 1e-11);
    assertAgree(adjoint, FinmathGreeks.asian(S, V, R, K, T, FinmathGreeks.normals(z)), 1e-10);
    assertAgree(adjoint, MonteCarloGreeksBenchmark.CentralDifferences.asian(z), 1e-5);
  }

  private static void assertAgree(double[] expected, double[] actual, double relative) {
    for (int k = 0; k < 4; k++) {
      assertEquals(expected[k], actual[k], relative * Math.max(1, Math.abs(expected[k])),
          "component " + k);
    }
  }
}
