package dev.adjoint.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Parallelism#forRange} covers every element once, in cache-line-aligned ranges. */
class ParallelismTest {
  private record Span(int from, int to) {}

  private static List<Span> ranges(int threads, int n) {
    int saved = Parallelism.threads();
    Parallelism.setThreads(threads);
    try {
      List<Span> spans = new ArrayList<>();
      Parallelism.forRange(n, (from, to) -> {
        synchronized (spans) {
          spans.add(new Span(from, to));
        }
      });
      spans.sort(Comparator.comparingInt(Span::from));
      return spans;
    } finally {
      Parallelism.setThreads(saved);
    }
  }

  @Test
  void smallArraysAndOneThreadAreOneRange() {
    int big = Parallelism.MIN_PARALLEL_ELEMENTS * 4;
    assertEquals(List.of(new Span(0, big)), ranges(1, big));
    int small = Parallelism.MIN_PARALLEL_ELEMENTS - 1;
    assertEquals(List.of(new Span(0, small)), ranges(4, small));
    assertEquals(List.of(new Span(0, 0)), ranges(4, 0));
    assertFalse(Parallelism.splits(0));
  }

  @Test
  void largeArraysAreSplitIntoAlignedRangesThatCoverEveryElementOnce() {
    for (int threads : new int[] {2, 3, 8}) {
      for (int extra : new int[] {0, 1, 15, 17}) {
        int n = Parallelism.MIN_PARALLEL_ELEMENTS * 2 + extra;
        List<Span> spans = ranges(threads, n);
        assertEquals(threads, spans.size(), threads + " threads, n=" + n);
        int next = 0;
        for (Span s : spans) {
          assertEquals(next, s.from(), "ranges are contiguous");
          assertTrue(s.to() > s.from(), "no empty range");
          assertTrue(s.to() == n || s.to() % 16 == 0, "ends on a cache line: " + s);
          next = s.to();
        }
        assertEquals(n, next, "the last range ends at n");
      }
    }
  }

  @Test
  void negativeCountsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Parallelism.forRange(-1, (a, b) -> {}));
  }
}
