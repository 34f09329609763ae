package dev.adjoint.spark;

import org.apache.spark.ml.linalg.Vector;

/**
 * Reads Spark ML {@link Vector}s. Apart from {@link DataFrameBlocks} so that Spark MLlib is loaded
 * only for DataFrames that have such a column.
 */
final class VectorColumn {
  private VectorColumn() {}

  static final String VECTOR_CLASS = "org.apache.spark.ml.linalg.Vector";

  /** Its length. */
  static int size(Object vector) {
    return ((Vector) vector).size();
  }

  /** Copies it, dense or sparse, into {@code out} from {@code offset}. */
  static void copy(Object vector, float[] out, int offset) {
    double[] values = ((Vector) vector).toArray();
    for (int i = 0; i < values.length; i++) {
      out[offset + i] = (float) values[i];
    }
  }
}
