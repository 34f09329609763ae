package dev.adjoint.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text output of a JMH run of {@link LoopIdiomBenchmark} (with
 * {@code -prof dev.adjoint.bench.CpuTimeProfiler -prof gc}) into the per-idiom table in
 * Markdown: for each idiom, the CPU time of its function, generated gradient and hand gradient,
 * gradient / function, generated / hand, and the bytes the generated gradient allocates per
 * call beside those the function itself allocates (the arrays of the user's own code).
 *
 * <pre>
 * java -cp bench/target/adjoint-bench.jar dev.adjoint.bench.IdiomTable run.txt
 * </pre>
 */
public final class IdiomTable {
  /** Target for gradient / function, CPU time. */
  static final double GRADIENT_PER_FUNCTION = 3.0;
  /** Target for generated / hand-written gradient, CPU time. */
  static final double GENERATED_PER_HAND = 1.15;

  /**
   * A result line of JMH's summary: {@code Class.idiomRole[:secondary]  avgt  cnt  score  [± error]
   * unit}. Scores below 0.001 print as {@code ≈ 10⁻⁴}.
   */
  private static final Pattern LINE = Pattern.compile(
      "^\\S*?(\\w+)(Function|Gradient|Hand)(?::(\\S+))?\\s+avgt(?:\\s+\\d+)?\\s+"
          + "(≈ 10⁻\\S+|[0-9.]+|NaN)(?:\\s.*)?$");

  private IdiomTable() {}

  /**
   * The three measurements of one idiom, in microseconds of CPU time, and the bytes the
   * gradient and the function allocate per call (NaN when not measured).
   */
  record Row(String idiom, double function, double gradient, double hand, double bytes,
      double functionBytes) {
    double gradientPerFunction() {
      return gradient / function;
    }

    double generatedPerHand() {
      return gradient / hand;
    }
  }

  /** Runs over the file named by the first argument, or standard input. */
  public static void main(String[] args) throws IOException {
    System.out.print(markdown(rows(input(args))));
  }

  /** The text of the file named by the first argument, or of standard input. */
  static String input(String[] args) throws IOException {
    if (args.length > 0) {
      return Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
    }
    StringWriter w = new StringWriter();
    try (Reader in = new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)) {
      in.transferTo(w);
    }
    return w.toString();
  }

  /** The idioms of a run that measured all three of function, gradient and hand, in order. */
  static List<Row> rows(String jmhOutput) {
    Map<String, double[]> byIdiom = new LinkedHashMap<>();
    for (String line : jmhOutput.split("\\R")) {
      Matcher m = LINE.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      String metric = m.group(3);
      int column;
      if ("cpu.time.norm".equals(metric)) {
        column = switch (m.group(2)) {
          case "Function" -> 0;
          case "Gradient" -> 1;
          default -> 2;
        };
      } else if ("gc.alloc.rate.norm".equals(metric) && m.group(2).equals("Gradient")) {
        column = 3;
      } else if ("gc.alloc.rate.norm".equals(metric) && m.group(2).equals("Function")) {
        column = 4;
      } else {
        continue;
      }
      double[] values = byIdiom.computeIfAbsent(m.group(1),
          k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN});
      values[column] = number(m.group(4));
    }
    List<Row> rows = new ArrayList<>();
    byIdiom.forEach((idiom, v) -> {
      if (!Double.isNaN(v[0]) && !Double.isNaN(v[1]) && !Double.isNaN(v[2])) {
        rows.add(new Row(idiom, v[0], v[1], v[2], v[3], v[4]));
      }
    });
    return rows;
  }

  /** A score as JMH prints it: a plain decimal, or {@code ≈ 10⁻ⁿ} for tiny ones. */
  static double number(String s) {
    if (!s.startsWith("≈")) {
      return Double.parseDouble(s);
    }
    String superscript = s.substring(s.indexOf('⁻') + 1);
    int exponent = 0;
    for (char c : superscript.toCharArray()) {
      exponent = exponent * 10 + "⁰¹²³⁴⁵⁶⁷⁸⁹".indexOf(c);
    }
    return Math.pow(10, -exponent);
  }

  /** The rows as a Markdown table, with each ratio marked against its target. */
  static String markdown(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append("| Idiom | function µs | gradient µs | hand µs | gradient / function (<= ")
        .append(GRADIENT_PER_FUNCTION).append(") | generated / hand (<= ")
        .append(GENERATED_PER_HAND)
        .append(") | gradient bytes per call | function bytes per call |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT,
          "| %s | %.1f | %.1f | %.1f | %.2f %s | %.2f %s | %s | %s |\n",
          r.idiom(), r.function(), r.gradient(), r.hand(),
          r.gradientPerFunction(), verdict(r.gradientPerFunction(), GRADIENT_PER_FUNCTION),
          r.generatedPerHand(), verdict(r.generatedPerHand(), GENERATED_PER_HAND),
          bytes(r.bytes()), bytes(r.functionBytes())));
    }
    return out.toString();
  }

  /** Bytes per call as the tables print them; {@code -} when not measured. */
  static String bytes(double b) {
    return Double.isNaN(b) ? "-" : String.format(Locale.ROOT, b < 100 ? "%.1f" : "%,.0f", b);
  }

  private static String verdict(double ratio, double target) {
    return ratio <= target ? "met" : "**missed**";
  }
}
