package dev.adjoint.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart keeps every label inside the image, whatever the scale of the losses. */
class MetricsPlotTest {
  @TempDir Path dir;

  private static List<EpochMetrics> history(double... trainLosses) {
    List<EpochMetrics> h = new ArrayList<>();
    for (int i = 0; i < trainLosses.length; i++) {
      h.add(new EpochMetrics(i + 1, trainLosses[i], trainLosses[i] * 1.1, 0.1 + 0.01 * i, 0.1,
          1, 1000));
    }
    return h;
  }

  /** The number of non-white pixels in columns {@code [from, to)}. */
  private static int inked(BufferedImage image, int from, int to) {
    int n = 0;
    for (int x = from; x < to; x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void labelsStayInsideTheImageAtAnyScale() throws Exception {
    // Like --lr 1e9: a first epoch of 7e31, then 4e8; huge and flat; tiny; ordinary.
    List<List<EpochMetrics>> cases = List.of(
        history(7.4652798e+31, 4.7758045e+08, 4.6994669e+08, 4.9236126e+08),
        history(123456789012.0, 123456789013.0, 98765432109.0),
        history(3.2e-7, 2.9e-7, 1.4e-7),
        history(-2.5e6, -7.5e6),
        history(2.3, 0.9, 0.4, 0.3));
    for (List<EpochMetrics> h : cases) {
      BufferedImage image = MetricsPlot.render(h, MetricsPlot.DEFAULT_WIDTH,
          MetricsPlot.DEFAULT_HEIGHT);
      int w = image.getWidth();
      assertTrue(inked(image, 0, 6) == 0, "ink at the left edge for " + h.get(0));
      assertTrue(inked(image, w - 6, w) == 0, "ink at the right edge for " + h.get(0));
      assertTrue(inked(image, 6, 40) > 0, "no axis title for " + h.get(0));
      Path png = dir.resolve("plot.png");
      MetricsPlot.write(png, h);
      assertTrue(Files.size(png) > 1000);
    }
  }
}
