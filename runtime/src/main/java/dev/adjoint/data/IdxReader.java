package dev.adjoint.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads files in the IDX format of the MNIST database: a big-endian header, then unsigned bytes.
 *
 * <p>The header is a magic number {@code 0x000008NN} (two zero bytes, the element type {@code 0x08}
 * for unsigned bytes, and the number of dimensions {@code NN}), then each dimension as a 32-bit
 * big-endian integer. Images are {@code 0x00000803} (count, rows, columns), labels {@code
 * 0x00000801} (count). Files may be gzip-compressed; compression is recognised by the magic bytes
 * {@code 1f 8b}, not by the file name.
 *
 * <p>Every inconsistency is a {@link DatasetFormatException} naming the file: a wrong magic number
 * or dimension count, a non-positive dimension, fewer bytes than the header announces, bytes after
 * the data, a label outside {@code 0..classes-1}.
 */
public final class IdxReader {
  /** Magic number of an IDX file of unsigned-byte images: 3 dimensions (count, rows, columns). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an IDX file of unsigned-byte labels: 1 dimension (count). */
  public static final int LABELS_MAGIC = 0x00000801;

  private static final int UNSIGNED_BYTE = 0x08;

  /** Largest array Java reliably allocates. */
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private IdxReader() {}

  /**
   * Images read from an IDX file, each a row-major {@code rows x columns} block of {@link
   * #pixels()} with values scaled from {@code 0..255} to {@code [0, 1]}.
   *
   * @param count number of images
   * @param rows rows of each image
   * @param columns columns of each image
   * @param pixels {@code count * rows * columns} values in {@code [0, 1]}, image after image
   */
  public record Images(int count, int rows, int columns, float[] pixels) {
    /** Checks that {@code pixels} holds {@code count * rows * columns} values. */
    public Images {
      Objects.requireNonNull(pixels, "pixels");
      if (count < 0 || rows <= 0 || columns <= 0) {
        throw new IllegalArgumentException(
            "bad image dimensions " + count + " x " + rows + " x " + columns);
      }
      if (pixels.length != (long) count * rows * columns) {
        throw new IllegalArgumentException(
            pixels.length + " pixels for " + count + " images of " + rows + "x" + columns);
      }
    }

    /** Pixels in one image: {@code rows * columns}. */
    public int pixelsPerImage() {
      return rows * columns;
    }
  }

  /**
   * Reads an IDX file of images ({@link #IMAGES_MAGIC}), raw or gzip-compressed.
   *
   * @param file the file, for example {@code train-images-idx3-ubyte} or its {@code .gz}
   * @return the images, pixels divided by 255
   * @throws DatasetFormatException if the file is not a well-formed IDX image file
   * @throws IOException if the file cannot be read
   */
  public static Images readImages(Path file) throws IOException {
    String source = file.toString();
    try (InputStream in = Streams.open(file)) {
      return readImages(in, source);
    }
  }

  /**
   * Reads an IDX file of labels ({@link #LABELS_MAGIC}), raw or gzip-compressed, and checks that
   * every label is in {@code 0..classes-1}.
   *
   * @param file the file, for example {@code train-labels-idx1-ubyte} or its {@code .gz}
   * @param classes number of classes (10 for MNIST)
   * @return the labels
   * @throws DatasetFormatException if the file is not a well-formed IDX label file or a label is
   *     out of range
   * @throws IOException if the file cannot be read
   */
  public static int[] readLabels(Path file, int classes) throws IOException {
    if (classes < 1 || classes > 256) {
      throw new IllegalArgumentException("classes must be in 1..256, got " + classes);
    }
    String source = file.toString();
    try (InputStream in = Streams.open(file)) {
      return readLabels(in, source, classes);
    }
  }

  static Images readImages(InputStream in, String source) throws IOException {
    try {
      int[] dims = readHeader(in, source, IMAGES_MAGIC, "images");
      int count = dims[0];
      int rows = dims[1];
      int columns = dims[2];
      long elements = (long) count * rows * columns;
      String what = count + " images of " + rows + "x" + columns;
      byte[] data = readData(in, source, 16, elements, what);
      float[] pixels = new float[data.length];
      for (int i = 0; i < data.length; i++) {
        pixels[i] = (data[i] & 0xff) / 255f;
      }
      return new Images(count, rows, columns, pixels);
    } catch (ZipException | EOFException e) {
      throw corruptGzip(source, e);
    }
  }

  static int[] readLabels(InputStream in, String source, int classes) throws IOException {
    try {
      int count = readHeader(in, source, LABELS_MAGIC, "labels")[0];
      byte[] data = readData(in, source, 8, count, count + " labels");
      int[] labels = new int[data.length];
      for (int i = 0; i < data.length; i++) {
        int label = data[i] & 0xff;
        if (label >= classes) {
          throw new DatasetFormatException(
              source, "label " + label + " at index " + i + " is outside 0.." + (classes - 1));
        }
        labels[i] = label;
      }
      return labels;
    } catch (ZipException | EOFException e) {
      throw corruptGzip(source, e);
    }
  }

