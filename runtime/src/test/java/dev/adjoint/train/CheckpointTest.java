package dev.adjoint.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.optim.Adam;
import dev.adjoint.optim.OptimizerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  private static Checkpoint sample() {
    // Odd values on purpose: a NaN with a payload, signed zero, infinities, subnormals.
    float[] w = {1.5f, -0f, Float.intBitsToFloat(0x7fc01234), Float.NEGATIVE_INFINITY, 1e-45f};
    float[] big = new float[70_000]; // more than one conversion chunk
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) Math.sin(i);
    }
    float[][] params = {w, big, new float[0]};
    Adam adam = new Adam(0.01);
    float[][] grads = {w.clone(), big.clone(), new float[0]};
    grads[0][2] = 0.5f;
    grads[0][3] = -2f;
    adam.step(new float[][] {w.clone(), big.clone(), new float[0]}, grads);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("layers", "784-128-10");
    meta.put("note", "ünïcödé ✓");
    meta.put("", "");
    return new Checkpoint(3, 1234, params, adam.state(), meta);
  }

  private static void assertBitIdentical(float[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length);
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k].length, actual[k].length);
      for (int i = 0; i < expected[k].length; i++) {
        assertEquals(
            Float.floatToRawIntBits(expected[k][i]),
            Float.floatToRawIntBits(actual[k][i]),
            "array " + k + " element " + i);
      }
    }
  }

  @Test
  void roundTripIsBitIdentical() throws IOException {
    Checkpoint c = sample();
    Path file = dir.resolve("model.ckpt");
    c.save(file);
    Checkpoint back = Checkpoint.load(file);
    assertEquals(3, back.epoch());
    assertEquals(1234, back.step());
    assertBitIdentical(c.parameters(), back.parameters());
    assertEquals("adam", back.optimizer().algorithm());
    assertEquals(1, back.optimizer().steps());
    assertEquals(0.01, back.optimizer().learningRate());
    assertBitIdentical(c.optimizer().buffers(), back.optimizer().buffers());
    assertEquals(c.metadata(), back.metadata());
    assertEquals(List.of("layers", "note", ""), new ArrayList<>(back.metadata().keySet()));
    assertEquals(List.of("model.ckpt"), listDir(), "no temporary files left behind");
  }

  @Test
  void checkpointWithoutOptimizerStateRoundTrips() throws IOException {
    Path file = dir.resolve("p.ckpt");
    new Checkpoint(0, 0, new float[][] {{1f, 2f}}, null, Map.of()).save(file);
    Checkpoint back = Checkpoint.load(file);
    assertNull(back.optimizer());
    assertArrayEquals(new float[] {1f, 2f}, back.parameters()[0]);
  }

  @Test
  void copyParametersIntoChecksShapes() {
    Checkpoint c = new Checkpoint(0, 0, new float[][] {{1f, 2f}, {3f}}, null, Map.of());
    float[][] model = {new float[2], new float[1]};
    c.copyParametersInto(model);
    assertArrayEquals(new float[] {1f, 2f}, model[0]);
    assertArrayEquals(new float[] {3f}, model[1]);
    assertThrows(
        IllegalArgumentException.class,
        () -> c.copyParametersInto(new float[][] {new float[2], new float[2]}));
    assertThrows(
        IllegalArgumentException.class, () -> c.copyParametersInto(new float[][] {new float[2]}));
  }

  @Test
  void truncatedFilesAreRejectedWithTheFileName() throws IOException {
    Path file = dir.resolve("t.ckpt");
    sample().save(file);
    byte[] bytes = Files.readAllBytes(file);
    for (int keep : new int[] {bytes.length - 1, bytes.length / 2, 30, 19, 5, 0}) {
      Files.write(file, java.util.Arrays.copyOf(bytes, keep));
      CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file));
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("truncated"), keep + ": " + e.getMessage());
      assertEquals(file, e.file());
    }
  }

  @Test
  void everyFlippedByteIsDetected() throws IOException {
    Path file = dir.resolve("f.ckpt");
    new Checkpoint(
            1, 2, new float[][] {{1f, 2f, 3f}}, new Adam(0.1).state(), Map.of("k", "v"))
        .save(file);
    byte[] good = Files.readAllBytes(file);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      Files.write(file, bad);
      CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file));
      assertTrue(e.getMessage().startsWith("checkpoint " + file + ": "), e.getMessage());
    }
  }

  @Test
  void aFlippedContentByteFailsTheChecksum() throws IOException {
    Path file = dir.resolve("c.ckpt");
    sample().save(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  @Test
  void wrongMagicSaysItIsNotACheckpoint() throws IOException {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "epoch,train_loss\n1,0.5\n");
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("not an Adjoint checkpoint"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void anotherVersionIsNamed() throws IOException {
    Path file = dir.resolve("v.ckpt");
    sample().save(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[11] = 2; // version int at offset 8, big-endian
    Files.write(file, bytes);
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("unsupported format version 2"), e.getMessage());
  }

  @Test
  void trailingBytesAreRejected() throws IOException {
    Path file = dir.resolve("x.ckpt");
    sample().save(file);
    Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("1 unexpected bytes after the end"), e.getMessage());
  }

  @Test
  void aMissingFileIsNoSuchFile() {
    assertThrows(NoSuchFileException.class, () -> Checkpoint.load(dir.resolve("absent.ckpt")));
  }

  @Test
  void aFailedSaveLeavesThePreviousCheckpointIntact() throws IOException {
    Path file = dir.resolve("model.ckpt");
    Checkpoint first = new Checkpoint(1, 10, new float[][] {{1f, 2f}}, null, Map.of("n", "1"));
    first.save(file);
    byte[] before = Files.readAllBytes(file);

    Checkpoint second = new Checkpoint(2, 20, new float[][] {{3f, 4f}}, null, Map.of("n", "2"));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                second.save(
                    file,
                    temporary -> {
                      // The new content is complete on disk but not yet renamed: fail now.
                      assertEquals(2, Checkpoint.load(temporary).epoch());
                      throw new IOException("disk full (simulated)");
                    }));
    assertEquals("disk full (simulated)", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
    assertEquals(1, Checkpoint.load(file).epoch());
    assertEquals(List.of("model.ckpt"), listDir(), "the temporary file is removed");
  }

  @Test
  void savingIntoAMissingDirectoryFailsWithoutCreatingAnything() {
    Path file = dir.resolve("missing").resolve("model.ckpt");
    Checkpoint c = new Checkpoint(0, 0, new float[][] {{1f}}, null, Map.of());
    assertThrows(IOException.class, () -> c.save(file));
    assertTrue(listDir().isEmpty());
  }

  @Test
  void saveReplacesAnExistingCheckpoint() throws IOException {
    Path file = dir.resolve("model.ckpt");
    new Checkpoint(1, 1, new float[][] {{1f}}, null, Map.of()).save(file);
    new Checkpoint(2, 2, new float[][] {{2f}}, new OptimizerState("sgd", 2, 0.1, new float[0][]),
            Map.of())
        .save(file);
    Checkpoint back = Checkpoint.load(file);
    assertEquals(2, back.epoch());
    assertEquals(2f, back.parameters()[0][0]);
    assertEquals("sgd", back.optimizer().algorithm());
  }

  private List<String> listDir() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
