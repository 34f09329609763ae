package dev.adjoint.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Builds small synthetic IDX files for tests. */
final class IdxFiles {
  private IdxFiles() {}

  /** An IDX file: the magic number, the dimensions, then the data bytes. */
  static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  /**
   * An image file of {@code count} images; pixel {@code p} of image {@code i} is {@code (7 * i + p)
   * % 256}.
   */
  static byte[] images(int count, int rows, int columns) {
    return idx(
        IdxReader.IMAGES_MAGIC, new int[] {count, rows, columns}, pixels(count, rows * columns));
  }

  static byte[] pixels(int count, int perImage) {
    byte[] data = new byte[count * perImage];
    for (int i = 0; i < count; i++) {
      for (int p = 0; p < perImage; p++) {
        data[i * perImage + p] = (byte) ((7 * i + p) % 256);
      }
    }
    return data;
  }

  /** A label file holding {@code labels}. */
  static byte[] labels(int... labels) {
    byte[] data = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      data[i] = (byte) labels[i];
    }
    return idx(IdxReader.LABELS_MAGIC, new int[] {labels.length}, data);
  }

  static byte[] gzip(byte[] raw) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(raw);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] truncate(byte[] b, int length) {
    return Arrays.copyOf(b, length);
  }

  static byte[] append(byte[] b, byte... extra) {
    byte[] r = Arrays.copyOf(b, b.length + extra.length);
    System.arraycopy(extra, 0, r, b.length, extra.length);
    return r;
  }

  static Path write(Path dir, String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }
}
