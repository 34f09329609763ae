package dev.adjoint.data;

import static dev.adjoint.data.IdxFiles.append;
import static dev.adjoint.data.IdxFiles.gzip;
import static dev.adjoint.data.IdxFiles.idx;
import static dev.adjoint.data.IdxFiles.images;
import static dev.adjoint.data.IdxFiles.labels;
import static dev.adjoint.data.IdxFiles.truncate;
import static dev.adjoint.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  private DatasetFormatException imagesFail(String name, byte[] content) throws IOException {
    Path file = write(dir, name, content);
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(file));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertEquals(file.toString(), e.source());
    return e;
  }

  private DatasetFormatException labelsFail(String name, byte[] content) throws IOException {
    Path file = write(dir, name, content);
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> IdxReader.readLabels(file, 10));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    return e;
  }

  @Test
  void readsImagesScaledToUnitInterval() throws IOException {
    byte[] data = {0, (byte) 255, (byte) 128, 51, 1, 2};
    Path file = write(dir, "img", idx(IdxReader.IMAGES_MAGIC, new int[] {1, 2, 3}, data));
    IdxReader.Images im = IdxReader.readImages(file);
    assertEquals(1, im.count());
    assertEquals(2, im.rows());
    assertEquals(3, im.columns());
    assertEquals(6, im.pixelsPerImage());
    assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 0.2f, 1 / 255f, 2 / 255f}, im.pixels(), 0f);
  }

  @Test
  void readsSeveralImagesInOrder() throws IOException {
    Path file = write(dir, "img", images(5, 3, 4));
    IdxReader.Images im = IdxReader.readImages(file);
    assertEquals(5, im.count());
    assertEquals(60, im.pixels().length);
    // pixel p of image i is (7i + p) / 255
    assertEquals((7 * 4 + 11) / 255f, im.pixels()[4 * 12 + 11], 0f);
  }

  @Test
  void readsLabels() throws IOException {
    Path file = write(dir, "lab", labels(5, 0, 4, 1, 9));
    assertArrayEquals(new int[] {5, 0, 4, 1, 9}, IdxReader.readLabels(file, 10));
  }

  @Test
  void readsGzipRecognisedByMagicBytesNotName() throws IOException {
    Path images = write(dir, "images-without-suffix", gzip(images(3, 2, 2)));
    Path labels = write(dir, "labels.gz", gzip(labels(1, 2, 3)));
    Path plain = write(dir, "plain.gz", images(3, 2, 2));
    assertArrayEquals(
        IdxReader.readImages(plain).pixels(), IdxReader.readImages(images).pixels(), 0f);
    assertArrayEquals(new int[] {1, 2, 3}, IdxReader.readLabels(labels, 10));
  }

  @Test
  void emptyCountIsAllowed() throws IOException {
    Path file = write(dir, "img", images(0, 28, 28));
    assertEquals(0, IdxReader.readImages(file).count());
  }

  @Test
  void truncatedImagesNameFileAndSizes() throws IOException {
    byte[] full = images(3, 28, 28); // 16 + 2352 bytes
    DatasetFormatException e = imagesFail("train-images-idx3-ubyte", truncate(full, 1000));
    assertTrue(
        e.getMessage().endsWith(": expected 2368 bytes for 3 images of 28x28, found 1000"),
        e.getMessage());
  }

  @Test
  void truncatedGzipImagesSayDecompressed() throws IOException {
    DatasetFormatException e = imagesFail("img.gz", gzip(truncate(images(3, 28, 28), 1000)));
    assertTrue(
        e.getMessage()
            .endsWith(
                "expected 2368 bytes for 3 images of 28x28, found 1000 after gzip decompression"),
        e.getMessage());
  }

  @Test
  void cutGzipStreamIsReported() throws IOException {
    byte[] gz = gzip(images(3, 28, 28));
    DatasetFormatException e = imagesFail("img.gz", truncate(gz, gz.length / 2));
    assertTrue(e.getMessage().contains("corrupt or truncated gzip data"), e.getMessage());
  }

  @Test
  void truncatedLabels() throws IOException {
    DatasetFormatException e = labelsFail("lab", truncate(labels(1, 2, 3, 4), 10));
    assertTrue(e.getMessage().endsWith("expected 12 bytes for 4 labels, found 10"), e.getMessage());
  }

  @Test
  void fileEndingInsideHeader() throws IOException {
    DatasetFormatException e = imagesFail("img", truncate(images(1, 2, 2), 10));
    assertTrue(e.getMessage().contains("file ends inside the IDX header"), e.getMessage());
    DatasetFormatException tiny = imagesFail("tiny", new byte[] {0, 0});
    assertTrue(tiny.getMessage().contains("2 bytes long, too short"), tiny.getMessage());
    DatasetFormatException empty = labelsFail("empty", new byte[0]);
    assertTrue(empty.getMessage().contains("0 bytes long"), empty.getMessage());
  }

  @Test
  void trailingBytesAreRejected() throws IOException {
    DatasetFormatException e = imagesFail("img", append(images(2, 2, 2), (byte) 1, (byte) 2));
    assertTrue(
        e.getMessage()
            .endsWith(
                "expected 24 bytes for 2 images of 2x2, found 26 (2 trailing bytes after the"
                    + " data)"),
        e.getMessage());
    DatasetFormatException l = labelsFail("lab.gz", gzip(append(labels(1, 2), (byte) 0)));
    assertTrue(l.getMessage().contains("found 11 (1 trailing byte after the data)"), l.getMessage());
    assertTrue(l.getMessage().endsWith("after gzip decompression"), l.getMessage());
  }

  @Test
  void labelFileGivenAsImagesIsAWrongMagicNumber() throws IOException {
    DatasetFormatException e = imagesFail("train-labels-idx1-ubyte", labels(1, 2, 3));
    assertTrue(
        e.getMessage()
            .endsWith(
                "expected magic number 0x00000803 (images, 3 dimensions), found 0x00000801"
                    + " (1 dimension, a label file)"),
        e.getMessage());
  }

  @Test
  void imageFileGivenAsLabelsIsAWrongMagicNumber() throws IOException {
    DatasetFormatException e = labelsFail("img", images(1, 2, 2));
    assertTrue(
        e.getMessage().contains("found 0x00000803 (3 dimensions, an image file)"), e.getMessage());
  }

  @Test
  void wrongDimensionCount() throws IOException {
    byte[] twoDims = idx(0x00000802, new int[] {2, 4}, new byte[8]);
    DatasetFormatException e = imagesFail("img", twoDims);
    assertTrue(e.getMessage().contains("found 0x00000802 (2 dimensions)"), e.getMessage());
  }

  @Test
  void notAnIdxFileOrWrongElementType() throws IOException {
    DatasetFormatException text =
        imagesFail("img", "hello, world".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertTrue(text.getMessage().contains("not an IDX file"), text.getMessage());
    byte[] floats = idx(0x00000d03, new int[] {1, 1, 1}, new byte[4]);
    DatasetFormatException e = imagesFail("img", floats);
    assertTrue(e.getMessage().contains("element type 0x0d is not unsigned byte"), e.getMessage());
  }

  @Test
  void badDimensions() throws IOException {
    DatasetFormatException zeroRows =
        imagesFail("img", idx(IdxReader.IMAGES_MAGIC, new int[] {1, 0, 3}, new byte[0]));
    assertTrue(
        zeroRows.getMessage().contains("dimension 1 of the IDX header is 0"),
        zeroRows.getMessage());
    DatasetFormatException negative =
        labelsFail("lab", idx(IdxReader.LABELS_MAGIC, new int[] {-1}, new byte[0]));
    assertTrue(
        negative.getMessage().contains("is 4294967295, which is not a valid count"),
        negative.getMessage());
    DatasetFormatException huge =
        imagesFail("img", idx(IdxReader.IMAGES_MAGIC, new int[] {60000, 1000, 1000}, new byte[0]));
    assertTrue(huge.getMessage().contains("announces more than"), huge.getMessage());
  }

  @Test
  void headerAnnouncingMuchMoreThanTheFileHoldsFailsWithoutHugeAllocation() throws IOException {
    // 2,000,000,000 bytes announced, 10 present: must report the truncation, not run out of memory.
    byte[] file = idx(IdxReader.IMAGES_MAGIC, new int[] {2_000_000, 1000, 1}, new byte[10]);
    DatasetFormatException e = imagesFail("img", file);
    assertTrue(e.getMessage().endsWith("found 26"), e.getMessage());
  }

  @Test
  void labelsOutOfRange() throws IOException {
    DatasetFormatException e = labelsFail("train-labels-idx1-ubyte", labels(3, 1, 10, 2));
    assertTrue(e.getMessage().endsWith(": label 10 at index 2 is outside 0..9"), e.getMessage());
    Path file = write(dir, "lab", labels(0, 1, 2, 255));
    DatasetFormatException high =
        assertThrows(DatasetFormatException.class, () -> IdxReader.readLabels(file, 3));
    assertTrue(
        high.getMessage().endsWith("label 255 at index 3 is outside 0..2"), high.getMessage());
    assertThrows(IllegalArgumentException.class, () -> IdxReader.readLabels(file, 0));
  }

  @Test
  void missingFileIsAnIoError() {
    assertThrows(
        java.nio.file.NoSuchFileException.class, () -> IdxReader.readImages(dir.resolve("nope")));
  }
}
