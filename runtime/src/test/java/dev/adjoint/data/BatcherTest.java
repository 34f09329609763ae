package dev.adjoint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatcherTest {
  /** Every batch of an epoch, as lists of original example indices. */
  private static List<List<Integer>> epoch(Batcher b, int epoch) {
    b.startEpoch(epoch);
    List<List<Integer>> batches = new ArrayList<>();
    for (int k = 0; k < b.batchCount(); k++) {
      int n = b.fill(k);
      List<Integer> ids = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        ids.add((int) b.features()[r * 3]);
      }
      batches.add(ids);
    }
    return batches;
  }

  @Test
  void everyExampleOncePerEpochWithRowsMatchingLabels() {
    Dataset d = DatasetTest.numbered(103, 7);
    Batcher b = new Batcher(d, 10, 5);
    assertEquals(11, b.batchCount());
    for (int e = 0; e < 4; e++) {
      b.startEpoch(e);
      int[] timesSeen = new int[d.size()];
      for (int k = 0; k < b.batchCount(); k++) {
        int n = b.fill(k);
        assertEquals(k < 10 ? 10 : 3, n);
        assertEquals(n, b.size());
        for (int r = 0; r < n; r++) {
          int id = (int) b.features()[r * 3];
          assertEquals(id, b.exampleIndex(r));
          assertEquals(id + 0.25f, b.features()[r * 3 + 1]);
          assertEquals(id + 0.5f, b.features()[r * 3 + 2]);
          assertEquals(d.label(id), b.labels()[r]);
          timesSeen[id]++;
        }
      }
      int[] once = new int[d.size()];
      Arrays.fill(once, 1);
      assertArrayEquals(once, timesSeen, "epoch " + e);
    }
  }

  @Test
  void sameSeedSameBatchesDifferentSeedOrEpochDifferentBatches() {
    Dataset d = DatasetTest.numbered(50, 5);
    Batcher a = new Batcher(d, 8, 123);
    Batcher b = new Batcher(d, 8, 123);
    Batcher c = new Batcher(d, 8, 124);
    for (int e = 0; e < 3; e++) {
      assertEquals(epoch(a, e), epoch(b, e));
      assertNotEquals(epoch(a, e), epoch(c, e));
    }
    assertNotEquals(epoch(a, 0), epoch(a, 1));
  }

  @Test
  void epochOrderDependsOnlyOnSeedAndEpochNumber() {
    Dataset d = DatasetTest.numbered(40, 4);
    Batcher fresh = new Batcher(d, 6, 9);
    List<List<Integer>> third = epoch(fresh, 2);
    Batcher used = new Batcher(d, 6, 9);
    epoch(used, 0);
    epoch(used, 5);
    epoch(used, 1);
    assertEquals(third, epoch(used, 2));
    assertEquals(2, used.epoch());
  }

  @Test
  void orderIsShuffled() {
    Dataset d = DatasetTest.numbered(100, 10);
    List<Integer> flat = new ArrayList<>();
    epoch(new Batcher(d, 100, 1), 0).forEach(flat::addAll);
    List<Integer> identity = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      identity.add(i);
    }
    assertNotEquals(identity, flat);
  }

  @Test
  void buffersAreReusedNotReallocated() {
    Dataset d = DatasetTest.numbered(25, 3);
    Batcher b = new Batcher(d, 4, 0);
    float[] features = b.features();
    int[] labels = b.labels();
    assertEquals(12, features.length);
    assertEquals(4, labels.length);
    for (int e = 0; e < 3; e++) {
      b.startEpoch(e);
      for (int k = 0; k < b.batchCount(); k++) {
        b.fill(k);
        assertSame(features, b.features());
        assertSame(labels, b.labels());
      }
    }
  }

  @Test
  void lastSmallerBatchClearsStaleRows() {
    Dataset d = DatasetTest.numbered(10, 2);
    Batcher b = new Batcher(d, 4, 3);
    b.fill(0);
    assertEquals(2, b.fill(2));
    for (int i = 2 * 3; i < 12; i++) {
      assertEquals(0f, b.features()[i]);
    }
    assertEquals(0, b.labels()[2]);
    assertEquals(0, b.labels()[3]);
    assertThrows(IndexOutOfBoundsException.class, () -> b.exampleIndex(2));
  }

  @Test
  void batchLargerThanDatasetGivesOneBatch() {
    Dataset d = DatasetTest.numbered(3, 2);
    Batcher b = new Batcher(d, 8, 3);
    assertEquals(1, b.batchCount());
    assertEquals(3, b.fill(0));
  }

  @Test
  void emptyDatasetHasNoBatches() {
    Batcher b = new Batcher(new Dataset(new float[0], new int[0], 3, 2), 4, 0);
    assertEquals(0, b.batchCount());
    assertThrows(IndexOutOfBoundsException.class, () -> b.fill(0));
  }

  @Test
  void argumentChecks() {
    Dataset d = DatasetTest.numbered(10, 2);
    assertThrows(IllegalArgumentException.class, () -> new Batcher(d, 0, 1));
    Batcher b = new Batcher(d, 3, 1);
    assertEquals(0, b.epoch());
    assertEquals(0, b.size());
    assertEquals(3, b.batchSize());
    assertSame(d, b.dataset());
    assertThrows(IllegalArgumentException.class, () -> b.startEpoch(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> b.fill(4));
    assertThrows(IndexOutOfBoundsException.class, () -> b.fill(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> b.exampleIndex(0));
    b.fill(1);
    b.startEpoch(1);
    assertEquals(0, b.size(), "a new epoch has no batch filled yet");
    assertFalse(b.size() > 0);
    assertTrue(b.batchCount() == 4);
  }

  @Test
  void asABatchSourceItShufflesPerEpochAndCopiesTheBatchIntoTheTrainersBuffers() {
    Dataset d = DatasetTest.numbered(10, 3);
    Batcher b = new Batcher(d, 4, 9);
    dev.adjoint.train.BatchSource source = b;
    assertEquals(3, source.batches());
    assertEquals(4, source.batchSize());
    assertEquals(3, source.sampleSize());
    source.beginEpoch(2);
    assertEquals(2, b.epoch());
    float[] x = new float[4 * 3 + 5];
    int[] y = new int[4 + 1];
    java.util.Arrays.fill(x, -7f);
    java.util.Arrays.fill(y, -7);
    assertEquals(2, source.fill(2, x, y));   // the last batch: 10 = 4 + 4 + 2
    for (int r = 0; r < 2; r++) {
      int i = b.exampleIndex(r);
      assertEquals(d.label(i), y[r]);
      for (int j = 0; j < 3; j++) {
        assertEquals(d.feature(i, j), x[r * 3 + j]);
      }
    }
    assertEquals(-7f, x[2 * 3]);   // rows past the batch are left alone
    assertEquals(-7, y[2]);
    // The same epoch's order as startEpoch gives.
    Batcher again = new Batcher(d, 4, 9);
    again.startEpoch(2);
    again.fill(2);
    assertEquals(b.exampleIndex(0), again.exampleIndex(0));
    assertEquals(b.exampleIndex(1), again.exampleIndex(1));
  }
}
