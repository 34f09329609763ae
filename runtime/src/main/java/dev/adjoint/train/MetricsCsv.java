package dev.adjoint.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-epoch metrics log: a CSV file with a header and one row per epoch, appended as epochs
 * finish so that it can be watched during training. Missing values (no test set) are empty.
 */
final class MetricsCsv {
  static final String HEADER =
      "epoch,train_loss,test_loss,test_accuracy,learning_rate,seconds,samples_per_second";

  private MetricsCsv() {}

  /**
   * Prepares the file for a run starting after {@code completedEpochs} epochs and returns the
   * rows of those epochs. A fresh run ({@code completedEpochs == 0}) starts a new file. A resumed
   * run keeps the rows of completed epochs and drops later ones, which a crash after writing a
   * row but before saving its checkpoint can leave behind and which are about to be redone.
   */
  static List<EpochMetrics> start(Path csv, int completedEpochs) throws IOException {
    List<EpochMetrics> kept = new ArrayList<>();
    if (completedEpochs > 0 && Files.exists(csv)) {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        throw new IOException(
            "metrics file " + csv + " does not start with the expected header \"" + HEADER
                + "\"; move it away to resume");
      }
      for (int i = 1; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        EpochMetrics m = parse(csv, i + 1, lines.get(i));
        if (m.epoch() <= completedEpochs) {
          kept.add(m);
        }
      }
    }
    StringBuilder s = new StringBuilder(HEADER).append('\n');
    for (EpochMetrics m : kept) {
      s.append(row(m)).append('\n');
    }
    byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(
        csv,
        channel -> {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        });
    return kept;
  }

  static void append(Path csv, EpochMetrics m) throws IOException {
    Files.writeString(
        csv, row(m) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  static String row(EpochMetrics m) {
    return String.join(
        ",",
        Integer.toString(m.epoch()),
        number("%.8g", m.trainLoss()),
        number("%.8g", m.testLoss()),
        number("%.6f", m.testAccuracy()),
        number("%.6g", m.learningRate()),
        number("%.3f", m.seconds()),
        number("%.1f", m.samplesPerSecond()));
  }

  private static String number(String format, double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, format, value);
  }

  private static EpochMetrics parse(Path csv, int lineNumber, String line) throws IOException {
    String[] f = line.split(",", -1);
    try {
      if (f.length != 7) {
        throw new NumberFormatException(f.length + " fields instead of 7");
      }
      return new EpochMetrics(
          Integer.parseInt(f[0]),
          value(f[1]),
          value(f[2]),
          value(f[3]),
          value(f[4]),
          value(f[5]),
          value(f[6]));
    } catch (NumberFormatException e) {
      throw new IOException(
          "metrics file " + csv + ", line " + lineNumber + ": cannot read \"" + line + "\" ("
              + e.getMessage() + ")",
          e);
    }
  }

  private static double value(String field) {
    return field.isEmpty() ? Double.NaN : Double.parseDouble(field);
  }
}
