package dev.adjoint.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A sum over partitions whose float result does not depend on the order in which Spark delivers
 * the partitions' parts. {@code treeAggregate} combines partial results as tasks finish, and
 * float addition is not associative, so summing in arrival order would make runs differ in their
 * last bits. Here every part is a leaf {@code [p, p + 1)} of one fixed binary tree over the
 * partitions {@code [0, n)} (a node {@code [lo, hi)} has children {@code [lo, mid)} and {@code
 * [mid, hi)}, {@code mid = (lo + hi) / 2}); two nodes are added, left plus right, only when they
 * are siblings. Whatever the arrival order, each node's value is computed by the same additions.
 *
 * <p>A part may be empty ({@code arrays == null}): a partition that had nothing to add. With one
 * partition the result is that partition's part itself, no addition made.
 */
final class TreeSum implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * One node's value: float arrays summed elementwise, plus a double and a sample count.
   *
   * @param arrays the summed arrays, or null if every leaf under the node was empty
   * @param scalar a double summed along (the weighted loss)
   * @param samples examples counted under the node
   * @param contributors leaves under the node whose arrays were not empty
   */
  record Part(float[][] arrays, double scalar, long samples, int contributors)
      implements Serializable {
    /** A leaf that adds nothing. */
    static Part empty() {
      return new Part(null, 0, 0, 0);
    }

    /** A leaf with arrays. */
    static Part of(float[][] arrays, double scalar, long samples) {
      return new Part(arrays, scalar, samples, 1);
    }
  }

  private final int partitions;
  private final TreeMap<Long, Part> nodes = new TreeMap<>();

  TreeSum(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    this.partitions = partitions;
  }

  /** Adds partition {@code p}'s part; returns this sum. */
  TreeSum add(int p, Part part) {
    if (p < 0 || p >= partitions) {
      throw new IllegalArgumentException("partition " + p + " of " + partitions);
    }
    insert(p, p + 1, part);
    return this;
  }

  /** Adds every node of {@code other} (parts of other partitions); returns this sum. */
  TreeSum merge(TreeSum other) {
    if (other.partitions != partitions) {
      throw new IllegalArgumentException(other.partitions + " partitions, expected " + partitions);
    }
    List<Long> keys = new ArrayList<>(other.nodes.keySet());
    for (long key : keys) {
      insert((int) (key >>> 32), (int) key, other.nodes.get(key));
    }
    return this;
  }

  /**
   * The total over all partitions.
   *
   * @throws IllegalStateException if some partition's part is missing
   */
  Part total() {
    Part root = nodes.get(key(0, partitions));
    if (root == null || nodes.size() != 1) {
      throw new IllegalStateException("parts of " + partitions + " partitions expected, have "
          + nodes.keySet().stream().map(k -> "[" + (k >>> 32) + ", " + (int) (long) k + ")")
              .toList());
    }
    return root;
  }

  private void insert(int lo, int hi, Part part) {
    if (nodes.containsKey(key(lo, hi))) {
      throw new IllegalStateException("partitions [" + lo + ", " + hi + ") added twice");
    }
    while (!(lo == 0 && hi == partitions)) {
      // Find the node's sibling by walking down from the root.
      int a = 0;
      int b = partitions;
      int siblingLo;
      int siblingHi;
      while (true) {
        int mid = (a + b) >>> 1;
        if (hi <= mid) {
          if (lo == a && hi == mid) {
            siblingLo = mid;
            siblingHi = b;
            break;
          }
          b = mid;
        } else {
          if (lo == mid && hi == b) {
            siblingLo = a;
            siblingHi = mid;
            break;
          }
          a = mid;
        }
      }
      Part sibling = nodes.remove(key(siblingLo, siblingHi));
      if (sibling == null) {
        break;
      }
      part = siblingLo < lo ? plus(sibling, part) : plus(part, sibling);
      lo = Math.min(lo, siblingLo);
      hi = Math.max(hi, siblingHi);
    }
    nodes.put(key(lo, hi), part);
  }

  /** Left plus right, into the left's arrays (each part owns its arrays). */
  private static Part plus(Part left, Part right) {
    float[][] sum;
    if (left.arrays() == null) {
      sum = right.arrays();
    } else if (right.arrays() == null) {
      sum = left.arrays();
    } else {
      sum = left.arrays();
      float[][] r = right.arrays();
      for (int k = 0; k < sum.length; k++) {
        float[] s = sum[k];
        float[] t = r[k];
        for (int i = 0; i < s.length; i++) {
          s[i] += t[i];
        }
      }
    }
    return new Part(sum, left.scalar() + right.scalar(), left.samples() + right.samples(),
        left.contributors() + right.contributors());
  }

  private static long key(int lo, int hi) {
    return ((long) lo << 32) | hi;
  }
}
