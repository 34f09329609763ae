package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed 002: the chain rule on f = (a + b)(b + c). */
class ChainRuleTest {
  @Test
  void seedNumbers() {
    ChainRuleGrad.F g = ChainRuleGrad.f(-1, 3, 4);
    assertEquals(14, g.value(), 0.0);
    assertEquals(7, g.a(), 0.0);
    assertEquals(9, g.b(), 0.0);
    assertEquals(2, g.c(), 0.0);

    ChainRuleGrad.Multiply outer = ChainRuleGrad.multiply(2, 7);
    assertEquals(7, outer.x(), 0.0, "df/dx = y");
    assertEquals(2, outer.y(), 0.0, "df/dy = x");
    assertEquals(1, ChainRuleGrad.add(-1, 3).p(), 0.0, "dx/da");
    assertEquals(1, ChainRuleGrad.add(3, 4).q(), 0.0, "dy/dc");
  }

  @Test
  void sharedInputAddsBothPaths() {
    // df/db = (b + c) + (a + b): b reaches f through x and through y.
    double[][] points = {{0, 0, 0}, {1.5, -2, 0.25}, {-7, 3, 11}, {1e3, 1e-3, -5}};
    for (double[] p : points) {
      double a = p[0];
      double b = p[1];
      double c = p[2];
      ChainRuleGrad.F g = ChainRuleGrad.f(a, b, c);
      assertEquals((a + b) * (b + c), g.value(), 1e-12);
      assertEquals(b + c, g.a(), 1e-12);
      assertEquals((b + c) + (a + b), g.b(), 1e-12);
      assertEquals(a + b, g.c(), 1e-12);
    }
  }

  @Test
  void gradientCheckPasses() {
    ChainRuleGrad.F g = ChainRuleGrad.f(-1, 3, 4);
    GradCheck.assertGradient((double[] v) -> ChainRule.f(v[0], v[1], v[2]),
        new double[] {-1, 3, 4}, new double[] {g.a(), g.b(), g.c()});
  }

  @Test
  void reportAgreesWithTheSeed() {
    SeedTable table = ChainRule.report();
    assertEquals(List.of(), table.mismatches());
    assertEquals(11, table.rows().size());
  }
}
