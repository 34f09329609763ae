package dev.adjoint.spark;

import java.io.Serializable;

/**
 * Loads one partition's examples where the task runs: the built-in datasets are read by each
 * task from the classpath or a shared directory, instead of being shipped from the driver.
 */
@FunctionalInterface
public interface PartitionLoader extends Serializable {
  /** Partition {@code partition} of {@code partitions}, packed. */
  Block load(int partition, int partitions) throws Exception;
}
