package dev.adjoint.example;

import dev.adjoint.GradCheck;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A table that prints the numbers an example computes with Adjoint beside the numbers its seed
 * tutorial publishes, and records which of them disagree.
 *
 * <p>A table has one or more value columns (for example one for {@code double} and one for
 * {@code float}). Each row names a quantity, holds one cell per column and the seed's number as
 * the seed prints it. A cell agrees with the seed when it is within the cell's tolerance of the
 * seed's number; {@link #printed(String, String, double...)} derives that tolerance from the
 * seed's printed digits, so "agrees" means "rounds to what the seed printed".
 *
 * <p>Rows the seed has no number for are shown but not checked; gradient checks and claims (such
 * as "the error decreases") are checked like numbers.
 */
public final class SeedTable {
  /** Slack on top of half a unit in the last printed digit, so exact ties are not failures. */
  private static final double TIE_SLACK = 1e-9;

  private final String title;
  private final List<String> columns;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /**
   * A table with a single value column called {@code Adjoint}.
   *
   * @param title printed above the table
   */
  public SeedTable(String title) {
    this(title, List.of("Adjoint"));
  }

  /**
   * A table with the given value columns.
   *
   * @param title printed above the table
   * @param columns headers of the value columns, at least one
   */
  public SeedTable(String title, List<String> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one value column");
    }
    this.title = title;
    this.columns = List.copyOf(columns);
  }

  /** The title printed above the table. */
  public String title() {
    return title;
  }

  /** The rows added so far, in order. */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /**
   * Adds a row whose values must round to the number the seed prints: each value may differ from
   * it by at most half a unit in the seed's last printed digit.
   *
   * @param quantity what the row holds
   * @param seed the seed's number, exactly as printed (for example {@code "0.51998934"})
   * @param values one value per column
   * @return this table
   */
  public SeedTable printed(String quantity, String seed, double... values) {
    return within(quantity, seed, halfUnitInLastPlace(seed), values);
  }

  /**
   * Adds a row whose values must be within {@code tolerance} of the seed's number. Use it where
   * the printed digits are not the right yardstick: a seed value that is an exact decimal ("715")
   * deserves a tighter tolerance, a float32 result compared with a double a looser one.
   *
   * @param quantity what the row holds
   * @param seed the seed's number as printed
   * @param tolerance largest allowed absolute difference
   * @param values one value per column
   * @return this table
   */
  public SeedTable within(String quantity, String seed, double tolerance, double... values) {
    double[] tolerances = new double[values.length];
    Arrays.fill(tolerances, tolerance);
    return add(new Row(quantity, seed, values, tolerances, Check.NUMBER));
  }

  /**
   * Adds a row with a separate tolerance per column.
   *
   * @param quantity what the row holds
   * @param seed the seed's number as printed
   * @param tolerances largest allowed absolute difference, one per column
   * @param values one value per column
   * @return this table
   */
  public SeedTable within(String quantity, String seed, double[] tolerances, double... values) {
    return add(new Row(quantity, seed, values, tolerances.clone(), Check.NUMBER));
  }

  /**
   * Adds a row the seed prints no number for: shown, never a disagreement.
   *
   * @param quantity what the row holds
   * @param values one value per column
   * @return this table
   */
  public SeedTable extra(String quantity, double... values) {
    return add(new Row(quantity, "-", values, new double[values.length], Check.NONE));
  }

  /**
   * Adds a row for a statement of the seed that is not a number, such as "the error decreases".
   *
   * @param quantity what the row holds
   * @param seed the seed's statement, shown in the seed column
   * @param holds whether our numbers bear the statement out
   * @param values one value per column, shown as evidence
   * @return this table
   */
  public SeedTable claim(String quantity, String seed, boolean holds, double... values) {
    return add(new Row(quantity, seed, values, new double[values.length],
        holds ? Check.CLAIM_HOLDS : Check.CLAIM_FAILS));
  }

  /**
   * Adds a row for a gradient check: the largest error between the generated gradient and central
   * finite differences, which must not exceed {@code tolerance}. The seeds print no such number;
   * seed 001 describes the check ("gradient check") that this row performs.
   *
   * @param function what was checked
   * @param report the outcome of {@link GradCheck#compare}
   * @param tolerance largest allowed {@link GradCheck.Report#maxError()}
   * @return this table
   */
  public SeedTable gradCheck(String function, GradCheck.Report report, double tolerance) {
    String seed = String.format(Locale.ROOT, "<= %.0e", tolerance);
    return claim("GradCheck max error: " + function, seed, report.passes(tolerance),
        report.maxError());
  }

  /**
   * Adds a line printed under the table, to say where a seed number comes from or why a
   * tolerance is what it is.
   *
   * @param note the text
   * @return this table
   */
  public SeedTable note(String note) {
    notes.add(note);
    return this;
  }

  private SeedTable add(Row row) {
    if (row.values().length != columns.size() || row.tolerances().length != columns.size()) {
      throw new IllegalArgumentException(
          row.quantity() + ": expected " + columns.size() + " values, got " + row.values().length);
    }
    rows.add(row);
    return this;
  }

  /** The rows that disagree with the seed. */
  public List<Row> mismatches() {
    List<Row> bad = new ArrayList<>();
    for (Row r : rows) {
      if (!r.agrees()) {
        bad.add(r);
      }
    }
    return bad;
  }

  /** The table as text: a header, one line per row, then the notes. */
  public String render() {
    List<String[]> lines = new ArrayList<>();
    List<String> header = new ArrayList<>();
    header.add("quantity");
    header.addAll(columns);
    header.add("seed");
    header.add("max diff");
    header.add("");
    lines.add(header.toArray(new String[0]));
    for (Row r : rows) {
      List<String> cells = new ArrayList<>();
      cells.add(r.quantity());
      for (int i = 0; i < r.values().length; i++) {
        cells.add(r.formatValue(i));
      }
      cells.add(r.seed());
      cells.add(r.check() == Check.NUMBER
          ? String.format(Locale.ROOT, "%.1e", r.maxDifference()) : "");
      cells.add(r.verdict());
      lines.add(cells.toArray(new String[0]));
    }
    int[] widths = new int[header.size()];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("== ").append(title).append(" ==").append(System.lineSeparator());
    for (int n = 0; n < lines.size(); n++) {
      String[] line = lines.get(n);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        if (i > 0) {
          text.append(" | ");
        }
        // Quantities and the seed's text read best left-aligned, numbers right-aligned.
        boolean left = i == 0 || i == line.length - 1;
        String format = "%" + (left ? "-" : "") + widths[i] + "s";
        text.append(String.format(Locale.ROOT, format, line[i]));
      }
      sb.append(text.toString().stripTrailing()).append(System.lineSeparator());
      if (n == 0) {
        sb.append("-".repeat(text.toString().stripTrailing().length()))
            .append(System.lineSeparator());
      }
    }
    for (String note : notes) {
      sb.append("  note: ").append(note).append(System.lineSeparator());
    }
    long bad = mismatches().size();
    sb.append(bad == 0
        ? "  all " + rows.size() + " rows agree with the seed"
        : "  " + bad + " of " + rows.size() + " rows DISAGREE with the seed");
    sb.append(System.lineSeparator());
    return sb.toString();
  }

  @Override
  public String toString() {
    return render();
  }

  /**
   * Half a unit in the last digit of a number as printed: 0.005 for "2.20", 0.5 for "715", with a
   * little slack so that a value exactly halfway still counts as rounding to the printed text.
   *
   * @param printed a decimal number such as {@code "0.02592286"} or {@code "-1"}
   * @return the tolerance that makes "within tolerance" mean "rounds to {@code printed}"
   */
  public static double halfUnitInLastPlace(String printed) {
    BigDecimal d = new BigDecimal(printed.strip());
    double half = 0.5 * Math.pow(10, -d.scale());
    return half * (1 + TIE_SLACK);
  }

  /** How a row is checked. */
  public enum Check {
    /** Each value must be within its tolerance of the seed's number. */
    NUMBER,
    /** Not checked: the seed prints no number for this row. */
    NONE,
    /** A statement of the seed that our numbers bear out. */
    CLAIM_HOLDS,
    /** A statement of the seed that our numbers contradict. */
    CLAIM_FAILS
  }

  /**
   * One row of a table.
   *
   * @param quantity what the row holds
   * @param seed the seed's number or statement as printed, or "-" when it has none
   * @param values our values, one per column
   * @param tolerances the allowed difference of each value from the seed's number
   * @param check how the row is checked
   */
  public record Row(
      String quantity, String seed, double[] values, double[] tolerances, Check check) {

    /** True unless the row is a number outside its tolerance or a claim that fails. */
    public boolean agrees() {
      return switch (check) {
        case NONE, CLAIM_HOLDS -> true;
        case CLAIM_FAILS -> false;
        case NUMBER -> {
          double expected = Double.parseDouble(seed);
          for (int i = 0; i < values.length; i++) {
            // Written so that NaN disagrees.
            if (!(Math.abs(values[i] - expected) <= tolerances[i])) {
              yield false;
            }
          }
          yield true;
        }
      };
    }

    /** The largest difference between a value and the seed's number (NUMBER rows only). */
    public double maxDifference() {
      double expected = Double.parseDouble(seed);
      double max = 0;
      for (double v : values) {
        max = Math.max(max, Math.abs(v - expected));
      }
      return max;
    }

    /**
     * The text of one value: two digits more than the seed prints, so rounding is visible;
     * integers without decimals; NaN, which marks an empty cell, as "-".
     */
    String formatValue(int i) {
      double v = values[i];
      if (Double.isNaN(v)) {
        return "-";
      }
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        return String.format(Locale.ROOT, "%.0f", v);
      }
      if (check == Check.CLAIM_HOLDS || check == Check.CLAIM_FAILS) {
        // Claims show errors (tiny) or ordinary values as evidence.
        return String.format(Locale.ROOT, Math.abs(v) < 1e-3 ? "%.3e" : "%.10f", v);
      }
      int digits = 10;
      if (check == Check.NUMBER) {
        digits = Math.max(2, new BigDecimal(seed.strip()).scale() + 2);
      }
      return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    String verdict() {
      return switch (check) {
        case NONE -> "";
        case NUMBER, CLAIM_HOLDS, CLAIM_FAILS -> agrees() ? "ok" : "MISMATCH";
      };
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Row r
          && quantity.equals(r.quantity)
          && seed.equals(r.seed)
          && Arrays.equals(values, r.values)
          && Arrays.equals(tolerances, r.tolerances)
          && check == r.check;
    }

    @Override
    public int hashCode() {
      return 31 * quantity.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return quantity + " = " + Arrays.toString(values) + " (seed " + seed + ")";
    }
  }
}
