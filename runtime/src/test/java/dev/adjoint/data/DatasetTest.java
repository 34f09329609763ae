package dev.adjoint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {
  /**
   * {@code n} examples of 3 features; example {@code i} has features {@code i, i + 0.25, i + 0.5}.
   */
  static Dataset numbered(int n, int classes) {
    float[] f = new float[n * 3];
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      f[3 * i] = i;
      f[3 * i + 1] = i + 0.25f;
      f[3 * i + 2] = i + 0.5f;
      l[i] = i % classes;
    }
    return new Dataset(f, l, 3, classes);
  }

  /** Original indices of the examples of a dataset built by {@link #numbered}. */
  static int[] ids(Dataset d) {
    int[] ids = new int[d.size()];
    for (int i = 0; i < d.size(); i++) {
      ids[i] = (int) d.feature(i, 0);
      assertEquals(ids[i] + 0.25f, d.feature(i, 1));
      assertEquals(ids[i] + 0.5f, d.feature(i, 2));
    }
    return ids;
  }

  @Test
  void accessors() {
    Dataset d = numbered(10, 4);
    assertEquals(10, d.size());
    assertEquals(3, d.featuresPerExample());
    assertEquals(4, d.classes());
    assertEquals(7.25f, d.feature(7, 1));
    assertEquals(3, d.label(7));
    assertArrayEquals(new int[] {3, 3, 2, 2}, d.classCounts());
    assertEquals("Dataset[10 examples x 3 features, 4 classes]", d.toString());
    assertThrows(IndexOutOfBoundsException.class, () -> d.feature(10, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> d.feature(0, 3));
  }

  @Test
  void arraysAreSharedNotCopied() {
    float[] f = {1, 2};
    int[] l = {0, 1};
    Dataset d = new Dataset(f, l, 1, 2);
    assertSame(f, d.features());
    assertSame(l, d.labels());
  }

  @Test
  void constructorChecksSizesAndLabels() {
    assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[5], new int[2], 3, 2));
    assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[6], new int[2], 0, 2));
    assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[6], new int[2], 3, 0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Dataset(new float[6], new int[] {0, 2}, 3, 2));
    assertEquals("label 2 of example 1 is outside 0..1", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new Dataset(new float[3], new int[] {-1}, 3, 2));
  }

  @Test
  void selectCopiesTheChosenExamplesInOrder() {
    Dataset d = numbered(6, 3);
    Dataset s = d.select(new int[] {4, 1, 4});
    assertArrayEquals(new int[] {4, 1, 4}, ids(s));
    assertArrayEquals(new int[] {1, 1, 1}, s.labels());
    assertEquals(3, s.classes());
    assertThrows(IndexOutOfBoundsException.class, () -> d.select(new int[] {6}));
  }

  @Test
  void splitIsDisjointCompleteAndSized() {
    Dataset d = numbered(101, 10);
    Dataset.Split s = d.split(0.2, 7);
    assertEquals(20, s.test().size()); // round(20.2)
    assertEquals(81, s.train().size());
    Set<Integer> seen = new HashSet<>();
    for (int id : ids(s.train())) {
      assertTrue(seen.add(id));
    }
    for (int id : ids(s.test())) {
      assertTrue(seen.add(id), "example " + id + " is in both parts");
    }
    assertEquals(101, seen.size());
    // Each part keeps the original order and the labels follow their examples.
    for (Dataset part : new Dataset[] {s.train(), s.test()}) {
      int[] ids = ids(part);
      int[] sorted = ids.clone();
      Arrays.sort(sorted);
      assertArrayEquals(sorted, ids);
      for (int i = 0; i < part.size(); i++) {
        assertEquals(ids[i] % 10, part.label(i));
      }
    }
  }

  @Test
  void splitIsDeterministicForASeedAndVariesWithIt() {
    Dataset d = numbered(200, 10);
    int[] a = ids(d.split(0.25, 42).test());
    int[] b = ids(d.split(0.25, 42).test());
    int[] c = ids(d.split(0.25, 43).test());
    assertArrayEquals(a, b);
    assertNotEquals(Arrays.toString(a), Arrays.toString(c));
  }

  @Test
  void splitOfDigitsIsRandomNotAPrefix() {
    Dataset.Split s = Digits.load().split(0.2, 1);
    assertEquals(359, s.test().size());
    assertEquals(1438, s.train().size());
    for (int count : s.test().classCounts()) {
      assertTrue(count > 15 && count < 60, "implausible class count " + count);
    }
  }

  @Test
  void splitRejectsBadFractions() {
    Dataset d = numbered(10, 2);
    assertThrows(IllegalArgumentException.class, () -> d.split(0, 1));
    assertThrows(IllegalArgumentException.class, () -> d.split(1, 1));
    assertThrows(IllegalArgumentException.class, () -> d.split(Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> d.split(0.01, 1)); // empty test part
    assertThrows(IllegalArgumentException.class, () -> d.split(0.99, 1)); // empty train part
  }
}
