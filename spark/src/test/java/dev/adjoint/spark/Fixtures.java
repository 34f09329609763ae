package dev.adjoint.spark;

import dev.adjoint.data.Batcher;
import dev.adjoint.data.Dataset;
import dev.adjoint.data.Digits;
import dev.adjoint.example.mnist.Activation;
import dev.adjoint.example.mnist.Network;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.train.BatchSource;
import dev.adjoint.train.ProgressMode;
import dev.adjoint.train.Trainer;
import dev.adjoint.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/** One Spark context for all the tests ({@code local[2]}, a failed task retried once), data. */
final class Fixtures {
  private Fixtures() {}

  private static JavaSparkContext sc;

  static synchronized JavaSparkContext spark() {
    if (sc == null) {
      SparkConf conf = new SparkConf()
          .setMaster("local[2,2]")
          .setAppName("adjoint-spark tests")
          .set("spark.ui.enabled", "false")
          .set("spark.driver.host", "127.0.0.1")
          .set("spark.driver.bindAddress", "127.0.0.1");
      sc = new JavaSparkContext(conf);
      sc.setLogLevel("ERROR");
      Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
    }
    return sc;
  }

  static final long SEED = 7;
  static final Dataset.Split DIGITS = Digits.load().split(0.2, SEED);
  static final Network NET = new Network(new int[] {64, 32, 10}, Activation.RELU);

  static float[][] params() {
    return NET.newParameters(SEED);
  }

  /** The digits' training split in {@code partitions} contiguous blocks. */
  static JavaRDD<Block> blocks(int partitions) {
    return Blocks.load(spark(), partitions,
        (p, n) -> Blocks.slice(Digits.load().split(0.2, SEED).train(), p, n));
  }

  static final PrintStream SILENT = new PrintStream(OutputStream.nullOutputStream());

  /** A Spark run over the digits with the given optimizer and mode (localSteps 0: synchronous). */
  static SparkTrainer.Builder sparkRun(JavaRDD<Block> data, float[][] params,
      OptimizerFactory optimizer, double lr, int epochs, int batch, int localSteps,
      SparkModel model) {
    SparkTrainer.Builder b = SparkTrainer.builder()
        .spark(spark())
        .data(data)
        .model(model)
        .parameters(64, params)
        .optimizer(optimizer, lr)
        .epochs(epochs)
        .batchSize(batch)
        .seed(SEED)
        .testData(DIGITS.test())
        .output(SILENT)
        .progress(ProgressMode.NONE);
    if (localSteps > 0) {
      b.localSgd(localSteps);
    }
    return b;
  }

  /** The single-machine trainer on the same data, batches and model. */
  static TrainingResult singleMachine(float[][] params, Optimizer optimizer, int epochs,
      int batch) throws IOException {
    MlpModel model = MlpModel.of(NET);
    return Trainer.builder()
        .parameters(params)
        .loss(model.loss(params))
        .optimizer(optimizer)
        .epochs(epochs)
        .trainData(batches(DIGITS.train(), batch))
        .testData(new DatasetBatches(DIGITS.test(), 256), model.evaluator(params))
        .output(SILENT)
        .progress(ProgressMode.NONE)
        .build()
        .fit();
  }

  /** The shuffling batches the single-machine command uses (its BatcherSource). */
  static BatchSource batches(Dataset data, int batch) {
    Batcher batcher = new Batcher(data, batch, SEED);
    int d = data.featuresPerExample();
    return new BatchSource() {
      @Override
      public int batches() {
        return batcher.batchCount();
      }

      @Override
      public int batchSize() {
        return batch;
      }

      @Override
      public int sampleSize() {
        return d;
      }

      @Override
      public void beginEpoch(int epoch) {
        batcher.startEpoch(epoch);
      }

      @Override
      public int fill(int b, float[] x, int[] y) {
        int n = batcher.fill(b);
        System.arraycopy(batcher.features(), 0, x, 0, n * d);
        System.arraycopy(batcher.labels(), 0, y, 0, n);
        return n;
      }
    };
  }

  static float[][] copy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int k = 0; k < a.length; k++) {
      c[k] = a[k].clone();
    }
    return c;
  }

  static List<Double> losses(TrainingResult r) {
    return r.history().stream().map(m -> m.trainLoss()).toList();
  }
}
