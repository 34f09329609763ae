package dev.adjoint.train;

import dev.adjoint.optim.OptimizerState;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * A training checkpoint: parameters, optimizer state, progress counters and a small string map
 * of metadata (model shape, dataset, seed...), saved atomically to one file.
 *
 * <pre>{@code
 * new Checkpoint(epoch, step, params, optimizer.state(), Map.of("layers", "64-10"))
 *     .save(file);
 * Checkpoint c = Checkpoint.load(file);
 * c.copyParametersInto(params);
 * optimizer.restore(c.optimizer());
 * }</pre>
 *
 * <h2>File format, version 1</h2>
 *
 * All numbers big-endian; a string is an {@code int} byte count followed by UTF-8 bytes; a float
 * array is an {@code int} length followed by its values' IEEE 754 bits (so NaN payloads and signed
 * zeros survive).
 *
 * <pre>
 *   magic       8 bytes   0x89 'A' 'D' 'J' 'C' 'K' 'P' 'T'
 *   version     int       1
 *   length      long      number of content bytes that follow
 *   content:
 *     epoch     int
 *     step      long
 *     metadata  int count, then count × (string key, string value)
 *     params    int count, then count × float array
 *     optimizer byte 0 (none) or 1, then string algorithm, long steps, double learning rate,
 *               int count, count × float array
 *   crc32       int       CRC-32 of every byte before it, header included
 * </pre>
 *
 * <p>{@link #save} never leaves a partly written file under the target name: it writes a
 * temporary file in the same directory, forces it to disk and renames it over the target. {@link
 * #load} checks the magic, version, length and checksum before trusting any of the content and
 * reports problems as a {@link CheckpointException} that names the file.
 *
 * <p>The arrays are shared with the caller, not copied: {@code save} writes the arrays' current
 * values, so a checkpoint built from live training arrays needs no extra memory. Being arrays, they
 * are compared by identity in {@link #equals}.
 *
 * @param epoch completed epochs, that is the epoch (counting from 0) at which training resumes
 * @param step optimizer steps taken so far
 * @param parameters the parameter arrays
 * @param optimizer the optimizer's state, or null if none is saved
 * @param metadata free-form strings, kept in insertion order
 */
public record Checkpoint(
    int epoch,
    long step,
    float[][] parameters,
    OptimizerState optimizer,
    Map<String, String> metadata) {
  /** The current format version, written by {@link #save}; the only one {@link #load} reads. */
  public static final int VERSION = 1;

  private static final byte[] MAGIC = {(byte) 0x89, 'A', 'D', 'J', 'C', 'K', 'P', 'T'};
  private static final int HEADER_BYTES = MAGIC.length + Integer.BYTES + Long.BYTES;
  private static final int TRAILER_BYTES = Integer.BYTES;
  /** Floats are converted through a scratch buffer of this many bytes at a time. */
  private static final int CHUNK = 1 << 16;

  /** Validates the fields and makes an unmodifiable, order-preserving copy of the metadata. */
  public Checkpoint {
    if (epoch < 0 || step < 0) {
      throw new IllegalArgumentException(
          "epoch and step must be >= 0, got " + epoch + " and " + step);
    }
    Objects.requireNonNull(parameters, "parameters");
    for (int k = 0; k < parameters.length; k++) {
      Objects.requireNonNull(parameters[k], "parameters[" + k + "]");
    }
    if (optimizer != null && optimizer.doubleBuffers().length > 0) {
      throw new IllegalArgumentException(
          "a checkpoint holds float parameters only; this optimizer state has "
              + optimizer.doubleBuffers().length + " buffers of double parameters");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : Objects.requireNonNull(metadata, "metadata").entrySet()) {
      copy.put(
          Objects.requireNonNull(e.getKey(), "metadata key"),
          Objects.requireNonNull(e.getValue(), "metadata value of " + e.getKey()));
    }
    metadata = Collections.unmodifiableMap(copy);
  }

  /**
   * Copies the saved parameters into {@code params}, after checking that the shapes match.
   *
   * @throws IllegalArgumentException if the number or lengths of the arrays differ
   */
  public void copyParametersInto(float[][] params) {
    if (params.length != parameters.length) {
      throw new IllegalArgumentException(
          "the checkpoint has " + parameters.length + " parameter arrays, the model has "
              + params.length);
    }
    for (int k = 0; k < params.length; k++) {
      if (params[k].length != parameters[k].length) {
        throw new IllegalArgumentException(
            "parameter " + k + " has length " + parameters[k].length + " in the checkpoint, "
                + params[k].length + " in the model");
      }
    }
    for (int k = 0; k < params.length; k++) {
      System.arraycopy(parameters[k], 0, params[k], 0, params[k].length);
    }
  }

  /**
   * Writes this checkpoint to {@code file} atomically, replacing any previous file. If anything
   * fails the previous file is left as it was.
   *
   * @throws IOException if the file cannot be written
   */
  public void save(Path file) throws IOException {
    save(file, temporary -> {});
  }

  /** {@link #save(Path)} with a hook before the rename, for tests of failed writes. */
  void save(Path file, AtomicFiles.BeforeCommit beforeCommit) throws IOException {
    AtomicFiles.write(file, this::writeTo, beforeCommit);
  }

  private void writeTo(FileChannel channel) throws IOException {
    byte[][] meta = new byte[metadata.size() * 2][];
    int i = 0;
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      meta[i++] = e.getKey().getBytes(StandardCharsets.UTF_8);
      meta[i++] = e.getValue().getBytes(StandardCharsets.UTF_8);
    }
    byte[] algorithm =
        optimizer == null ? new byte[0] : optimizer.algorithm().getBytes(StandardCharsets.UTF_8);

    CRC32 crc = new CRC32();
    // Not closed: that would close the channel, which the caller owns.
    DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(
                new CheckedOutputStream(Channels.newOutputStream(channel), crc), CHUNK));
    out.write(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(contentLength(meta, algorithm));
    out.writeInt(epoch);
    out.writeLong(step);
    out.writeInt(metadata.size());
    for (byte[] s : meta) {
      out.writeInt(s.length);
      out.write(s);
    }
    byte[] scratch = new byte[CHUNK];
    writeArrays(out, parameters, scratch);
    out.writeBoolean(optimizer != null);
    if (optimizer != null) {
      out.writeInt(algorithm.length);
      out.write(algorithm);
      out.writeLong(optimizer.steps());
      out.writeDouble(optimizer.learningRate());
      writeArrays(out, optimizer.buffers(), scratch);
    }
    out.flush();
    // The checksum itself goes straight to the channel, outside the checked stream.
    ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).putInt((int) crc.getValue()).flip();
    while (trailer.hasRemaining()) {
      channel.write(trailer);
    }
  }

  private long contentLength(byte[][] meta, byte[] algorithm) {
    long n = Integer.BYTES + Long.BYTES + Integer.BYTES;
    for (byte[] s : meta) {
      n += Integer.BYTES + s.length;
    }
    n += arraysLength(parameters) + 1;
    if (optimizer != null) {
      n += Integer.BYTES + algorithm.length + Long.BYTES + Double.BYTES;
      n += arraysLength(optimizer.buffers());
    }
    return n;
  }

  private static long arraysLength(float[][] arrays) {
    long n = Integer.BYTES;
    for (float[] a : arrays) {
      n += Integer.BYTES + (long) Float.BYTES * a.length;
    }
    return n;
  }

  private static void writeArrays(DataOutputStream out, float[][] arrays, byte[] scratch)
      throws IOException {
    out.writeInt(arrays.length);
    ByteBuffer bytes = ByteBuffer.wrap(scratch);
    for (float[] a : arrays) {
      out.writeInt(a.length);
      for (int off = 0; off < a.length; ) {
        int n = Math.min(a.length - off, scratch.length / Float.BYTES);
        bytes.clear();
        bytes.asFloatBuffer().put(a, off, n);
        out.write(scratch, 0, n * Float.BYTES);
        off += n;
      }
    }
  }

  /**
   * Reads a checkpoint written by {@link #save}.
   *
   * @throws CheckpointException if the file is not a checkpoint, has another version, is
   *     truncated or fails its checksum; the message names the file and the problem
   * @throws NoSuchFileException if there is no such file
   * @throws IOException if the file cannot be read
   */
  public static Checkpoint load(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
      readFully(channel, header, 0);
      header.flip();
      // The magic first, even for short files: "not a checkpoint" beats "truncated" for a random
      // small file.
      for (int i = 0; i < MAGIC.length && i < header.limit(); i++) {
        if (header.get(i) != MAGIC[i]) {
          throw new CheckpointException(
              file, "not an Adjoint checkpoint (wrong magic header " + hex(header) + ")");
        }
      }
      if (size < HEADER_BYTES + TRAILER_BYTES) {
        throw new CheckpointException(
            file, "truncated: " + size + " bytes, shorter than any checkpoint");
      }
      int version = header.getInt(MAGIC.length);
      if (version != VERSION) {
        throw new CheckpointException(
            file,
            "unsupported format version " + version + " (this library reads version " + VERSION
                + ")");
      }
      long length = header.getLong(MAGIC.length + Integer.BYTES);
      long expected = HEADER_BYTES + length + TRAILER_BYTES;
      if (length < 0 || expected < 0) {
        throw new CheckpointException(file, "corrupted header: content length " + length);
      }
      if (size < expected) {
        throw new CheckpointException(
            file, "truncated: " + size + " bytes, the header announces " + expected);
      }
      if (size > expected) {
        throw new CheckpointException(
            file,
            (size - expected) + " unexpected bytes after the end (the header announces "
                + expected + " bytes)");
      }
      checkCrc(file, channel, size);
      channel.position(HEADER_BYTES);
      return new ContentReader(file, channel, length).read();
    }
  }

  private static void checkCrc(Path file, FileChannel channel, long size) throws IOException {
    CRC32 crc = new CRC32();
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    long end = size - TRAILER_BYTES;
    for (long pos = 0; pos < end; ) {
      buffer.clear();
      buffer.limit((int) Math.min(buffer.capacity(), end - pos));
      readFully(channel, buffer, pos);
      buffer.flip();
      pos += buffer.remaining();
      crc.update(buffer);
    }
    ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES);
    readFully(channel, trailer, end);
    int stored = trailer.getInt(0);
    int actual = (int) crc.getValue();
    if (stored != actual) {
      throw new CheckpointException(
          file,
          String.format(
              "corrupted: checksum mismatch (stored CRC-32 %08x, content has %08x)",
              stored, actual));
    }
  }

  /** Fills {@code buffer} from {@code position} on, or up to the end of the file. */
  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        return;
      }
      position += n;
    }
  }

  private static String hex(ByteBuffer header) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < MAGIC.length && i < header.limit(); i++) {
      s.append(String.format("%02x", header.get(i) & 0xff));
    }
    return s.toString();
  }

  /**
   * Parses the content after the checksum has been verified. Every count is still checked
   * against the bytes that remain, so that a file from a buggy writer fails with a message
   * rather than an attempt to allocate gigabytes.
   */
  private static final class ContentReader {
    private final Path file;
    private final DataInputStream in;
    private final byte[] scratch = new byte[CHUNK];
    private long remaining;

    ContentReader(Path file, FileChannel channel, long length) {
      this.file = file;
      // Not closed: closing would close the channel, which load() owns.
      this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
      this.remaining = length;
    }

    Checkpoint read() throws IOException {
      int epoch = readInt();
      long step = readLong();
      if (epoch < 0 || step < 0) {
        throw malformed("negative epoch " + epoch + " or step " + step);
      }
      int entries = readCount(2 * Integer.BYTES, "metadata entries");
      Map<String, String> metadata = new LinkedHashMap<>();
      for (int i = 0; i < entries; i++) {
        metadata.put(readString(), readString());
      }
      float[][] parameters = readArrays("parameter arrays");
      OptimizerState optimizer = null;
      need(1);
      remaining -= 1;
      byte hasOptimizer = in.readByte();
      if (hasOptimizer == 1) {
        String algorithm = readString();
        long steps = readLong();
        need(Double.BYTES);
        remaining -= Double.BYTES;
        double learningRate = in.readDouble();
        float[][] buffers = readArrays("optimizer buffers");
        try {
          optimizer = new OptimizerState(algorithm, steps, learningRate, buffers);
        } catch (IllegalArgumentException e) {
          throw malformed(e.getMessage());
        }
      } else if (hasOptimizer != 0) {
        throw malformed("optimizer flag " + hasOptimizer);
      }
      if (remaining != 0) {
        throw malformed(remaining + " bytes left over after the content");
      }
      return new Checkpoint(epoch, step, parameters, optimizer, metadata);
    }

    private int readInt() throws IOException {
      need(Integer.BYTES);
      remaining -= Integer.BYTES;
      return in.readInt();
    }

    private long readLong() throws IOException {
      need(Long.BYTES);
      remaining -= Long.BYTES;
      return in.readLong();
    }

    /** A count of items of at least {@code minBytes} each, checked against what remains. */
    private int readCount(int minBytes, String what) throws IOException {
      int n = readInt();
      if (n < 0 || (long) n * minBytes > remaining) {
        throw malformed(n + " " + what + " cannot fit in the " + remaining + " bytes left");
      }
      return n;
    }

    private String readString() throws IOException {
      int n = readCount(1, "string bytes");
      byte[] bytes = new byte[n];
      in.readFully(bytes);
      remaining -= n;
      return new String(bytes, StandardCharsets.UTF_8);
    }

    private float[][] readArrays(String what) throws IOException {
      float[][] arrays = new float[readCount(Integer.BYTES, what)][];
      ByteBuffer bytes = ByteBuffer.wrap(scratch);
      for (int k = 0; k < arrays.length; k++) {
        float[] a = new float[readCount(Float.BYTES, "floats")];
        for (int off = 0; off < a.length; ) {
          int n = Math.min(a.length - off, scratch.length / Float.BYTES);
          in.readFully(scratch, 0, n * Float.BYTES);
          bytes.clear();
          bytes.asFloatBuffer().get(a, off, n);
          off += n;
        }
        remaining -= (long) Float.BYTES * a.length;
        arrays[k] = a;
      }
      return arrays;
    }

    private void need(int bytes) throws CheckpointException {
      if (remaining < bytes) {
        throw malformed("content ends early");
      }
    }

    private CheckpointException malformed(String problem) {
      return new CheckpointException(file, "malformed content: " + problem);
    }
  }
}
