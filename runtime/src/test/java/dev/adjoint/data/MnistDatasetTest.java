package dev.adjoint.data;

import static dev.adjoint.data.IdxFiles.gzip;
import static dev.adjoint.data.IdxFiles.images;
import static dev.adjoint.data.IdxFiles.labels;
import static dev.adjoint.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MNIST loading on small synthetic IDX files (nothing is downloaded). */
class MnistDatasetTest {
  @TempDir Path dir;

  private void writeAll(int trainCount, int testCount) throws IOException {
    write(dir, MnistDataset.TRAIN_IMAGES, images(trainCount, 4, 3));
    write(dir, MnistDataset.TRAIN_LABELS, labels(cycle(trainCount)));
    write(dir, MnistDataset.TEST_IMAGES, images(testCount, 4, 3));
    write(dir, MnistDataset.TEST_LABELS, labels(cycle(testCount)));
  }

  private static int[] cycle(int n) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = (3 * i) % 10;
    }
    return l;
  }

  @Test
  void loadsTrainAndTest() throws IOException {
    writeAll(12, 5);
    Dataset.Split s = MnistDataset.load(dir);
    assertEquals(12, s.train().size());
    assertEquals(5, s.test().size());
    assertEquals(12, s.train().featuresPerExample());
    assertEquals(10, s.train().classes());
    assertArrayEquals(cycle(12), s.train().labels());
    assertEquals((7 * 2 + 5) / 255f, s.test().feature(2, 5), 0f);
  }

  @Test
  void acceptsGzipFilesWithSuffix() throws IOException {
    writeAll(6, 4);
    for (String name : new String[] {MnistDataset.TRAIN_IMAGES, MnistDataset.TEST_LABELS}) {
      Path raw = dir.resolve(name);
      Files.write(dir.resolve(name + ".gz"), gzip(Files.readAllBytes(raw)));
      Files.delete(raw);
    }
    Dataset.Split s = MnistDataset.load(dir);
    assertEquals(6, s.train().size());
    assertArrayEquals(cycle(4), s.test().labels());
  }

  @Test
  void countMismatchNamesBothFiles() throws IOException {
    writeAll(12, 5);
    write(dir, MnistDataset.TRAIN_LABELS, labels(cycle(11)));
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> MnistDataset.load(dir));
    Path labels = dir.resolve(MnistDataset.TRAIN_LABELS);
    Path images = dir.resolve(MnistDataset.TRAIN_IMAGES);
    assertEquals(labels + ": holds 11 labels but " + images + " holds 12 images", e.getMessage());
  }

  @Test
  void differentImageSizesAreRejected() throws IOException {
    writeAll(3, 3);
    write(dir, MnistDataset.TEST_IMAGES, images(3, 5, 5));
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> MnistDataset.load(dir));
    assertTrue(e.getMessage().contains("images have 25 pixels but those in"), e.getMessage());
  }

  @Test
  void missingFileHintsAtTheFetchScript() throws IOException {
    writeAll(3, 3);
    Files.delete(dir.resolve(MnistDataset.TEST_LABELS));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> MnistDataset.load(dir));
    assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz"), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/fetch-mnist.sh"), e.getMessage());
  }

  @Test
  void malformedFileIsReportedByName() throws IOException {
    writeAll(3, 3);
    write(dir, MnistDataset.TEST_LABELS, labels(1, 2, 11));
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> MnistDataset.load(dir));
    assertEquals(
        dir.resolve(MnistDataset.TEST_LABELS) + ": label 11 at index 2 is outside 0..9",
        e.getMessage());
  }
}
