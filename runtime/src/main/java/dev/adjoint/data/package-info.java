/**
 * Data for training: datasets of labelled examples, loaders for the built-in {@link
 * dev.adjoint.data.Digits} and for MNIST's IDX files, seeded train/test splits and allocation-free
 * shuffled mini-batches.
 *
 * <ul>
 *   <li>{@link dev.adjoint.data.Dataset}: features (row-major floats) and labels, {@code split};
 *   <li>{@link dev.adjoint.data.Digits}: 1797 8x8 digits shipped in the jar (UCI, CC BY 4.0);
 *   <li>{@link dev.adjoint.data.MnistDataset} and {@link dev.adjoint.data.IdxReader}: MNIST;
 *   <li>{@link dev.adjoint.data.Batcher}: reproducible shuffled mini-batches in reused buffers;
 *   <li>{@link dev.adjoint.data.DatasetFormatException}: a malformed file, named in the message.
 * </ul>
 */
package dev.adjoint.data;
