package dev.adjoint.example.mnist;

import dev.adjoint.data.IdxReader;
import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;
import dev.adjoint.ops.Parallelism;
import dev.adjoint.optim.Sgd;
import dev.adjoint.train.BatchLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training throughput of an MNIST MLP (784-128-10 by default, ReLU, softmax cross-entropy, SGD lr
 * 0.1) in samples per second, measured the way {@code bench/pytorch_mlp.py} measures PyTorch:
 * random inputs, a warm-up, then steps for a fixed time. Compares the {@code train} command's
 * step, the generated gradient of the model record {@link DeepMlp}, against the same step with
 * hand-written backprop over the same kernels.
 *
 * <pre>
 * java -cp ... dev.adjoint.example.mnist.TrainThroughput [batch] [threads] [seconds] [hidden] [mnist]
 * </pre>
 *
 * <p>{@code hidden} is the hidden layers' widths as for {@code train --hidden}: {@code 256,128}
 * measures 784-256-128-10. {@code mnist}, a directory of MNIST's IDX files, trains on its
 * training set instead of random inputs.
 */
public final class TrainThroughput {
  private static final int IN = 784;
  private static final int CLASSES = 10;
  private static final int EXAMPLES = 60000;

  private TrainThroughput() {}

  /** A training step: loss and gradient for one batch, then the update. */
  private interface Step {
    void run(float[] x, int[] y, int batch);
  }

  public static void main(String[] args) throws IOException {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5;
    String hidden = args.length > 3 ? args[3] : "128";
    Network net = TrainOptions.parse(List.of("--hidden", hidden)).network(IN, CLASSES);
    Parallelism.setThreads(threads);
    float[] data;
    int[] labels;
    if (args.length > 4) {
      Path dir = Path.of(args[4]);
      data = IdxReader.readImages(dir.resolve("train-images-idx3-ubyte")).pixels();
      labels = IdxReader.readLabels(dir.resolve("train-labels-idx1-ubyte"), CLASSES);
    } else {
      SplittableRandom random = new SplittableRandom(0);
      data = new float[EXAMPLES * IN];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) random.nextDouble();
      }
      labels = random.ints(EXAMPLES, 0, CLASSES).toArray();
    }

    // Alternate the two steps over several rounds and keep each one's median, so that both
    // see the same background load on a shared machine.
    Step generatedStep = generatedStep(net);
    Step handStep = handStep(net);
    int rounds = 5;
    double[] generated = new double[rounds];
    double[] hand = new double[rounds];
    measure(generatedStep, data, labels, batch, Math.min(2, seconds));
    measure(handStep, data, labels, batch, Math.min(2, seconds));
    for (int r = 0; r < rounds; r++) {
      generated[r] = measure(generatedStep, data, labels, batch, seconds / rounds);
      hand[r] = measure(handStep, data, labels, batch, seconds / rounds);
    }
    double g = median(generated);
    double h = median(hand);
    System.out.printf(Locale.ROOT, "adjoint model=%s batch=%d threads=%d generated samples/s=%.0f "
        + "hand-written samples/s=%.0f hand/generated=%.3f%n", net.shape(), batch, threads, g, h,
        h / g);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static float[][] zerosLike(float[][] p) {
    float[][] g = new float[p.length][];
    for (int k = 0; k < p.length; k++) {
      g[k] = new float[p[k].length];
    }
    return g;
  }

  private static Step generatedStep(Network net) {
    float[][] p = net.newParameters(1);
    float[][] g = zerosLike(p);
    BatchLoss loss = MlpTraining.opsLoss(net, p);
    Sgd sgd = new Sgd(0.1);
    return (x, y, batch) -> {
      for (float[] a : g) {
        Parallelism.forRange(a.length, (from, to) -> Arrays.fill(a, from, to, 0f)); // as Trainer
      }
      loss.lossAndGradient(x, y, batch, g);
      sgd.step(p, g);
    };
  }

  /** The textbook layered backward pass over the same kernels: what the generated code does. */
  private static Step handStep(Network net) {
    float[][] p = net.newParameters(1);
    float[][] g = zerosLike(p);
    int[] widths = net.widths();
    int layers = net.layers();
    Sgd sgd = new Sgd(0.1);
    return (x, y, batch) -> {
      for (float[] a : g) {
        Parallelism.forRange(a.length, (from, to) -> Arrays.fill(a, from, to, 0f)); // as Trainer
      }
      // Forward: z[l] = dense(h[l]), h[l + 1] = relu(z[l]); h[0] is the batch.
      float[][] h = new float[layers][];
      float[][] z = new float[layers][];
      h[0] = x;
      for (int l = 0; l < layers; l++) {
        z[l] = Dense.dense(h[l], p[2 * l], p[2 * l + 1], batch, widths[l], widths[l + 1]);
        if (l + 1 < layers) {
          h[l + 1] = Activations.relu(z[l]);
        }
      }
      float[] logits = z[layers - 1];
      Losses.softmaxCrossEntropy(logits, y, batch, CLASSES);
      float[] dZ = new float[logits.length];
      Losses.softmaxCrossEntropyBackward(logits, y, batch, CLASSES, 1f, dZ);
      for (int l = layers - 1; l >= 0; l--) {
        float[] dH = l == 0 ? null : new float[h[l].length];
        Dense.denseBackward(h[l], p[2 * l], p[2 * l + 1], batch, widths[l], widths[l + 1], dZ,
            dH, g[2 * l], g[2 * l + 1]);
        if (l > 0) {
          dZ = new float[z[l - 1].length];
          Activations.reluBackward(z[l - 1], dH, dZ);
        }
      }
      sgd.step(p, g);
    };
  }

  private static double measure(Step step, float[] data, int[] labels, int batch,
      double seconds) {
    float[] x = new float[batch * IN];
    int[] y = new int[batch];
    return run(step, data, labels, batch, x, y, labels.length / batch, seconds);
  }

  private static double run(Step step, float[] data, int[] labels, int batch, float[] x,
      int[] y, int batches, double seconds) {
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long samples = 0;
    for (int k = 0; System.nanoTime() < deadline; k++) {
      int first = (k % batches) * batch;
      System.arraycopy(data, first * IN, x, 0, batch * IN);
      System.arraycopy(labels, first, y, 0, batch);
      step.run(x, y, batch);
      samples += batch;
    }
    return samples / ((System.nanoTime() - start) / 1e9);
  }
}
