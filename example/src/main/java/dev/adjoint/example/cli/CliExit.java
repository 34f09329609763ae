package dev.adjoint.example.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Ends a command early with an exit status and one line for the user, which {@link Cli} prints
 * without a stack trace: on standard output for status 0 (nothing to do), on standard error
 * otherwise.
 */
public final class CliExit extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit status of a run that had nothing to do. */
  public static final int OK = 0;
  /** Exit status when a file cannot be read or written, or training fails. */
  public static final int IO = 1;
  /** Exit status when the options are wrong or contradict each other or a file. */
  public static final int USAGE = 2;

  private final int status;

  private CliExit(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** A run with nothing to do; the message says why. */
  public static CliExit nothingToDo(String message) {
    return new CliExit(OK, message);
  }

  /** Options that contradict each other or a file, with a message naming the option. */
  public static CliExit usage(String message) {
    return new CliExit(USAGE, message);
  }

  /** A file that cannot be read or written; the message names the option and the problem. */
  public static CliExit io(String message) {
    return new CliExit(IO, message);
  }

  /** {@link #io} for an exception, as {@code "OPTION FILE: problem"} without repeating the file. */
  public static CliExit io(String option, IOException e) {
    return io(option + " " + describe(e));
  }

  /** The exit status. */
  public int status() {
    return status;
  }

  /**
   * An I/O exception as one line that names the file and the problem: the JDK's file exceptions
   * often carry only the file name as their message.
   */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() == null) {
      String what = e instanceof NoSuchFileException ? "no such file or folder"
          : e instanceof AccessDeniedException ? "permission denied"
          : e instanceof NotDirectoryException ? "not a folder"
          : e.getClass().getSimpleName();
      return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": "
          + what;
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
