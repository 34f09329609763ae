package dev.adjoint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-idiom table is read off JMH's summary lines, CPU time and allocation only. */
class IdiomTableTest {
  private static final String SUMMARY = String.join("\n",
      "Benchmark                                           Mode  Cnt    Score     Error   Units",
      "LoopIdiomBenchmark.rosenWhileFunction               avgt    3   70.000 ±  50.0   us/op",
      "LoopIdiomBenchmark.rosenWhileFunction:cpu.time.norm avgt    3   60.000 ±   9.0   us/op",
      "LoopIdiomBenchmark.rosenWhileFunction:gc.alloc.rate.norm avgt 3  0.300 ± 0.1    B/op",
      "LoopIdiomBenchmark.rosenWhileGradient               avgt    3  999.000 ± 500.0   us/op",
      "LoopIdiomBenchmark.rosenWhileGradient:cpu.time.norm avgt    3  240.000 ±  20.0   us/op",
      "LoopIdiomBenchmark.rosenWhileGradient:gc.alloc.rate.norm avgt 3 800041.000 ± 2.0 B/op",
      "LoopIdiomBenchmark.rosenWhileGradient:gc.count      avgt    3      ≈ 0          counts",
      "LoopIdiomBenchmark.rosenWhileHand:cpu.time.norm     avgt    3  150.000 ±  10.0   us/op",
      "LoopIdiomBenchmark.pairsAboveGradient:cpu.time.norm avgt    3   1.000 ±  0.1    us/op",
      "LoopIdiomBenchmark.tinyFunction:cpu.time.norm       avgt    3      ≈ 10⁻⁴        us/op",
      "LoopIdiomBenchmark.tinyGradient:cpu.time.norm       avgt    3    0.001 ±  0.001  us/op",
      "LoopIdiomBenchmark.tinyHand:cpu.time.norm           avgt    3    0.002 ±  0.001  us/op");

  @Test
  void readsCpuTimesAndBytesOfEachCompleteIdiom() {
    List<IdiomTable.Row> rows = IdiomTable.rows(SUMMARY);
    // pairsAbove has no function or hand line: left out.
    assertEquals(List.of(new IdiomTable.Row("rosenWhile", 60, 240, 150, 800041, 0.3),
        new IdiomTable.Row("tiny", 1e-4, 0.001, 0.002, Double.NaN, Double.NaN)), rows);
    assertEquals(4.0, rows.get(0).gradientPerFunction(), 1e-12);
    assertEquals(1.6, rows.get(0).generatedPerHand(), 1e-12);
  }

  @Test
  void marksEachRatioAgainstItsTarget() {
    String table = IdiomTable.markdown(List.of(new IdiomTable.Row("a", 100, 250, 230, 0.5, 0.4),
        new IdiomTable.Row("b", 100, 400, 300, 1_234_567, 1_234_500)));
    assertEquals(List.of(
        "| a | 100.0 | 250.0 | 230.0 | 2.50 met | 1.09 met | 0.5 | 0.4 |",
        "| b | 100.0 | 400.0 | 300.0 | 4.00 **missed** | 1.33 **missed** | 1,234,567 | 1,234,500 |"),
        table.lines().skip(2).toList());
  }
}
