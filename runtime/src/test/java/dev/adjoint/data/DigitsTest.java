package dev.adjoint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitsTest {
  @TempDir Path dir;

  /** A well-formed line: pixels {@code base, base+1, ...} modulo 17, then the label. */
  private static String line(int base, int label) {
    StringBuilder b = new StringBuilder();
    for (int j = 0; j < 64; j++) {
      b.append((base + j) % 17).append(',');
    }
    return b.append(label).toString();
  }

  private Path writeText(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
  }

  private DatasetFormatException fails(String text, long expectedLine) throws IOException {
    Path file = writeText("digits.csv", text);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Digits.load(file));
    assertEquals(expectedLine, e.line());
    String prefix = file + (expectedLine > 0 ? ", line " + expectedLine + ": " : ": ");
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    return e;
  }

  @Test
  void builtInResourceHas1797DigitsOf64PixelsAnd10Classes() {
    Dataset d = Digits.load();
    assertEquals(1797, d.size());
    assertEquals(Digits.EXAMPLES, d.size());
    assertEquals(64, d.featuresPerExample());
    assertEquals(10, d.classes());
    assertEquals(1797 * 64, d.features().length);
  }

  @Test
  void builtInLabelHistogramIsBalanced() {
    int[] counts = Digits.load().classCounts();
    // The UCI test set has between 174 and 183 examples of each digit.
    assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts);
    assertEquals(1797, Arrays.stream(counts).sum());
  }

  @Test
  void builtInPixelsAreScaledToUnitIntervalInSixteenths() {
    Dataset d = Digits.load();
    float min = 1;
    float max = 0;
    for (float f : d.features()) {
      min = Math.min(min, f);
      max = Math.max(max, f);
      assertEquals(0f, f * 16 - Math.round(f * 16), 1e-6f, "not a multiple of 1/16: " + f);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
    // First line of the file: 0,0,5,13,9,1,0,0,... label 0.
    assertEquals(0, d.label(0));
    assertEquals(5 / 16f, d.feature(0, 2), 0f);
    assertEquals(13 / 16f, d.feature(0, 3), 0f);
    assertEquals(1, d.label(1));
    assertEquals(8, d.label(1796));
  }

  @Test
  void loadsPlainAndGzipFilesOfAnySize() throws IOException {
    String text = line(0, 3) + "\n" + line(5, 9) + "\r\n" + line(16, 0) + "\n\n";
    Path plain = writeText("plain.csv", text);
    Path gz =
        Files.write(
            dir.resolve("d.csv.gz"), IdxFiles.gzip(text.getBytes(StandardCharsets.US_ASCII)));
    for (Path file : List.of(plain, gz)) {
      Dataset d = Digits.load(file);
      assertEquals(3, d.size());
      assertArrayEquals(new int[] {3, 9, 0}, d.labels());
      assertEquals(6 / 16f, d.feature(1, 1), 0f);
      assertEquals(1f, d.feature(2, 0), 0f);
    }
  }

  @Test
  void wholeResourceRoundTripsThroughAFile() throws IOException {
    Path copy = dir.resolve("digits.csv.gz");
    try (var in = Digits.class.getResourceAsStream(Digits.RESOURCE)) {
      Files.copy(in, copy);
    }
    Dataset fromFile = Digits.load(copy);
    Dataset builtIn = Digits.load();
    assertArrayEquals(builtIn.features(), fromFile.features(), 0f);
    assertArrayEquals(builtIn.labels(), fromFile.labels());
  }

  @Test
  void tooFewColumns() throws IOException {
    String shortLine = line(0, 1).substring(2); // drops the first value and its comma
    DatasetFormatException e = fails(line(0, 1) + "\n" + shortLine + "\n", 2);
    assertTrue(
        e.getMessage()
            .endsWith("expected 65 comma-separated values (64 pixels and a label), found 64"),
        e.getMessage());
  }

  @Test
  void tooManyColumns() throws IOException {
    DatasetFormatException e =
        fails(line(0, 1) + "\n" + line(0, 1) + "\n" + line(0, 1) + ",3\n", 3);
    assertTrue(e.getMessage().endsWith("found 66"), e.getMessage());
  }

  @Test
  void nonNumericValue() throws IOException {
    String bad = line(0, 1).replaceFirst("^0,1,", "0,x,");
    DatasetFormatException e = fails(bad + "\n", 1);
    assertTrue(
        e.getMessage().endsWith("column 2 (a pixel) is \"x\", not an integer"), e.getMessage());
    DatasetFormatException decimal = fails(line(0, 1).replaceFirst(",1$", ",1.5"), 1);
    assertTrue(
        decimal.getMessage().endsWith("column 65 (the label) is \"1.5\", not an integer"),
        decimal.getMessage());
    DatasetFormatException empty = fails(line(0, 1).replaceFirst("^0,1,", "0,,"), 1);
    assertTrue(empty.getMessage().contains("column 2 (a pixel) is \"\""), empty.getMessage());
  }

  @Test
  void pixelOutOfRange() throws IOException {
    String bad = line(0, 1).replaceFirst("^0,1,2,", "0,1,17,");
    DatasetFormatException e = fails(line(0, 1) + "\n" + bad, 2);
    assertTrue(e.getMessage().endsWith("column 3 (a pixel) is 17, outside 0..16"), e.getMessage());
    DatasetFormatException negative = fails(line(0, 1).replaceFirst("^0,", "-1,"), 1);
    assertTrue(
        negative.getMessage().endsWith("column 1 (a pixel) is -1, outside 0..16"),
        negative.getMessage());
  }

  @Test
  void labelOutOfRange() throws IOException {
    DatasetFormatException e = fails(line(0, 10), 1);
    assertTrue(
        e.getMessage().endsWith("column 65 (the label) is 10, outside 0..9"), e.getMessage());
  }

  @Test
  void lineNumbersCountBlankLines() throws IOException {
    fails(line(0, 1) + "\n\n" + line(0, 12) + "\n", 3);
  }

  @Test
  void emptyOrBlankFile() throws IOException {
    DatasetFormatException e = fails("", 0);
    assertTrue(e.getMessage().endsWith("no examples: the file is empty or blank"), e.getMessage());
    fails("\n \n", 0);
    Path gz = Files.write(dir.resolve("empty.gz"), IdxFiles.gzip(new byte[0]));
    assertThrows(DatasetFormatException.class, () -> Digits.load(gz));
  }

  @Test
  void truncatedGzipNamesFile() throws IOException {
    String text = String.join("\n", Collections.nCopies(200, line(3, 4)));
    byte[] gz = IdxFiles.gzip(text.getBytes(StandardCharsets.US_ASCII));
    Path file = Files.write(dir.resolve("cut.csv.gz"), Arrays.copyOf(gz, gz.length / 2));
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Digits.load(file));
    assertTrue(
        e.getMessage().startsWith(file + ": corrupt or truncated gzip data"), e.getMessage());
  }
}
