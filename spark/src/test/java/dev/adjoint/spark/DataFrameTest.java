package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.data.Dataset;
import dev.adjoint.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Training on DataFrames: array and Vector features, numeric labels. */
class DataFrameTest {
  private final MlpModel model = MlpModel.of(Fixtures.NET);

  private static SparkSession session() {
    return SparkSession.builder().sparkContext(Fixtures.spark().sc()).getOrCreate();
  }

  /** The digits' training split as a DataFrame in two partitions, features in one of 3 forms. */
  private static org.apache.spark.sql.Dataset<Row> frame(String form, DataType labelType) {
    Dataset train = Fixtures.DIGITS.train();
    int d = train.featuresPerExample();
    DataType featureType = switch (form) {
      case "floats" -> DataTypes.createArrayType(DataTypes.FloatType, false);
      case "doubles" -> DataTypes.createArrayType(DataTypes.DoubleType, false);
      default -> new VectorUDT();
    };
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      Object features;
      if (form.equals("floats")) {
        Float[] f = new Float[d];
        for (int j = 0; j < d; j++) {
          f[j] = train.feature(i, j);
        }
        features = f;
      } else {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
          v[j] = train.feature(i, j);
        }
        features = form.equals("doubles") ? boxed(v)
            : i % 2 == 0 ? Vectors.dense(v) : Vectors.dense(v).toSparse();
      }
      Object label = labelType.equals(DataTypes.DoubleType) ? (Object) (double) train.label(i)
          : (Object) (long) train.label(i);
      rows.add(RowFactory.create(features, label));
    }
    StructType schema = new StructType()
        .add("pixels", featureType, false)
        .add("digit", labelType, false);
    return session().createDataFrame(rows, schema).repartition(1).coalesce(1);
  }

  private static Double[] boxed(double[] v) {
    Double[] b = new Double[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i];
    }
    return b;
  }

  /**
   * A DataFrame in one partition, as floats, doubles or Vectors (dense and sparse), with long or
   * double labels, trains exactly as the same examples given as blocks.
   */
  @Test
  void everyFeatureFormTrainsLikeTheBlocks() throws Exception {
    float[][] expected = Fixtures.params();
    Fixtures.sparkRun(Fixtures.blocks(1), expected, Sgd::new, 0.1, 1, 64, 0, model).build()
        .fit();
    String[] forms = {"floats", "doubles", "vector"};
    DataType[] labels = {DataTypes.LongType, DataTypes.DoubleType, DataTypes.LongType};
    for (int f = 0; f < forms.length; f++) {
      float[][] params = Fixtures.params();
      SparkTrainer.builder()
          .spark(Fixtures.spark())
          .data(frame(forms[f], labels[f]), "pixels", "digit")
          .model(model)
          .parameters(64, params)
          .optimizer(Sgd::new, 0.1)
          .epochs(1)
          .batchSize(64)
          .seed(Fixtures.SEED)
          .output(Fixtures.SILENT)
          .progress(dev.adjoint.train.ProgressMode.NONE)
          .build()
          .fit();
      for (int k = 0; k < params.length; k++) {
        assertArrayEquals(expected[k], params[k], forms[f] + ": parameter " + k);
      }
    }
  }

  @Test
  void partitionsRepartitionTheFrameAndHeldOutDataIsCollected() throws Exception {
    var frame = frame("floats", DataTypes.LongType);
    float[][] params = Fixtures.params();
    var result = SparkTrainer.builder()
        .spark(Fixtures.spark())
        .data(frame, "pixels", "digit")
        .partitions(3)
        .testData(frame, "pixels", "digit")
        .model(model)
        .parameters(64, params)
        .optimizer(Sgd::new, 0.1)
        .epochs(2)
        .batchSize(32)
        .localSgd(4)
        .output(Fixtures.SILENT)
        .progress(dev.adjoint.train.ProgressMode.NONE)
        .build()
        .fit();
    assertTrue(result.last().orElseThrow().testAccuracy() > 0.85, "accuracy " + result.last().orElseThrow().testAccuracy());
    Dataset collected = DataFrameBlocks.collect(frame, "pixels", "digit");
    assertEquals(Fixtures.DIGITS.train().size(), collected.size());
    assertArrayEquals(Fixtures.DIGITS.train().labels(), collected.labels());
    assertArrayEquals(Fixtures.DIGITS.train().features(), collected.features());
  }

  @Test
  void badColumnsAreRefusedByName() {
    var frame = frame("floats", DataTypes.LongType);
    var missing = assertThrows(IllegalArgumentException.class,
        () -> DataFrameBlocks.fromDataFrame(frame, "image", "digit"));
    assertTrue(missing.getMessage().contains("no column 'image'"), missing.getMessage());
    var strings = frame.selectExpr("pixels", "cast(digit as string) as digit");
    var label = assertThrows(IllegalArgumentException.class,
        () -> DataFrameBlocks.fromDataFrame(strings, "pixels", "digit"));
    assertTrue(label.getMessage().contains("label column 'digit' is string"), label.getMessage());
    var features = assertThrows(IllegalArgumentException.class,
        () -> DataFrameBlocks.fromDataFrame(frame, "digit", "digit"));
    assertTrue(features.getMessage().contains("features column 'digit' is bigint"),
        features.getMessage());
    var fractional = frame.selectExpr("pixels", "cast(digit as double) + 0.5 as digit");
    var e = assertThrows(Exception.class,
        () -> DataFrameBlocks.fromDataFrame(fractional, "pixels", "digit").count());
    assertTrue(e.getMessage().contains("label 0.5 in 'digit'")
        || e.getMessage().contains("in 'digit': labels are class indices"), e.getMessage());
  }
}
