package dev.adjoint.train;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Prints training progress: a bar redrawn in place on a terminal, plain lines elsewhere. Redraws
 * are throttled by time so that fast batches do not spend their time printing.
 */
final class ProgressReporter {
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final long LINE_NANOS = 10_000_000_000L;
  private static final int BAR_WIDTH = 30;

  private final PrintStream out;
  private final ProgressMode mode;
  private final int epochs;

  private int epoch;
  private long epochStart;
  private long lastPrint;
  private int lastWidth;

  ProgressReporter(PrintStream out, ProgressMode mode, int epochs) {
    this.out = out;
    this.mode = mode == ProgressMode.AUTO ? autoMode(out) : mode;
    this.epochs = epochs;
  }

  /** The mode actually used, with {@link ProgressMode#AUTO} resolved. */
  ProgressMode mode() {
    return mode;
  }

  private static ProgressMode autoMode(PrintStream out) {
    return out == System.out && stdoutIsTerminal() ? ProgressMode.BAR : ProgressMode.LINES;
  }

  /**
   * Whether standard output is an interactive terminal. Up to JDK 21 {@link System#console()} is
   * null unless it is; from JDK 22 it may return a console for redirected streams too and {@code
   * Console.isTerminal()} (absent from 17, hence reflection) tells the difference.
   */
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** A line of its own (resume notices, file locations). */
  void info(String line) {
    if (mode != ProgressMode.NONE) {
      out.println(line);
      out.flush();
    }
  }

  void beginEpoch(int epoch) {
    this.epoch = epoch;
    this.epochStart = System.nanoTime();
    this.lastPrint = epochStart;
    this.lastWidth = 0;
  }

  /**
   * After each training batch.
   *
   * @param done batches done in this epoch
   * @param batches batches per epoch
   * @param samples samples done in this epoch
   * @param loss running mean loss of the epoch
   */
  void batch(int done, int batches, long samples, double loss) {
    if (mode != ProgressMode.BAR && mode != ProgressMode.LINES) {
      return;
    }
    long now = System.nanoTime();
    long interval = mode == ProgressMode.BAR ? REDRAW_NANOS : LINE_NANOS;
    if (now - lastPrint < interval && !(mode == ProgressMode.BAR && done == batches)) {
      return;
    }
    lastPrint = now;
    double elapsed = (now - epochStart) / 1e9;
    double rate = elapsed > 0 ? samples / elapsed : 0;
    double eta = elapsed * (batches - done) / done;
    String status =
        String.format(
            Locale.ROOT,
            "%d/%d  %3d%%  %s samples/s  ETA %s  loss %s",
            done,
            batches,
            (int) (100L * done / batches),
            formatRate(rate),
            formatDuration(eta),
            formatLoss(loss));
    if (mode == ProgressMode.BAR) {
      redraw(epochLabel() + " " + bar(done, batches) + " " + status);
    } else {
      out.println(epochLabel() + "  batch " + status);
      out.flush();
    }
  }

  /** Between training and evaluation, which can take a while on a large test set. */
  void evaluating() {
    if (mode == ProgressMode.BAR) {
      redraw(epochLabel() + " evaluating...");
    }
  }

  void endEpoch(EpochMetrics m) {
    if (mode == ProgressMode.NONE) {
      return;
    }
    StringBuilder s = new StringBuilder(epochLabel());
    s.append("  train loss ").append(formatLoss(m.trainLoss()));
    if (!Double.isNaN(m.testLoss())) {
      s.append("  test loss ").append(formatLoss(m.testLoss()))
          .append(String.format(Locale.ROOT, "  test acc %.2f%%", 100 * m.testAccuracy()));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "  lr %.3g  %.1f s  %s samples/s",
            m.learningRate(),
            m.seconds(),
            formatRate(m.samplesPerSecond())));
    if (mode == ProgressMode.BAR) {
      redraw(s.toString());
      out.println();
    } else {
      out.println(s);
    }
    out.flush();
  }

  /** Clears a half-drawn bar before an error message is printed below it. */
  void abort() {
    if (mode == ProgressMode.BAR && lastWidth > 0) {
      out.println();
      out.flush();
      lastWidth = 0;
    }
  }

  private String epochLabel() {
    int digits = Integer.toString(epochs).length();
    return String.format(Locale.ROOT, "epoch %" + digits + "d/%d", epoch + 1, epochs);
  }

  /** Overwrites the current line, padding with spaces where the previous one was longer. */
  private void redraw(String line) {
    StringBuilder s = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < lastWidth; i++) {
      s.append(' ');
    }
    lastWidth = line.length();
    out.print(s);
    out.flush();
  }

  private static String bar(int done, int total) {
    int filled = (int) ((long) BAR_WIDTH * done / total);
    StringBuilder s = new StringBuilder(BAR_WIDTH + 2).append('[');
    for (int i = 0; i < BAR_WIDTH; i++) {
      s.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    return s.append(']').toString();
  }

  /**
   * A loss with four decimals, or in scientific notation from 1e5 on: a diverging run's losses
   * (1e31) would otherwise print as 32 digits.
   */
  static String formatLoss(double loss) {
    return String.format(Locale.ROOT, Math.abs(loss) < 1e5 ? "%.4f" : "%.4e", loss);
  }

  static String formatRate(double perSecond) {
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
    }
    if (perSecond >= 1e4) {
      return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", perSecond);
  }

  static String formatDuration(double seconds) {
    if (!(seconds < 360_000)) {
      return "--:--";
    }
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
