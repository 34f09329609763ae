package dev.adjoint.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch comparison times what SecondOrderBenchmark times: SecondOrderTiming's products
 * equal the benchmark's on its inputs, and its dump holds those inputs and results.
 */
class SecondOrderTimingTest {
  @Test
  void timesTheBenchmarksProductsOnItsInputs() {
    SecondOrderTiming timing = new SecondOrderTiming();
    SecondOrderBenchmark bench = new SecondOrderBenchmark();
    assertEquals(bench.rosenbrockJvp(), timing.rosenbrockJvp());
    assertEquals(bench.rosenbrockHvp(), timing.rosenbrockHvp());
    assertEquals(bench.logisticJvp(), timing.logisticJvp());
    assertEquals(bench.logisticHvp(), timing.logisticHvp());
    assertEquals(bench.mlpJvp(), timing.mlpJvp());
    assertEquals(bench.mlpHvp(), timing.mlpHvp());
  }

  @Test
  void dumpsInputsAndResultsAsLittleEndianArrays(@TempDir Path dir) throws IOException {
    SecondOrderTiming timing = new SecondOrderTiming();
    timing.dump(dir);
    assertArrayEquals(timing.x, read(dir.resolve("rosenbrock.x.f64")));
    assertArrayEquals(timing.mx, read(dir.resolve("mlp.x.f64")));
    assertArrayEquals(new double[] {timing.logisticJvp()}, read(dir.resolve("logistic.jvp.f64")));
    timing.mlpHvp();
    assertArrayEquals(timing.mlpHv.w2, read(dir.resolve("mlp.hvp2.f64")));
    assertEquals(4L * SecondOrderTiming.EXAMPLES, Files.size(dir.resolve("logistic.labels.i32")));
  }

  private static double[] read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    double[] a = new double[b.remaining() / 8];
    b.asDoubleBuffer().get(a);
    return a;
  }
}
