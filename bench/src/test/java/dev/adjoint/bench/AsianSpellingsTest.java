package dev.adjoint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.example.finance.PayoffsGrad;
import org.junit.jupiter.api.Test;

/** The spellings of {@link AsianSpellingsBenchmark} price and differentiate the same thing. */
class AsianSpellingsTest {
  @Test
  void everySpellingGivesThePlainSpellingsPriceAndGreeks() {
    double[][] z = AsianSpellingsBenchmark.normals(500, 16, 7);
    var plain = PayoffsGrad.asian(100, 0.2, 0.03, 100, 1, z);
    double[][] others = {
        values(AsianSpellingsGrad.pathArray(100, 0.2, 0.03, 100, 1, z)),
        values(AsianSpellingsGrad.whileCompound(100, 0.2, 0.03, 100, 1, z)),
        values(AsianSpellingsGrad.helper(100, 0.2, 0.03, 100, 1, z))};
    double[] expected = {plain.value(), plain.spot(), plain.vol(), plain.rate()};
    for (double[] other : others) {
      for (int k = 0; k < 4; k++) {
        assertEquals(expected[k], other[k], 1e-12 * Math.max(1, Math.abs(expected[k])));
      }
    }
    // Against central differences of the price, for delta.
    double h = 1e-4;
    double delta = (AsianSpellings.pathArray(100 + h, 0.2, 0.03, 100, 1, z)
        - AsianSpellings.pathArray(100 - h, 0.2, 0.03, 100, 1, z)) / (2 * h);
    assertEquals(delta, plain.spot(), 1e-6);
  }

  private static double[] values(Record g) {
    try {
      var c = g.getClass().getRecordComponents();
      double[] out = new double[4];
      String[] names = {"value", "spot", "vol", "rate"};
      for (int k = 0; k < 4; k++) {
        for (var rc : c) {
          if (rc.getName().equals(names[k])) {
            out[k] = (double) rc.getAccessor().invoke(g);
          }
        }
      }
      return out;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
