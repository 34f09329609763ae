package dev.adjoint.spark;

import dev.adjoint.data.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Builds the packed {@link Block}s, one per partition, that training caches (from DataFrames:
 * {@link DataFrameBlocks}, kept apart so that this class, which the tasks of the train command
 * load, needs no Spark SQL on the class path).
 */
public final class Blocks {
  private Blocks() {}

  /**
   * Blocks loaded by the tasks themselves: partition {@code p} is {@code loader.load(p,
   * partitions)}.
   */
  public static JavaRDD<Block> load(JavaSparkContext sc, int partitions, PartitionLoader loader) {
    return load(sc, partitions, loader, null);
  }

  /**
   * {@link #load(JavaSparkContext, int, PartitionLoader)}, with the training step warmed up on
   * each executor while its tasks load their partitions ({@link TaskWarmUp}; null for none).
   */
  static JavaRDD<Block> load(JavaSparkContext sc, int partitions, PartitionLoader loader,
      TaskWarmUp warmUp) {
    List<Integer> indices = IntStream.range(0, partitions).boxed().toList();
    return sc.parallelize(indices, partitions).map(p -> {
      try (TaskWarmUp.Running running = warmUp == null ? null : warmUp.start()) {
        return loader.load(p, partitions);
      }
    });
  }

  /**
   * Partition {@code p} of {@code partitions} of a dataset: its examples {@code p * n /
   * partitions} to {@code (p + 1) * n / partitions - 1}, in order, copied. With one partition,
   * the whole dataset in its order.
   */
  public static Block slice(Dataset data, int p, int partitions) {
    long n = data.size();
    int from = (int) (p * n / partitions);
    int to = (int) ((p + 1) * n / partitions);
    int d = data.featuresPerExample();
    return new Block(Arrays.copyOfRange(data.features(), from * d, to * d),
        Arrays.copyOfRange(data.labels(), from, to), d);
  }

  /**
   * What training needs to know of the cached blocks.
   *
   * @param sizes examples per partition
   * @param featuresPerExample floats per example
   * @param classes the largest label plus one
   */
  record Summary(int[] sizes, int featuresPerExample, int classes) {}

  /**
   * Counts every partition's examples (materializing a cached RDD) and checks that each partition
   * holds one block and that all agree on the features per example.
   */
  static Summary summarize(JavaRDD<Block> blocks) {
    List<int[]> parts = blocks.mapPartitionsWithIndex((p, it) -> {
      int count = 0;
      int[] s = {p, 0, 0, -1, 0};
      while (it.hasNext()) {
        Block b = it.next();
        count++;
        s[1] = b.size();
        s[2] = b.featuresPerExample();
        s[3] = b.maxLabel();
      }
      s[4] = count;
      return List.of(s).iterator();
    }, true).collect();
    int[] sizes = new int[parts.size()];
    int d = 0;
    int classes = 0;
    for (int[] s : parts) {
      if (s[4] != 1) {
        throw new IllegalArgumentException("partition " + s[0] + " holds " + s[4]
            + " blocks: training data needs exactly one Block per partition");
      }
      sizes[s[0]] = s[1];
      classes = Math.max(classes, s[3] + 1);
      if (s[1] > 0) {
        if (d != 0 && d != s[2]) {
          throw new IllegalArgumentException("partitions hold examples of " + d + " and "
              + s[2] + " features");
        }
        d = s[2];
      }
    }
    return new Summary(sizes, d, classes);
  }
}
