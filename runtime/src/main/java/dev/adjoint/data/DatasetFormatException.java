package dev.adjoint.data;

import java.io.IOException;

/**
 * A data file that does not have the expected format: a wrong magic number or dimension count, a
 * truncated file, trailing bytes, a value out of range, a malformed CSV line. The message names the
 * file (or classpath resource) and, for text files, the line, followed by the problem, for example
 * {@code "train-images-idx3-ubyte: expected 47040016 bytes for 60000 images of 28x28, found 1000"}
 * or {@code "digits.csv.gz, line 12: expected 65 values, found 64"}.
 */
public final class DatasetFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The file or resource name as it appears in the message. */
  private final String source;

  /** The 1-based line number, or 0 when the problem is not tied to a line. */
  private final long line;

  /**
   * A problem with a whole file or with a binary position in it.
   *
   * @param source the file or resource, as it should appear in the message
   * @param problem what is wrong, without the file name
   */
  public DatasetFormatException(String source, String problem) {
    this(source, 0, problem, null);
  }

  /**
   * A problem with a whole file, caused by another exception (for example corrupt gzip data).
   *
   * @param source the file or resource, as it should appear in the message
   * @param problem what is wrong, without the file name
   * @param cause the underlying exception
   */
  public DatasetFormatException(String source, String problem, Throwable cause) {
    this(source, 0, problem, cause);
  }

  /**
   * A problem on one line of a text file.
   *
   * @param source the file or resource, as it should appear in the message
   * @param line the 1-based line number
   * @param problem what is wrong, without the file name or line
   */
  public DatasetFormatException(String source, long line, String problem) {
    this(source, line, problem, null);
  }

  private DatasetFormatException(String source, long line, String problem, Throwable cause) {
    super((line > 0 ? source + ", line " + line : source) + ": " + problem, cause);
    this.source = source;
    this.line = line;
  }

  /** The file or classpath resource that is malformed, as named in the message. */
  public String source() {
    return source;
  }

  /** The 1-based line number of the problem in a text file, or 0 if it is not tied to a line. */
  public long line() {
    return line;
  }
}
