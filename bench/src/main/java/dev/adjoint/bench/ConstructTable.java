package dev.adjoint.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text output of a JMH run of {@link ConstructBenchmark} (with
 * {@code -prof dev.adjoint.bench.CpuTimeProfiler -prof gc}) into the construct table in
 * Markdown: per row, the CPU time of the construct's generated gradient and of its plain
 * spelling's, their ratio against {@link #TARGET}, the same for the two functions, and the bytes
 * each gradient allocates per call.
 *
 * <pre>
 * java -cp bench/target/adjoint-bench.jar dev.adjoint.bench.ConstructTable run.txt
 * </pre>
 */
public final class ConstructTable {
  /** Target for construct / plain spelling, gradient CPU time. */
  static final double TARGET = 1.10;

  /** A result line: {@code Class.rowConstructGradient[:secondary]  avgt  cnt  score ...}. */
  private static final Pattern LINE = Pattern.compile(
      "^\\S*?\\.?(\\w+)(Construct|Plain)(Function|Gradient)(?::(\\S+))?\\s+avgt(?:\\s+\\d+)?\\s+"
          + "(≈ 10⁻\\S+|[0-9.]+|NaN)(?:\\s.*)?$");

  private ConstructTable() {}

  /**
   * One row, microseconds of CPU time and bytes per call (NaN when not measured): the
   * construct's and the plain spelling's gradient and function.
   */
  record Row(String name, double constructGradient, double plainGradient,
      double constructFunction, double plainFunction, double constructBytes, double plainBytes) {
    double gradientRatio() {
      return constructGradient / plainGradient;
    }

    double functionRatio() {
      return constructFunction / plainFunction;
    }
  }

  /** Runs over the file named by the first argument, or standard input. */
  public static void main(String[] args) throws IOException {
    System.out.print(markdown(rows(IdiomTable.input(args))));
  }

  /** The rows of a run that measured both gradients, in order. */
  static List<Row> rows(String jmhOutput) {
    Map<String, double[]> byRow = new LinkedHashMap<>();
    for (String line : jmhOutput.split("\\R")) {
      Matcher m = LINE.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      boolean construct = m.group(2).equals("Construct");
      boolean gradient = m.group(3).equals("Gradient");
      String metric = m.group(4);
      int column;
      if ("cpu.time.norm".equals(metric)) {
        column = (gradient ? 0 : 2) + (construct ? 0 : 1);
      } else if ("gc.alloc.rate.norm".equals(metric) && gradient) {
        column = construct ? 4 : 5;
      } else {
        continue;
      }
      double[] values = byRow.computeIfAbsent(m.group(1), k -> new double[] {
          Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN});
      values[column] = IdiomTable.number(m.group(5));
    }
    List<Row> rows = new ArrayList<>();
    byRow.forEach((name, v) -> {
      if (!Double.isNaN(v[0]) && !Double.isNaN(v[1])) {
        rows.add(new Row(name, v[0], v[1], v[2], v[3], v[4], v[5]));
      }
    });
    return rows;
  }

  /** The rows as a Markdown table, the gradient ratio marked against its target. */
  static String markdown(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append("| Construct | gradient µs | plain gradient µs | construct / plain (<= ")
        .append(String.format(Locale.ROOT, "%.2f", TARGET))
        .append(") | function µs | plain function µs | function ratio"
            + " | gradient bytes per call | plain gradient bytes per call |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT,
          "| %s | %.1f | %.1f | %.2f %s | %s | %s | %s | %s | %s |\n",
          r.name(), r.constructGradient(), r.plainGradient(), r.gradientRatio(),
          r.gradientRatio() <= TARGET ? "met" : "**missed**",
          micros(r.constructFunction()), micros(r.plainFunction()), ratio(r.functionRatio()),
          IdiomTable.bytes(r.constructBytes()), IdiomTable.bytes(r.plainBytes())));
    }
    return out.toString();
  }

  private static String micros(double us) {
    return Double.isNaN(us) ? "-" : String.format(Locale.ROOT, "%.1f", us);
  }

  private static String ratio(double r) {
    return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r);
  }
}
