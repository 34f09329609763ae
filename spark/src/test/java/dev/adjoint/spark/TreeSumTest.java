package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TreeSumTest {
  private static TreeSum.Part leaf(float v) {
    return TreeSum.Part.of(new float[][] {{v}}, v, 1);
  }

  /** Values whose float sum depends on the order of the additions. */
  private static final float[] VALUES = {1f, 1e8f, -1e8f, 1f, 0.5f};

  @Test
  void theSumDoesNotDependOnArrivalOrderOrGrouping() {
    int n = VALUES.length;
    float expected = Float.NaN;
    Random random = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      List<Integer> order = new ArrayList<>();
      for (int p = 0; p < n; p++) {
        order.add(p);
      }
      Collections.shuffle(order, random);
      // Like treeAggregate: some parts are grouped in partial sums first, merged in any order.
      TreeSum a = new TreeSum(n);
      TreeSum b = new TreeSum(n);
      for (int i = 0; i < n; i++) {
        int p = order.get(i);
        (random.nextBoolean() ? a : b).add(p, leaf(VALUES[p]));
      }
      TreeSum total = random.nextBoolean() ? a.merge(b) : b.merge(a);
      TreeSum.Part part = total.total();
      if (trial == 0) {
        expected = part.arrays()[0][0];
      }
      assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(part.arrays()[0][0]));
      assertEquals(n, part.samples());
      assertEquals(n, part.contributors());
    }
    // The tree [0, 5) = [0, 2) + ([2, 3) + [3, 5)): 0 here, where left to right gives 1.5.
    float[] v = VALUES;
    assertEquals((v[0] + v[1]) + (v[2] + (v[3] + v[4])), expected);
    assertEquals(0f, expected);
    float leftToRight = 0;
    for (float x : VALUES) {
      leftToRight += x;
    }
    assertNotEquals(leftToRight, expected);
  }

  @Test
  void onePartitionIsItsPartAsIsAndEmptyPartsAddNothing() {
    TreeSum.Part only = leaf(2.5f);
    assertSame(only, new TreeSum(1).add(0, only).total());
    TreeSum.Part sum = new TreeSum(3).add(2, leaf(1f)).add(0, TreeSum.Part.empty())
        .add(1, leaf(2f)).total();
    assertArrayEquals(new float[] {3f}, sum.arrays()[0]);
    assertEquals(2, sum.contributors());
  }

  @Test
  void missingOrRepeatedPartsAreErrors() {
    TreeSum s = new TreeSum(3).add(0, leaf(1f)).add(2, leaf(1f));
    assertThrows(IllegalStateException.class, s::total);
    assertThrows(IllegalStateException.class, () -> s.add(0, leaf(1f)));
  }
}
