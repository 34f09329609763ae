package dev.adjoint.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws loss and accuracy per epoch as a PNG chart, with the JDK's own imaging (no display
 * needed): train and test loss on the left axis, test accuracy in percent on the right axis, a
 * legend under the title. Epochs without a test set simply have no test curves.
 */
public final class MetricsPlot {
  /** Default image width in pixels. */
  public static final int DEFAULT_WIDTH = 900;
  /** Default image height in pixels. */
  public static final int DEFAULT_HEIGHT = 560;

  private static final Color TRAIN_LOSS = new Color(0x1f77b4);
  private static final Color TEST_LOSS = new Color(0xff7f0e);
  private static final Color TEST_ACCURACY = new Color(0x2ca02c);
  private static final Color GRID = new Color(0xe6e6e6);
  private static final Color AXIS = new Color(0x333333);
  private static final Stroke DASHED =
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {7, 5}, 0);
  private static final Stroke SOLID =
      new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  private static final Font PLAIN = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

  static {
    // Training runs on servers without a display; drawing into an image needs none, and setting
    // this early also keeps desktop platforms from starting a GUI session for it. Respect an
    // explicit choice made by the application.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private MetricsPlot() {}

  /**
   * Writes the chart at the default size; see {@link #write(Path, List, int, int)}.
   *
   * @throws IOException if the file cannot be written
   */
  public static void write(Path png, List<EpochMetrics> history) throws IOException {
    write(png, history, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /**
   * Writes the chart as a PNG file, atomically replacing any previous one.
   *
   * @param png the file to write
   * @param history epochs in order, as from {@link TrainingResult#history()}
   * @param width image width in pixels, at least 300
   * @param height image height in pixels, at least 200
   * @throws IOException if the file cannot be written
   */
  public static void write(Path png, List<EpochMetrics> history, int width, int height)
      throws IOException {
    BufferedImage image = render(history, width, height);
    AtomicFiles.write(
        png,
        channel -> {
          OutputStream out = Channels.newOutputStream(channel);
          if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available in this JDK");
          }
          out.flush();
        });
  }

  /**
   * Draws the chart into a new image.
   *
   * @param history epochs in order; may be empty (axes only)
   * @param width image width in pixels, at least 300
   * @param height image height in pixels, at least 200
   */
  public static BufferedImage render(List<EpochMetrics> history, int width, int height) {
    if (width < 300 || height < 200) {
      throw new IllegalArgumentException(
          "the chart needs at least 300x200 pixels, got " + width + "x" + height);
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      new Chart(g, history, width, height).draw();
    } finally {
      g.dispose();
    }
    return image;
  }

  /** One drawing: the layout computed from the data and the size, then the parts in order. */
  private static final class Chart {
    private final Graphics2D g;
    private final List<EpochMetrics> history;
    private final int width;
    private final int height;
    private final boolean hasTest;
    private final Axis x;
    private final Axis loss;
    private final Axis accuracy;
    private final int left;
    private final int right;
    private final int top;
    private final int bottom;

    Chart(Graphics2D g, List<EpochMetrics> history, int width, int height) {
      this.g = g;
      this.history = history;
      this.width = width;
      this.height = height;
      this.hasTest = history.stream().anyMatch(m -> Double.isFinite(m.testAccuracy()));
      int first = history.isEmpty() ? 1 : history.get(0).epoch();
      int last = history.isEmpty() ? 1 : history.get(history.size() - 1).epoch();
      // A single epoch still gets a visible, centred x range.
      this.x =
          first == last
              ? Axis.integers(first - 1, last + 1)
              : Axis.integers(first, last);
      this.loss = Axis.forLoss(range(EpochMetrics::trainLoss, EpochMetrics::testLoss), 6);
      double[] acc = range(m -> 100 * m.testAccuracy());
      this.accuracy =
          Axis.nice(new double[] {Math.max(0, acc[0]), Math.min(100, acc[1])}, 6).clip(0, 100);
      // Room for the widest tick label of each vertical axis, whatever the scale.
      FontMetrics fm = g.getFontMetrics(PLAIN);
      this.left = 34 + widest(fm, loss);
      this.right = width - (hasTest ? 34 + widest(fm, accuracy) : 30);
      this.top = 78;
      this.bottom = height - 58;
    }

    void draw() {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(AXIS);

      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
      centred("Training progress", width / 2.0, 28);
      g.setFont(PLAIN);
      legend(54);

      grid();
      curve(EpochMetrics::trainLoss, loss, TRAIN_LOSS, SOLID);
      if (hasTest) {
        curve(EpochMetrics::testLoss, loss, TEST_LOSS, SOLID);
        curve(m -> 100 * m.testAccuracy(), accuracy, TEST_ACCURACY, DASHED);
      }
      axes();
    }

    private void legend(int y) {
      String[] labels =
          hasTest
              ? new String[] {"train loss", "test loss", "test accuracy (right axis)"}
              : new String[] {"train loss"};
      Color[] colors = {TRAIN_LOSS, TEST_LOSS, TEST_ACCURACY};
      Stroke[] strokes = {SOLID, SOLID, DASHED};
      FontMetrics fm = g.getFontMetrics();
      int sample = 28;
      int gap = 26;
      int total = 0;
      for (String label : labels) {
        total += sample + 6 + fm.stringWidth(label) + gap;
      }
      total -= gap;
      double at = (width - total) / 2.0;
      for (int i = 0; i < labels.length; i++) {
        g.setColor(colors[i]);
        g.setStroke(strokes[i]);
        g.draw(new Line2D.Double(at, y - 4, at + sample, y - 4));
        g.fill(new Ellipse2D.Double(at + sample / 2.0 - 3, y - 7, 6, 6));
        at += sample + 6;
        g.setColor(AXIS);
        g.drawString(labels[i], (float) at, y);
        at += fm.stringWidth(labels[i]) + gap;
      }
    }

    private void grid() {
      g.setStroke(new BasicStroke(1f));
      g.setColor(GRID);
      for (double v : loss.ticks()) {
        double py = py(loss, v);
        g.draw(new Line2D.Double(left, py, right, py));
      }
      for (double v : x.ticks()) {
        double px = px(v);
        g.draw(new Line2D.Double(px, top, px, bottom));
      }
    }

    private void axes() {
      g.setStroke(new BasicStroke(1.2f));
      g.setColor(AXIS);
      g.draw(new Line2D.Double(left, top, left, bottom));
      g.draw(new Line2D.Double(left, bottom, right, bottom));
      if (hasTest) {
        g.draw(new Line2D.Double(right, top, right, bottom));
      }
      FontMetrics fm = g.getFontMetrics();
      int ascent = fm.getAscent();
      for (double v : x.ticks()) {
        double px = px(v);
        g.draw(new Line2D.Double(px, bottom, px, bottom + 5));
        centred(x.label(v), px, bottom + 8 + ascent);
      }
      for (double v : loss.ticks()) {
        double py = py(loss, v);
        g.draw(new Line2D.Double(left - 5, py, left, py));
        String s = loss.label(v);
        g.drawString(s, (float) (left - 8 - fm.stringWidth(s)), (float) (py + ascent / 2.0 - 1));
      }
      if (hasTest) {
        for (double v : accuracy.ticks()) {
          double py = py(accuracy, v);
          g.draw(new Line2D.Double(right, py, right + 5, py));
          g.drawString(accuracy.label(v), right + 8, (float) (py + ascent / 2.0 - 1));
        }
      }
      centred("epoch", (left + right) / 2.0, height - 14);
      vertical(loss.title("loss"), 16, (top + bottom) / 2.0, -Math.PI / 2);
      if (hasTest) {
        g.setColor(TEST_ACCURACY.darker());
        vertical("test accuracy (%)", width - 16, (top + bottom) / 2.0, Math.PI / 2);
        g.setColor(AXIS);
      }
    }

    private void curve(
        ToDoubleFunction<EpochMetrics> value, Axis axis, Color color, Stroke stroke) {
      g.setColor(color);
      Path2D.Double line = new Path2D.Double();
      boolean drawing = false;
      for (EpochMetrics m : history) {
        double v = value.applyAsDouble(m);
        if (!Double.isFinite(v)) {
          drawing = false; // a gap, not a line through a missing value
          continue;
        }
        double px = px(m.epoch());
        double py = py(axis, v);
        if (drawing) {
          line.lineTo(px, py);
        } else {
          line.moveTo(px, py);
          drawing = true;
        }
        g.fill(new Ellipse2D.Double(px - 3, py - 3, 6, 6));
      }
      g.setStroke(stroke);
      g.draw(line);
    }

    /** Keeps the first and last points off the vertical axes. */
    private static final int X_PADDING = 12;

    private double px(double epoch) {
      double span = right - left - 2 * X_PADDING;
      return left + X_PADDING + (epoch - x.min) / (x.max - x.min) * span;
    }

    private double py(Axis axis, double v) {
      return bottom - axis.position(v) * (bottom - top);
    }

    private static int widest(FontMetrics fm, Axis axis) {
      int w = 0;
      for (double v : axis.ticks()) {
        w = Math.max(w, fm.stringWidth(axis.label(v)));
      }
      return w;
    }

    private void centred(String s, double cx, double baseline) {
      g.drawString(s, (float) (cx - g.getFontMetrics().stringWidth(s) / 2.0), (float) baseline);
    }

    private void vertical(String s, double cx, double cy, double angle) {
      AffineTransform saved = g.getTransform();
      g.translate(cx, cy);
      g.rotate(angle);
      FontMetrics fm = g.getFontMetrics();
      g.drawString(s, -fm.stringWidth(s) / 2f, fm.getAscent() / 2f - 2);
      g.setTransform(saved);
    }

    /** The smallest and largest finite values of the given series, or {0, 1} if none. */
    @SafeVarargs
    private final double[] range(ToDoubleFunction<EpochMetrics>... series) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (EpochMetrics m : history) {
        for (ToDoubleFunction<EpochMetrics> f : series) {
          double v = f.applyAsDouble(m);
          if (Double.isFinite(v)) {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
      }
      return min <= max ? new double[] {min, max} : new double[] {0, 1};
    }
  }

  /**
   * An axis range with evenly spaced round tick values (steps of 1, 2 or 5 times 10^k). A linear
   * axis whose values are very large or very small labels its ticks in units of {@code
   * 10^exponent}, named in its title; a logarithmic one ({@code log}) has {@code min}, {@code
   * max} and {@code step} in decades and ticks at powers of ten.
   */
  private record Axis(double min, double max, double step, boolean log, int exponent) {
    static Axis integers(int first, int last) {
      double step = Math.max(1, niceStep((last - first) / 8.0));
      return new Axis(first, last, step, false, 0);
    }

    /**
     * A logarithmic axis when the values are positive and span three decades or more (a
     * diverging run next to a sane first epoch), a linear one otherwise.
     */
    static Axis forLoss(double[] range, int ticks) {
      if (range[0] > 0 && range[1] / range[0] >= 1000) {
        double lo = Math.floor(Math.log10(range[0]));
        double hi = Math.ceil(Math.log10(range[1]));
        double step = Math.max(1, Math.ceil((hi - lo) / 8));
        return new Axis(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step, true, 0);
      }
      return nice(range, ticks);
    }

    static Axis nice(double[] range, int ticks) {
      double lo = range[0];
      double hi = range[1];
      if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
        double pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
        lo -= pad;
        hi += pad;
      }
      double step = niceStep((hi - lo) / (ticks - 1));
      double min = Math.floor(lo / step) * step;
      double max = Math.ceil(hi / step) * step;
      double largest = Math.max(Math.abs(min), Math.abs(max));
      // Plain numbers up to 5 digits before or 3 after the point; beyond, a power of ten.
      int exponent = largest >= 1e5 || largest < 1e-3 && largest > 0
          ? (int) Math.floor(Math.log10(largest)) : 0;
      return new Axis(min, max, step, false, exponent);
    }

    Axis clip(double lo, double hi) {
      return new Axis(Math.max(lo, min), Math.min(hi, max), step, log, exponent);
    }

    static double niceStep(double raw) {
      if (!(raw > 0)) {
        return 1;
      }
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double f = raw / magnitude;
      return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }

    /** Where {@code v} lies, from 0 at {@code min} to 1 at {@code max}. */
    double position(double v) {
      double x = log ? Math.log10(v) : v;
      return (x - min) / (max - min);
    }

    /** Tick values inside the range, starting at the first multiple of the step. */
    double[] ticks() {
      double first = Math.ceil(min / step - 1e-9) * step;
      int n = (int) Math.floor((max - first) / step + 1e-9) + 1;
      double[] t = new double[Math.max(0, n)];
      for (int i = 0; i < t.length; i++) {
        t[i] = log ? Math.pow(10, first + i * step) : first + i * step;
      }
      return t;
    }

    /** The axis title: {@code name}, and the unit of its labels or its log scale. */
    String title(String name) {
      return log ? name + " (log scale)" : exponent != 0 ? name + " (\u00d710^" + exponent + ")"
          : name;
    }

    String label(double v) {
      if (log) {
        int k = (int) Math.round(Math.log10(v));
        return k >= -2 && k <= 4 ? plain(Math.pow(10, k), Math.max(0, -k)) : "1e" + k;
      }
      double scale = Math.pow(10, exponent);
      int decimals = (int) Math.max(0, -Math.floor(Math.log10(step / scale) + 1e-9));
      return plain(v / scale, decimals);
    }

    private static String plain(double v, int decimals) {
      String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
      return s.equals("-0") || s.matches("-0\\.0*") ? s.substring(1) : s;
    }
  }
}
