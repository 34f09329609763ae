package dev.adjoint.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces files atomically: the content goes to a temporary file in the same directory, is
 * forced to disk, and is then renamed over the target. Readers see the old file or the new one,
 * never a mixture, and a failure at any point before the rename leaves the old file untouched.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes a file's content to an open channel. */
  @FunctionalInterface
  interface Content {
    void writeTo(FileChannel channel) throws IOException;
  }

  /** Runs between writing the temporary file and renaming it; lets tests inject failures. */
  @FunctionalInterface
  interface BeforeCommit {
    void run(Path temporary) throws IOException;
  }

  static void write(Path target, Content content) throws IOException {
    write(target, content, temporary -> {});
  }

  static void write(Path target, Content content, BeforeCommit beforeCommit) throws IOException {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    Path temporary = createTemporary(dir, file.getFileName().toString());
    boolean committed = false;
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        content.writeTo(channel);
        channel.force(true);
      }
      beforeCommit.run(temporary);
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      committed = true;
    } finally {
      if (!committed) {
        deleteQuietly(temporary);
      }
    }
    syncDirectory(dir);
  }

  /**
   * A new empty file next to the target. Created with the default permissions (unlike {@link
   * Files#createTempFile}, which makes it owner-only), since the rename keeps them. The dot prefix
   * hides it from directory listings should a crash leave it behind.
   */
  private static Path createTemporary(Path dir, String name) throws IOException {
    while (true) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
      Path temporary = dir.resolve("." + name + "." + suffix + ".tmp");
      try {
        FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
            .close();
        return temporary;
      } catch (FileAlreadyExistsException e) {
        // Another writer picked the same name; try another.
      }
    }
  }

  private static void deleteQuietly(Path temporary) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // The original failure matters more; a leftover hidden temporary file is harmless.
    }
  }

  /**
   * Makes the rename itself durable on POSIX file systems. Not every platform can open a
   * directory (Windows cannot), and the rename has happened either way, so failures are ignored.
   */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // Best effort only, see above.
    }
  }
}
