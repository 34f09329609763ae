package dev.adjoint.example.finance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Monte Carlo Greeks example: generated adjoints against closed forms and bumps. */
class MonteCarloGreeksTest {
  private static final MonteCarloGreeks.Market AT_THE_MONEY = MonteCarloGreeks.market();
  private static final MonteCarloGreeks.Market OUT_OF_THE_MONEY =
      new MonteCarloGreeks.Market(90, 0.3, 0.05, 110, 2);

  @Test
  void europeanGreeksAgreeWithBlackScholesWithinThreeStandardErrors() {
    for (MonteCarloGreeks.Market m : List.of(AT_THE_MONEY, OUT_OF_THE_MONEY)) {
      List<MonteCarloGreeks.Check> checks =
          MonteCarloGreeks.europeanChecks(m, MonteCarloGreeks.normals(10, 5_000, 7));
      for (MonteCarloGreeks.Check c : checks) {
        assertTrue(c.estimate().error() > 0, c.toString());
        assertTrue(c.ok(), m + " " + c);
      }
    }
  }

  @Test
  void asianGreeksAgreeWithCentralDifferencesOnTheSameNormals() {
    for (MonteCarloGreeks.Market m : List.of(AT_THE_MONEY, OUT_OF_THE_MONEY)) {
      List<MonteCarloGreeks.Check> checks =
          MonteCarloGreeks.asianChecks(m, MonteCarloGreeks.normals(5, 200, 16, 11));
      for (MonteCarloGreeks.Check c : checks) {
        assertTrue(c.ok(), m + " " + c);
      }
    }
  }

  /**
   * On one path the generated gradient is the pathwise derivative: away from the kink, central
   * differences of the pricer on that path agree to many digits.
   */
  @Test
  void onePathGradientMatchesCentralDifferences() {
    double[] z = {0.7};
    double[][] zs = {{0.3, -0.2, 0.9, 0.1}};
    PayoffsGrad.European e = PayoffsGrad.european(100, 0.2, 0.03, 95, 1, z);
    PayoffsGrad.Asian a = PayoffsGrad.asian(100, 0.2, 0.03, 95, 1, zs);
    double h = 1e-6;
    double[] x = {100, 0.2, 0.03};
    double[] de = {e.spot(), e.vol(), e.rate()};
    double[] da = {a.spot(), a.vol(), a.rate()};
    for (int k = 0; k < 3; k++) {
      double[] up = x.clone();
      double[] down = x.clone();
      up[k] += h * Math.max(1, x[k]);
      down[k] -= h * Math.max(1, x[k]);
      double step = up[k] - down[k];
      double fe = (Payoffs.european(up[0], up[1], up[2], 95, 1, z)
          - Payoffs.european(down[0], down[1], down[2], 95, 1, z)) / step;
      double fa = (Payoffs.asian(up[0], up[1], up[2], 95, 1, zs)
          - Payoffs.asian(down[0], down[1], down[2], 95, 1, zs)) / step;
      assertEquals(fe, de[k], 1e-6 * Math.max(1, Math.abs(fe)), "european " + k);
      assertEquals(fa, da[k], 1e-6 * Math.max(1, Math.abs(fa)), "asian " + k);
    }
    assertEquals(Payoffs.european(100, 0.2, 0.03, 95, 1, z), e.value(), 0);
    assertEquals(Payoffs.asian(100, 0.2, 0.03, 95, 1, zs), a.value(), 0);
  }

  @Test
  void theProgramPrintsBothTablesAndAgrees() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean ok;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ok = MonteCarloGreeks.run(out);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(ok, text);
    assertTrue(text.contains("European call, 200,000 paths"), text);
    assertTrue(text.contains("Arithmetic Asian call, 64 fixings"), text);
    assertTrue(text.contains("All Greeks agree."), text);
    assertTrue(!text.contains("FAIL"), text);
  }
}
