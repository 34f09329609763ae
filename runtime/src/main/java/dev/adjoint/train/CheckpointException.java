package dev.adjoint.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file could not be read because it is not a checkpoint, comes from an unsupported
 * version, is truncated or is corrupted. The message names the file and the problem.
 */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The file in question; not serialized because {@link Path} is not serializable. */
  private final transient Path file;

  /**
   * @param file the checkpoint file
   * @param problem what is wrong with it, as a sentence fragment
   */
  public CheckpointException(Path file, String problem) {
    super("checkpoint " + file + ": " + problem);
    this.file = file;
  }

  /** The checkpoint file, or null after deserialization. */
  public Path file() {
    return file;
  }
}
