package dev.adjoint.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InitTest {
  private static final int N = 200_000;

  private static double mean(float[] w) {
    double sum = 0;
    for (float x : w) {
      sum += x;
    }
    return sum / w.length;
  }

  private static double std(float[] w) {
    double m = mean(w);
    double sum = 0;
    for (float x : w) {
      sum += (x - m) * (x - m);
    }
    return Math.sqrt(sum / w.length);
  }

  @Test
  void heIsNormalWithStdSqrtTwoOverFanIn() {
    float[] w = new float[N];
    Init.he(w, 50, 42);
    double expected = Math.sqrt(2.0 / 50);
    // The standard error of the mean is std / sqrt(N), about 0.00045 here.
    assertEquals(0, mean(w), 5 * expected / Math.sqrt(N));
    assertEquals(expected, std(w), 0.01 * expected);
    // About 68.3 % of a normal sample lies within one standard deviation.
    long within = 0;
    for (float x : w) {
      if (Math.abs(x) < expected) {
        within++;
      }
    }
    assertEquals(0.683, (double) within / N, 0.01);
  }

  @Test
  void xavierIsUniformWithinTheLimit() {
    float[] w = new float[N];
    Init.xavier(w, 100, 200, 7);
    double limit = Math.sqrt(6.0 / 300);
    for (float x : w) {
      assertTrue(x >= -limit && x <= limit, () -> x + " outside +-" + limit);
    }
    assertEquals(0, mean(w), 5 * limit / Math.sqrt(3 * N));
    assertEquals(limit / Math.sqrt(3), std(w), 0.01 * limit);
  }

  @Test
  void theSameSeedGivesTheSameValues() {
    float[] a = new float[1000];
    float[] b = new float[1000];
    Init.he(a, 10, 123);
    Init.he(b, 10, 123);
    assertArrayEquals(a, b);
    Init.xavier(a, 10, 20, 123);
    Init.xavier(b, 10, 20, 123);
    assertArrayEquals(a, b);
  }

  @Test
  void neighbouringSeedsGiveDifferentValues() {
    float[] a = new float[100];
    float[] b = new float[100];
    Init.uniform(a, 1, 0);
    Init.uniform(b, 1, 1);
    assertFalse(Arrays.equals(a, b));
    // Not just different but unrelated: the first values are not close.
    float[] firsts = new float[10];
    for (int seed = 0; seed < firsts.length; seed++) {
      float[] one = new float[1];
      Init.uniform(one, 1, seed);
      firsts[seed] = one[0];
    }
    assertTrue(std(firsts) > 0.2, Arrays.toString(firsts));
  }

  @Test
  void zerosClears() {
    float[] w = {1f, -2f, 3f};
    Init.zeros(w);
    assertArrayEquals(new float[3], w);
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Init.he(new float[1], 0, 1));
    assertThrows(IllegalArgumentException.class, () -> Init.xavier(new float[1], 1, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> Init.normal(new float[1], -1, 1));
  }
}
