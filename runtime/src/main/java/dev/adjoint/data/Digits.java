package dev.adjoint.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * The built-in handwritten digits dataset: 1797 grey images of 8x8 pixels, 10 classes, small enough
 * (57 KB) to ship inside the runtime jar, so examples can train without downloading anything.
 *
 * <p>The data is the test set of the <em>Optical Recognition of Handwritten Digits</em> dataset of
 * the UCI Machine Learning Repository, by E. Alpaydin and C. Kaynak (Bogazici University, 1998),
 * licensed under Creative Commons Attribution 4.0 International (CC BY 4.0). The file {@code
 * digits.csv.gz} is the copy shipped by scikit-learn ({@code sklearn/datasets/data/digits.csv.gz}),
 * taken from Debian's {@code python3-sklearn} package (1.2.1), unmodified. See {@code NOTICE} in
 * the runtime module (also in the jar's {@code META-INF}).
 *
 * <p>Format: one example per line, 64 pixel values (integers {@code 0..16}, the number of inked
 * pixels in a 4x4 block of a 32x32 bitmap, row by row) then the label ({@code 0..9}), separated by
 * commas, no header. The file may be gzip-compressed or plain text. Pixels are scaled to {@code [0,
 * 1]} by dividing by 16.
 *
 * <pre>{@code
 * Dataset.Split s = Digits.load().split(0.2, 42);
 * }</pre>
 */
public final class Digits {
  /** Name of the built-in data, a classpath resource next to this class. */
  public static final String RESOURCE = "digits.csv.gz";

  /** Side of the square images, in pixels. */
  public static final int SIDE = 8;

  /** Features in each example: {@code SIDE * SIDE}. */
  public static final int FEATURES = SIDE * SIDE;

  /** Largest pixel value in the file; pixels are divided by it. */
  public static final int MAX_PIXEL = 16;

  /** Number of classes: the digits 0 to 9. */
  public static final int CLASSES = 10;

  /** Number of examples in the built-in data. */
  public static final int EXAMPLES = 1797;

  private Digits() {}

  /**
   * Loads the built-in 1797 digits from the classpath.
   *
   * @throws UncheckedIOException if the resource is missing or damaged, which means a broken build
   *     of the runtime jar
   */
  public static Dataset load() {
    String source = RESOURCE + " (classpath resource of " + Digits.class.getName() + ")";
    InputStream raw = Digits.class.getResourceAsStream(RESOURCE);
    if (raw == null) {
      throw new UncheckedIOException(
          new DatasetFormatException(source, "resource not found: the runtime jar is incomplete"));
    }
    try (InputStream in = Streams.maybeGunzip(raw, source)) {
      return read(in, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Loads digits from a file in the same format, gzip-compressed or plain text.
   *
   * @param file the file, with any number of examples (at least one)
   * @throws DatasetFormatException naming the file and line if a line does not have 65 values, a
   *     value is not an integer, a pixel is outside {@code 0..16}, a label is outside {@code 0..9},
   *     or the file holds no examples
   * @throws IOException if the file cannot be read
   */
  public static Dataset load(Path file) throws IOException {
    String source = file.toString();
    try (InputStream in = Streams.open(file)) {
      return read(in, source);
    }
  }

  static Dataset read(InputStream in, String source) throws IOException {
    float[] features = new float[EXAMPLES * FEATURES];
    int[] labels = new int[EXAMPLES];
    int n = 0;
    long lineNumber = 0;
    try {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      int[] values = new int[FEATURES + 1];
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        parseLine(line, values, source, lineNumber);
        if (n == labels.length) {
          labels = Arrays.copyOf(labels, 2 * n);
          features = Arrays.copyOf(features, 2 * n * FEATURES);
        }
        for (int j = 0; j < FEATURES; j++) {
          features[n * FEATURES + j] = values[j] / (float) MAX_PIXEL;
        }
        labels[n] = values[FEATURES];
        n++;
      }
    } catch (ZipException | EOFException e) {
      throw new DatasetFormatException(
          source,
          "corrupt or truncated gzip data after line " + lineNumber + " (" + e.getMessage() + ")",
          e);
    }
    if (n == 0) {
      throw new DatasetFormatException(source, "no examples: the file is empty or blank");
    }
    return new Dataset(
        Arrays.copyOf(features, n * FEATURES), Arrays.copyOf(labels, n), FEATURES, CLASSES);
  }

  /** Parses 65 comma-separated integers into {@code values}, checking their ranges. */
  private static void parseLine(String line, int[] values, String source, long lineNumber)
      throws DatasetFormatException {
    int expected = FEATURES + 1;
    int columns = 1;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ',') {
        columns++;
      }
    }
    if (columns != expected) {
      throw new DatasetFormatException(
          source,
          lineNumber,
          String.format(
              "expected %d comma-separated values (%d pixels and a label), found %d",
              expected, FEATURES, columns));
    }
    int start = 0;
    for (int column = 0; column < expected; column++) {
      int comma = line.indexOf(',', start);
      int end = comma < 0 ? line.length() : comma;
      values[column] = parseValue(line.substring(start, end).strip(), column, source, lineNumber);
      start = end + 1;
    }
  }

  private static int parseValue(String text, int column, String source, long lineNumber)
      throws DatasetFormatException {
    boolean isLabel = column == FEATURES;
    String what = "column " + (column + 1) + (isLabel ? " (the label)" : " (a pixel)");
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(
          source, lineNumber, what + " is \"" + text + "\", not an integer");
    }
    int max = isLabel ? CLASSES - 1 : MAX_PIXEL;
    if (value < 0 || value > max) {
      throw new DatasetFormatException(
          source, lineNumber, what + " is " + value + ", outside 0.." + max);
    }
    return value;
  }
}
