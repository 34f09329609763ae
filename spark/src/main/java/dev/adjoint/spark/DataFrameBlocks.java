package dev.adjoint.spark;

import dev.adjoint.data.Dataset;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.UserDefinedType;

/** Packs DataFrames into the {@link Block}s that training caches, one per partition. */
public final class DataFrameBlocks {
  private DataFrameBlocks() {}

  /**
   * Packs a DataFrame: each partition's rows become one block, read once. The features column is
   * an array of float or double, or a Spark ML {@code Vector}; every row has the same length. The
   * label column holds class indices {@code 0, 1, ...}, of an integral type or as whole doubles.
   *
   * @throws IllegalArgumentException naming the column if a column is missing or of another type;
   *     a null, a length that differs from the first row's, or a label that is not a class index
   *     fails the job with a message naming the row
   */
  public static JavaRDD<Block> fromDataFrame(org.apache.spark.sql.Dataset<Row> frame,
      String featuresColumn, String labelColumn) {
    Kind kind = featuresKind(field(frame, featuresColumn));
    DataType labelType = field(frame, labelColumn).dataType();
    if (!(labelType.equals(DataTypes.IntegerType) || labelType.equals(DataTypes.LongType)
        || labelType.equals(DataTypes.ShortType) || labelType.equals(DataTypes.ByteType)
        || labelType.equals(DataTypes.DoubleType) || labelType.equals(DataTypes.FloatType))) {
      throw new IllegalArgumentException("label column '" + labelColumn + "' is "
          + labelType.simpleString() + ": it must hold class indices 0, 1, ... as a number");
    }
    return frame.select(featuresColumn, labelColumn).javaRDD()
        .mapPartitions(rows -> List.of(pack(rows, kind, featuresColumn, labelColumn)).iterator(),
            true);
  }

  /**
   * Collects a DataFrame to the driver as a dataset (for held-out data, which the driver
   * evaluates), with the column rules of {@link #fromDataFrame}.
   */
  public static Dataset collect(org.apache.spark.sql.Dataset<Row> frame, String featuresColumn,
      String labelColumn) {
    List<Block> blocks = fromDataFrame(frame, featuresColumn, labelColumn).collect();
    int d = 0;
    int n = 0;
    int classes = 0;
    for (Block b : blocks) {
      n += b.size();
      classes = Math.max(classes, b.maxLabel() + 1);
      if (b.size() > 0) {
        if (d != 0 && d != b.featuresPerExample()) {
          throw new IllegalArgumentException("rows of '" + featuresColumn + "' have "
              + d + " and " + b.featuresPerExample() + " features");
        }
        d = b.featuresPerExample();
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("the DataFrame has no rows");
    }
    float[] features = new float[Math.multiplyExact(n, d)];
    int[] labels = new int[n];
    int at = 0;
    for (Block b : blocks) {
      System.arraycopy(b.features(), 0, features, at * d, b.size() * d);
      System.arraycopy(b.labels(), 0, labels, at, b.size());
      at += b.size();
    }
    return new Dataset(features, labels, d, classes);
  }

  private enum Kind { FLOATS, DOUBLES, VECTOR }

  private static StructField field(org.apache.spark.sql.Dataset<Row> frame, String column) {
    for (StructField f : frame.schema().fields()) {
      if (f.name().equals(column)) {
        return f;
      }
    }
    throw new IllegalArgumentException("no column '" + column + "' in " + frame.schema()
        .simpleString());
  }

  private static Kind featuresKind(StructField f) {
    DataType t = f.dataType();
    if (t instanceof ArrayType a) {
      if (a.elementType().equals(DataTypes.FloatType)) {
        return Kind.FLOATS;
      }
      if (a.elementType().equals(DataTypes.DoubleType)) {
        return Kind.DOUBLES;
      }
    }
    if (t instanceof UserDefinedType<?> u
        && u.userClass().getName().equals(VectorColumn.VECTOR_CLASS)) {
      return Kind.VECTOR;
    }
    throw new IllegalArgumentException("features column '" + f.name() + "' is "
        + t.simpleString() + ": it must be array<float>, array<double> or a Spark ML Vector");
  }

  private static Block pack(Iterator<Row> rows, Kind kind, String featuresColumn,
      String labelColumn) {
    float[] features = new float[1024];
    int[] labels = new int[64];
    int n = 0;
    int d = -1;
    while (rows.hasNext()) {
      Row row = rows.next();
      if (row.isNullAt(0) || row.isNullAt(1)) {
        throw new IllegalArgumentException("row " + n + " of a partition has a null "
            + (row.isNullAt(0) ? featuresColumn : labelColumn));
      }
      int length = switch (kind) {
        case FLOATS, DOUBLES -> row.getList(0).size();
        case VECTOR -> VectorColumn.size(row.get(0));
      };
      if (d < 0) {
        d = length;
      } else if (length != d) {
        throw new IllegalArgumentException("row " + n + " of a partition has " + length
            + " values in '" + featuresColumn + "', the rows before it " + d);
      }
      if ((long) (n + 1) * d > features.length) {
        features = Arrays.copyOf(features, (int) Math.min(Integer.MAX_VALUE - 8,
            Math.max((long) (n + 1) * d, 2L * features.length)));
      }
      if (n == labels.length) {
        labels = Arrays.copyOf(labels, 2 * n);
      }
      int at = n * d;
      switch (kind) {
        case FLOATS -> {
          List<Float> values = row.getList(0);
          for (int j = 0; j < d; j++) {
            features[at + j] = values.get(j);
          }
        }
        case DOUBLES -> {
          List<Double> values = row.getList(0);
          for (int j = 0; j < d; j++) {
            features[at + j] = (float) (double) values.get(j);
          }
        }
        case VECTOR -> VectorColumn.copy(row.get(0), features, at);
      }
      double label = ((Number) row.get(1)).doubleValue();
      if (label != Math.rint(label) || label < 0 || label > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("row " + n + " of a partition has label " + label
            + " in '" + labelColumn + "': labels are class indices 0, 1, ...");
      }
      labels[n] = (int) label;
      n++;
    }
    int width = Math.max(d, 0);
    return new Block(Arrays.copyOf(features, n * width), Arrays.copyOf(labels, n), width);
  }

}