  private static DatasetFormatException corruptGzip(String source, IOException e) {
    return new DatasetFormatException(
        source, "corrupt or truncated gzip data (" + e.getMessage() + ")", e);
  }

  /**
   * Reads and checks the magic number and the dimensions.
   *
   * @return the dimensions, count first
   */
  private static int[] readHeader(InputStream in, String source, int expectedMagic, String kind)
      throws IOException {
    int expectedDims = expectedMagic & 0xff;
    int headerBytes = 4 + 4 * expectedDims;
    byte[] magicBytes = in.readNBytes(4);
    if (magicBytes.length < 4) {
      throw new DatasetFormatException(
          source,
          String.format(
              "file is %d bytes long, too short for an IDX header (%d bytes for %s)%s",
              magicBytes.length, headerBytes, kind, decompressedNote(in)));
    }
    int magic = toInt(magicBytes, 0);
    if (magic != expectedMagic) {
      throw new DatasetFormatException(source, describeWrongMagic(magic, expectedMagic, kind));
    }
    byte[] dimBytes = in.readNBytes(4 * expectedDims);
    if (dimBytes.length < 4 * expectedDims) {
      throw new DatasetFormatException(
          source,
          String.format(
              "file ends inside the IDX header: expected %d header bytes for %s, found %d%s",
              headerBytes, kind, 4 + dimBytes.length, decompressedNote(in)));
    }
    int[] dims = new int[expectedDims];
    for (int i = 0; i < expectedDims; i++) {
      dims[i] = toInt(dimBytes, 4 * i);
      // The count may be 0; every other dimension must be positive. Negative values are sizes of
      // 2^31 or more, which no Java array holds.
      if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
        String problem = i == 0 ? "not a valid count" : "not a positive size";
        throw new DatasetFormatException(
            source,
            String.format(
                "dimension %d of the IDX header is %s, which is %s",
                i, Integer.toUnsignedString(dims[i]), problem));
      }
    }
    long elements = 1;
    for (int d : dims) {
      elements *= d;
      if (elements > MAX_ELEMENTS) {
        throw new DatasetFormatException(
            source, "IDX header announces more than " + MAX_ELEMENTS + " bytes of data");
      }
    }
    return dims;
  }

  private static String describeWrongMagic(int magic, int expectedMagic, String kind) {
    String expected =
        String.format(
            "expected magic number %s (%s, %s)",
            hex(expectedMagic), kind, dimensions(expectedMagic & 0xff));
    if ((magic >>> 16) != 0) {
      return String.format("%s, found %s: not an IDX file", expected, hex(magic));
    }
    int type = (magic >>> 8) & 0xff;
    if (type != UNSIGNED_BYTE) {
      return String.format(
          "%s, found %s: element type 0x%02x is not unsigned byte (0x08)",
          expected, hex(magic), type);
    }
    int dims = magic & 0xff;
    String known = dims == 1 ? ", a label file" : dims == 3 ? ", an image file" : "";
    return String.format("%s, found %s (%s%s)", expected, hex(magic), dimensions(dims), known);
  }

  private static String dimensions(int n) {
    return n == 1 ? "1 dimension" : n + " dimensions";
  }

  /**
   * Reads exactly {@code elements} bytes of data and checks that nothing follows them.
   *
   * @param headerBytes bytes already read, for the byte counts in messages
   * @param what what the data holds, for example {@code "60000 images of 28x28"}
   */
  private static byte[] readData(
      InputStream in, String source, int headerBytes, long elements, String what)
      throws IOException {
    long expectedTotal = headerBytes + elements;
    // readNBytes grows its buffer as data arrives, so a header announcing far more data than the
    // file holds does not allocate the announced size.
    byte[] data = in.readNBytes((int) elements);
    if (data.length < elements) {
      throw new DatasetFormatException(
          source,
          String.format(
              "expected %d bytes for %s, found %d%s",
              expectedTotal, what, headerBytes + data.length, decompressedNote(in)));
    }
    long trailing = in.transferTo(OutputStream.nullOutputStream());
    if (trailing > 0) {
      throw new DatasetFormatException(
          source,
          String.format(
              "expected %d bytes for %s, found %d (%d trailing %s after the data)%s",
              expectedTotal,
              what,
              expectedTotal + trailing,
              trailing,
              trailing == 1 ? "byte" : "bytes",
              decompressedNote(in)));
    }
    return data;
  }

  private static String decompressedNote(InputStream in) {
    return in instanceof GZIPInputStream ? " after gzip decompression" : "";
  }

  private static int toInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static String hex(int value) {
    return String.format("0x%08x", value);
  }
}
