package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.Tape;
import dev.adjoint.processor.testing.ArrayValues;
import dev.adjoint.processor.testing.Compiled;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Generated gradients keep no shared mutable state: eight threads computing gradients of the same
 * function (which records on the tape inside loops) get bit-identical results to one thread, and
 * every call leaves its thread's tape as it found it.
 */
class ConcurrencyTest {
  private static final String SOURCE_CLASS = "p.Shared";

  @Test
  void eightThreadsMatchOneThreadBitForBit() throws Exception {
    Compiled c = Compiled.of(Compiled.source(SOURCE_CLASS,
        "package p;",
        "import dev.adjoint.Differentiable;",
        "final class Shared {",
        "  @Differentiable static double f(double[] x, double t) {",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) {",
        "      double u = x[i];",
        "      int k = 0;",
        "      while (k < 3) { u = Math.sin(u) * t; k++; }",
        "      if (u > 0) { s += u * u; } else { s -= u * t; }",
        "    }",
        "    return s;",
        "  }",
        "}"));
    Method grad = c.method(SOURCE_CLASS + "Grad", "f", new double[1], 1.0);
    int inputs = 64;
    List<double[]> xs = new ArrayList<>();
    Random random = new Random(42);
    for (int k = 0; k < inputs; k++) {
      xs.add(random.doubles(50, -2, 2).toArray());
    }
    double[][] expected = new double[inputs][];
    for (int k = 0; k < inputs; k++) {
      expected[k] = ArrayValues.components(grad.invoke(null, xs.get(k), 0.5 + k * 0.01));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<double[][]>> futures = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        int offset = thread;
        Callable<double[][]> task = () -> {
          int tapeBefore = Tape.get().size();
          double[][] out = new double[inputs][];
          for (int round = 0; round < 20; round++) {
            for (int j = 0; j < inputs; j++) {
              int k = (j + offset * 7) % inputs;
              out[k] = ArrayValues.components(grad.invoke(null, xs.get(k), 0.5 + k * 0.01));
            }
          }
          assertEquals(tapeBefore, Tape.get().size(), "the tape must be balanced");
          return out;
        };
        futures.add(pool.submit(task));
      }
      for (Future<double[][]> f : futures) {
        double[][] got = f.get();
        for (int k = 0; k < inputs; k++) {
          assertArrayEquals(expected[k], got[k]);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
