package dev.adjoint.processor.loops;

import dev.adjoint.Tape;
import dev.adjoint.processor.testing.ArrayValues;
import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
    int inputs = 64;
    List<double[]> xs = new ArrayList<>();
    Random random = new Random(42);
    for (int k = 0; k < inputs; k++) {
      xs.add(random.doubles(50, -2, 2).toArray());
    }
    Threads.assertSameOnEveryThread(8, inputs, 20,
        k -> ArrayValues.components(
            c.invoke(SOURCE_CLASS + "Grad", "f", xs.get(k), 0.5 + k * 0.01)),
        () -> Tape.get().size());
  }
}
