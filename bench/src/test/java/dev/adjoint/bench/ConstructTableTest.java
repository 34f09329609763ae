package dev.adjoint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The construct table is read off JMH's summary lines, CPU time and allocation only. */
class ConstructTableTest {
  private static final String SUMMARY = String.join("\n",
      "Benchmark                                                 Mode  Cnt   Score    Error  Units",
      "ConstructBenchmark.cloneConstructFunction                  avgt    5  90.000 ± 9.0  us/op",
      "ConstructBenchmark.cloneConstructFunction:cpu.time.norm    avgt    5  50.000 ± 1.0  us/op",
      "ConstructBenchmark.cloneConstructGradient:cpu.time.norm    avgt    5 165.000 ± 5.0  us/op",
      "ConstructBenchmark.cloneConstructGradient:gc.alloc.rate.norm avgt 5 80021.000 ± 1.0 B/op",
      "ConstructBenchmark.clonePlainFunction:cpu.time.norm        avgt    5  40.000 ± 1.0  us/op",
      "ConstructBenchmark.clonePlainGradient:cpu.time.norm        avgt    5 150.000 ± 5.0  us/op",
      "ConstructBenchmark.clonePlainGradient:gc.alloc.rate.norm   avgt    5 80020.000 ± 1.0 B/op",
      "ConstructBenchmark.clonePlainGradient:gc.count             avgt    5     ≈ 0        counts",
      "ConstructBenchmark.sortInPlaceConstructGradient:cpu.time.norm avgt 5  10.000 ± 1.0  us/op",
      "ConstructBenchmark.tinyConstructGradient:cpu.time.norm     avgt    5  ≈ 10⁻⁴        us/op",
      "ConstructBenchmark.tinyPlainGradient:cpu.time.norm         avgt    5   0.001 ± 0.001 us/op");

  @Test
  void readsCpuTimesAndBytesOfEachRowWithBothGradients() {
    List<ConstructTable.Row> rows = ConstructTable.rows(SUMMARY);
    // sortInPlace has no plain gradient: left out.
    assertEquals(List.of(
        new ConstructTable.Row("clone", 165, 150, 50, 40, 80021, 80020),
        new ConstructTable.Row("tiny", 1e-4, 0.001, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN)), rows);
    assertEquals(1.1, rows.get(0).gradientRatio(), 1e-12);
    assertEquals(1.25, rows.get(0).functionRatio(), 1e-12);
  }

  @Test
  void marksTheGradientRatioAgainstItsTarget() {
    String table = ConstructTable.markdown(List.of(
        new ConstructTable.Row("a", 110, 100, 50, 40, 0.5, 0.4),
        new ConstructTable.Row("b", 111, 100, Double.NaN, 40, 1_234_567, 1_234_500)));
    assertEquals(List.of(
        "| a | 110.0 | 100.0 | 1.10 met | 50.0 | 40.0 | 1.25 | 0.5 | 0.4 |",
        "| b | 111.0 | 100.0 | 1.11 **missed** | - | 40.0 | - | 1,234,567 | 1,234,500 |"),
        table.lines().skip(2).toList());
  }
}
