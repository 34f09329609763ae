package dev.adjoint.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * One Spark job that computes a {@link TreeSum.Part} in every partition and sums them in the
 * fixed order of {@link TreeSum}.
 *
 * <p>Above {@link #TREE_ABOVE} partitions the parts are summed with {@code treeAggregate} (depth
 * 2): executors add groups of parts before the driver adds the groups. Up to that many, {@code
 * treeAggregate} would add no level (it folds on the driver while {@code partitions <= scale +
 * ceil(partitions / scale)}, {@code scale = max(ceil(sqrt(partitions)), 2)}, that is up to 5), so
 * the job sends the parts to the driver directly, as that fold does, through {@code runJob} with a
 * named function: the same data flow without {@code treeAggregate}'s closures, which Spark
 * re-inspects with ASM on every job (about 8 against 16 ms a job here, measured on {@code
 * local[2]}). Both give the same bits, {@link TreeSum} making the order irrelevant.
 */
final class PartitionSum {
  private PartitionSum() {}

  /** Partitions up to which the parts go straight to the driver. */
  static final int TREE_ABOVE = 5;

  /** The work of one partition; a named class, which Spark's closure cleaner skips. */
  abstract static class Task
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<Block>, TreeSum.Part>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Partition {@code p}'s part, from its cached block. */
    abstract TreeSum.Part compute(Block block, int p);

    @Override
    public final TreeSum.Part apply(TaskContext context, scala.collection.Iterator<Block> blocks) {
      return compute(blocks.next(), context.partitionId());
    }
  }

  /** Runs {@code task} on every partition of {@code data} and returns the sum of the parts. */
  static TreeSum.Part run(JavaSparkContext sc, JavaRDD<Block> data, int partitions, Task task,
      int treeAbove) {
    TreeSum sum = new TreeSum(partitions);
    if (partitions <= treeAbove) {
      Object results = sc.sc().runJob(data.rdd(), task, ClassTag$.MODULE$.apply(TreeSum.Part.class));
      TreeSum.Part[] parts = (TreeSum.Part[]) results;
      for (int p = 0; p < parts.length; p++) {
        sum.add(p, parts[p]);
      }
      return sum.total();
    }
    return data
        .mapPartitionsWithIndex((p, blocks) ->
            List.of(new Tuple2<>(p, task.compute(blocks.next(), p))).iterator(), true)
        .treeAggregate(sum, (s, part) -> s.add(part._1(), part._2()), TreeSum::merge, 2)
        .total();
  }
}
