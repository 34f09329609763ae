package dev.adjoint.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link Workers} runs every part exactly once, whoever claims it, and reports failures. */
class WorkersTest {
  @Test
  void everyPartRunsOnceAndIsDoneOnReturn() {
    for (int round = 0; round < 2000; round++) {
      int parts = 1 + round % 5;
      int[] runs = new int[parts];
      Workers.run(parts, p -> runs[p]++);
      int[] once = new int[parts];
      Arrays.fill(once, 1);
      assertArrayEquals(once, runs, "round " + round);
    }
  }

  @Test
  void aFailingPartIsRethrownAfterTheOthersFinished() {
    AtomicIntegerArray runs = new AtomicIntegerArray(4);
    IllegalArgumentException boom = new IllegalArgumentException("part 2");
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
        () -> Workers.run(4, p -> {
          runs.incrementAndGet(p);
          if (p == 2) {
            throw boom;
          }
        }));
    assertSame(boom, thrown);
    for (int p = 0; p < 4; p++) {
      assertEquals(1, runs.get(p), "part " + p);
    }
    // The pool is free again afterwards.
    int[] after = new int[3];
    Workers.run(3, p -> after[p]++);
    assertArrayEquals(new int[] {1, 1, 1}, after);
  }

  @Test
  void aPartThatSplitsAgainRunsItsOwnPartsToo() {
    int[][] inner = new int[3][4];
    Workers.run(3, p -> Workers.run(4, q -> inner[p][q]++));
    for (int[] row : inner) {
      assertArrayEquals(new int[] {1, 1, 1, 1}, row);
    }
  }

  @Test
  void concurrentCallersEachGetAllTheirParts() throws InterruptedException {
    int callers = 4;
    int rounds = 500;
    long[][] sums = new long[callers][];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      threads.add(new Thread(() -> {
        long[] sum = new long[3];
        for (int r = 0; r < rounds; r++) {
          Workers.run(3, p -> sum[p] += p + 1);
        }
        sums[caller] = sum;
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    for (long[] sum : sums) {
      assertArrayEquals(new long[] {rounds, 2L * rounds, 3L * rounds}, sum);
    }
  }
}
