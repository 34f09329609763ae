package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table's notion of "agrees with the seed". */
class SeedTableTest {
  @Test
  void toleranceIsHalfAUnitInTheLastPrintedDigit() {
    assertEquals(5e-9, SeedTable.halfUnitInLastPlace("0.51998934"), 1e-17);
    assertEquals(0.5, SeedTable.halfUnitInLastPlace("715"), 1e-9);
    assertEquals(0.05, SeedTable.halfUnitInLastPlace("-2.1"), 1e-10);
  }

  @Test
  void printedRowAgreesExactlyWhenTheValueRoundsToTheSeedText() {
    SeedTable t = new SeedTable("t")
        .printed("rounds", "0.60944600", 0.6094460049966992)
        .printed("halfway", "0.5", 0.55)
        .printed("too far", "0.60944600", 0.609446006)
        .printed("nan", "1", Double.NaN);
    List<String> bad = t.mismatches().stream().map(SeedTable.Row::quantity).toList();
    assertEquals(List.of("too far", "nan"), bad);
  }

  @Test
  void eachColumnHasItsOwnTolerance() {
    SeedTable t = new SeedTable("t", List.of("double", "float"))
        .within("w", "2.0999999", new double[] {1e-6, 5e-9}, 2.1, 2.0999999046325684)
        .within("w tight", "2.0999999", new double[] {5e-9, 5e-9}, 2.1, 2.0999999046325684);
    assertEquals(List.of("w tight"),
        t.mismatches().stream().map(SeedTable.Row::quantity).toList());
  }

  @Test
  void extrasAreNeverMismatchesAndClaimsAreChecked() {
    SeedTable t = new SeedTable("t")
        .extra("not printed", 123.0)
        .claim("holds", "yes", true, 1)
        .claim("fails", "yes", false, 1);
    assertEquals(List.of("fails"), t.mismatches().stream().map(SeedTable.Row::quantity).toList());
  }

  @Test
  void gradCheckRowFailsAboveTolerance() {
    GradCheck.Report good = GradCheck.compare((double[] v) -> v[0] * v[0], new double[] {3},
        new double[] {6});
    GradCheck.Report bad = GradCheck.compare((double[] v) -> v[0] * v[0], new double[] {3},
        new double[] {7});
    SeedTable t = new SeedTable("t").gradCheck("good", good, 1e-6).gradCheck("bad", bad, 1e-6);
    assertEquals(1, t.mismatches().size());
    assertTrue(t.mismatches().get(0).quantity().endsWith("bad"));
  }

  @Test
  void renderShowsValuesBesideTheSeedAndFlagsMismatches() {
    SeedTable t = new SeedTable("demo")
        .printed("h1", "0.51998934", 0.5199893402)
        .printed("wrong", "1.5", 2.0)
        .note("a note");
    String text = t.render();
    assertTrue(text.startsWith("== demo =="), text);
    assertTrue(text.contains("0.5199893402"), text);
    assertTrue(text.contains("0.51998934"), text);
    assertTrue(text.contains("MISMATCH"), text);
    assertTrue(text.contains("note: a note"), text);
    assertTrue(text.contains("1 of 2 rows DISAGREE"), text);
    assertFalse(new SeedTable("ok").printed("one", "1", 1.0).render().contains("MISMATCH"));
  }

  @Test
  void rowsMustFillEveryColumn() {
    SeedTable t = new SeedTable("t", List.of("a", "b"));
    assertThrows(IllegalArgumentException.class, () -> t.printed("short", "1", 1.0));
  }
}
