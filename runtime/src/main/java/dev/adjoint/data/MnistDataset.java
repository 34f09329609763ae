package dev.adjoint.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads the MNIST handwritten digits (28x28 grey images, 10 classes) from the four standard IDX
 * files, which {@code scripts/fetch-mnist.sh DIR} downloads and verifies:
 *
 * <ul>
 *   <li>{@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte}: 60,000 examples;
 *   <li>{@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}: 10,000 examples.
 * </ul>
 *
 * <p>Each file may also be present gzip-compressed, with the suffix {@code .gz}. Pixels are scaled
 * to {@code [0, 1]}; each example has 784 features. The training set takes about 190 MB of heap.
 *
 * <pre>{@code
 * Dataset.Split mnist = MnistDataset.load(dir);
 * Batcher batches = new Batcher(mnist.train(), 64, 42);
 * }</pre>
 */
public final class MnistDataset {
  /** Name of the training images file. */
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";

  /** Name of the training labels file. */
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";

  /** Name of the test images file. */
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";

  /** Name of the test labels file. */
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  /** Number of classes: the digits 0 to 9. */
  public static final int CLASSES = 10;

  private MnistDataset() {}

  /**
   * Loads the MNIST training and test sets from {@code dir}.
   *
   * @param dir folder holding the four IDX files (each raw or with a {@code .gz} suffix)
   * @return the 60,000 training and 10,000 test examples (or however many the files hold)
   * @throws NoSuchFileException if a file is missing, with a hint to run the fetch script
   * @throws DatasetFormatException if a file is malformed, image and label counts disagree, or the
   *     training and test images differ in size
   * @throws IOException if a file cannot be read
   */
  public static Dataset.Split load(Path dir) throws IOException {
    Path trainImages = find(dir, TRAIN_IMAGES);
    Path trainLabels = find(dir, TRAIN_LABELS);
    Path testImages = find(dir, TEST_IMAGES);
    Path testLabels = find(dir, TEST_LABELS);
    Dataset train = load(trainImages, trainLabels);
    Dataset test = load(testImages, testLabels);
    if (train.featuresPerExample() != test.featuresPerExample()) {
      throw new DatasetFormatException(
          testImages.toString(),
          String.format(
              "images have %d pixels but those in %s have %d",
              test.featuresPerExample(), trainImages, train.featuresPerExample()));
    }
    return new Dataset.Split(train, test);
  }

  /**
   * Loads one pair of IDX files, images and labels, as a dataset of 10 classes. Also suits other
   * datasets in MNIST's format, such as Fashion-MNIST.
   *
   * @param imagesFile an IDX image file, raw or gzip-compressed
   * @param labelsFile the matching IDX label file, raw or gzip-compressed, labels in {@code 0..9}
   * @throws DatasetFormatException if a file is malformed or the counts disagree
   * @throws IOException if a file cannot be read
   */
  public static Dataset load(Path imagesFile, Path labelsFile) throws IOException {
    IdxReader.Images images = IdxReader.readImages(imagesFile);
    int[] labels = IdxReader.readLabels(labelsFile, CLASSES);
    if (labels.length != images.count()) {
      throw new DatasetFormatException(
          labelsFile.toString(),
          String.format(
              "holds %d labels but %s holds %d images", labels.length, imagesFile, images.count()));
    }
    return new Dataset(images.pixels(), labels, images.pixelsPerImage(), CLASSES);
  }

  private static Path find(Path dir, String name) throws NoSuchFileException {
    Path raw = dir.resolve(name);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new NoSuchFileException(
        raw.toString(),
        null,
        String.format(
            "MNIST file missing (neither %s nor %s.gz is in %s); scripts/fetch-mnist.sh %s"
                + " downloads the four files",
            name, name, dir, dir));
  }
}
