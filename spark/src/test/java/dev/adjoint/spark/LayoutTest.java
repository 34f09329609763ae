package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.data.Batcher;
import dev.adjoint.data.Dataset;
import org.junit.jupiter.api.Test;

class LayoutTest {
  @Test
  void everyExampleOnceAnEpochInSharesProportionalToThePartitions() {
    Layout layout = new Layout(new int[] {500, 301, 0, 436}, 64);
    long total = 1237;
    assertEquals((total + 63) / 64, layout.steps());
    int sum = 0;
    for (int s = 0; s < layout.steps(); s++) {
      int n = layout.globalSize(s);
      assertTrue(n == 64 || s == layout.steps() - 1, "step " + s + ": " + n);
      int shares = 0;
      for (int p = 0; p < 4; p++) {
        int share = layout.from(p, s + 1) - layout.from(p, s);
        assertTrue(share >= 0, "partition " + p + ", step " + s);
        // In proportion to the partition's size, to within one example.
        assertTrue(Math.abs(share - (double) n * layout.sizes()[p] / total) < 2,
            "partition " + p + ", step " + s + ": " + share);
        shares += share;
      }
      assertEquals(n, shares);
      sum += n;
    }
    assertEquals(total, sum);
    for (int p = 0; p < 4; p++) {
      assertEquals(0, layout.from(p, 0));
      assertEquals(layout.sizes()[p], layout.from(p, layout.steps()));
    }
  }

  @Test
  void onePartitionHasTheSingleMachineBatchesInBatchersOrder() {
    Dataset data = Fixtures.DIGITS.train();
    Layout layout = new Layout(new int[] {data.size()}, 32);
    Batcher batcher = new Batcher(data, 32, Fixtures.SEED);
    assertEquals(batcher.batchCount(), layout.steps());
    int[] order = new int[data.size()];
    for (int epoch = 0; epoch < 3; epoch++) {
      batcher.startEpoch(epoch);
      Layout.order(order, Fixtures.SEED, 0, epoch);
      for (int s = 0; s < layout.steps(); s++) {
        int n = batcher.fill(s);
        assertEquals(n, layout.globalSize(s));
        int[] expected = new int[n];
        for (int r = 0; r < n; r++) {
          expected[r] = batcher.exampleIndex(r);
        }
        int from = layout.from(0, s);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(order, from, from + n));
      }
    }
  }

  @Test
  void aPartitionWithFewerExamplesThanStepsIsRefused() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Layout(new int[] {500, 7, 500}, 64));
    assertTrue(e.getMessage().contains("partition 1 holds 7 examples"), e.getMessage());
    new Layout(new int[] {500, 0, 500}, 64); // empty partitions are fine
  }
}
