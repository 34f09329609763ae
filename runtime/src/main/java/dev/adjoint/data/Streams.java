package dev.adjoint.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens data files, decompressing gzip transparently (recognised by its magic bytes 1f 8b). */
final class Streams {
  private static final int BUFFER = 1 << 16;

  private Streams() {}

  /** Opens {@code file} for reading, decompressed if it is gzip. The caller closes the stream. */
  static InputStream open(Path file) throws IOException {
    return maybeGunzip(Files.newInputStream(file), file.toString());
  }

  /**
   * Wraps {@code raw} so that reading it yields the decompressed bytes if it starts with the gzip
   * magic bytes and the bytes as they are otherwise. Closing the result closes {@code raw}.
   */
  static InputStream maybeGunzip(InputStream raw, String source) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    boolean gzip;
    try {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      gzip = b0 == 0x1f && b1 == 0x8b;
    } catch (IOException e) {
      in.close();
      throw e;
    }
    if (!gzip) {
      return in;
    }
    try {
      return new GZIPInputStream(in, BUFFER);
    } catch (IOException e) {
      in.close();
      throw new DatasetFormatException(source, "corrupt gzip header (" + e.getMessage() + ")", e);
    }
  }
}
