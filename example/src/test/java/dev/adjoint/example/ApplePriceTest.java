package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed 001: the shopping graph's price and gradients. */
class ApplePriceTest {
  private static final double EXACT = 1e-12;

  @Test
  void priceAndGradientsAsPrintedBySeed() {
    ApplePriceGrad.Price g = ApplePriceGrad.price(100, 2, 150, 3, 1.1);
    assertEquals(715, g.value(), 1e-12);
    assertEquals(2.2, g.apple(), EXACT);
    assertEquals(110, g.appleNum(), 1e-12);
    assertEquals(3.3, g.orange(), EXACT);
    assertEquals(165, g.orangeNum(), 1e-12);
    assertEquals(650, g.tax(), EXACT);
  }

  @Test
  void gradientsInsideTheGraph() {
    // The add node receives 1.1 from the tax node and passes it on unchanged.
    ApplePriceGrad.Multiply taxNode = ApplePriceGrad.multiply(650, 1.1);
    assertEquals(1.1, taxNode.x(), EXACT);
    assertEquals(650, taxNode.y(), EXACT);
    ApplePriceGrad.TaxedTotal rest = ApplePriceGrad.taxedTotal(200, 450, 1.1);
    assertEquals(1.1, rest.applePrice(), EXACT);
    assertEquals(1.1, rest.orangePrice(), EXACT);
    assertEquals(650, rest.tax(), EXACT);
    ApplePriceGrad.Add add = ApplePriceGrad.add(200, 450);
    assertEquals(650, add.value(), 0.0);
    assertEquals(1, add.x(), 0.0);
    assertEquals(1, add.y(), 0.0);
  }

  @Test
  void gradientsFollowTheMultiplyRuleAtOtherPrices() {
    // d price / d apple = apple_num * tax, d price / d apple_num = apple * tax, and so on.
    double[][] points = {{80, 5, 120, 1, 1.08}, {0.5, 0, 2.25, 7, 1}, {-3, 2, 4, -1, 0.5}};
    for (double[] p : points) {
      ApplePriceGrad.Price g = ApplePriceGrad.price(p[0], p[1], p[2], p[3], p[4]);
      assertEquals((p[0] * p[1] + p[2] * p[3]) * p[4], g.value(), 1e-12);
      assertEquals(p[1] * p[4], g.apple(), 1e-12);
      assertEquals(p[0] * p[4], g.appleNum(), 1e-12);
      assertEquals(p[3] * p[4], g.orange(), 1e-12);
      assertEquals(p[2] * p[4], g.orangeNum(), 1e-12);
      assertEquals(p[0] * p[1] + p[2] * p[3], g.tax(), 1e-12);
    }
  }

  @Test
  void gradientCheckPasses() {
    ApplePriceGrad.Price g = ApplePriceGrad.price(100, 2, 150, 3, 1.1);
    GradCheck.Report r = GradCheck.assertGradient(
        (double[] v) -> ApplePrice.price(v[0], v[1], v[2], v[3], v[4]),
        new double[] {100, 2, 150, 3, 1.1},
        new double[] {g.apple(), g.appleNum(), g.orange(), g.orangeNum(), g.tax()});
    assertEquals(5, r.analytic().length);
  }

  @Test
  void reportAgreesWithTheSeed() {
    SeedTable table = ApplePrice.report();
    assertEquals(List.of(), table.mismatches());
    assertEquals(13, table.rows().size());
  }
}
