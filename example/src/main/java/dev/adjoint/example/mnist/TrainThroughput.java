package dev.adjoint.example.mnist;

import dev.adjoint.ops.Activations;
import dev.adjoint.ops.Dense;
import dev.adjoint.ops.Losses;
import dev.adjoint.ops.Parallelism;
import dev.adjoint.optim.Init;
import dev.adjoint.optim.Sgd;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training throughput of the MNIST MLP (784-128-10, ReLU, softmax cross-entropy, SGD lr 0.1) in
 * samples per second, measured the way {@code bench/pytorch_mlp.py} measures PyTorch: random
 * inputs, a warm-up, then steps for a fixed time. Compares the step with the generated gradient
 * ({@link MlpGrad}) against the same step with hand-written backprop over the same kernels.
 *
 * <pre>java -cp ... dev.adjoint.example.mnist.TrainThroughput [batch] [threads] [seconds]</pre>
 */
public final class TrainThroughput {
  private static final int IN = 784;
  private static final int HIDDEN = 128;
  private static final int CLASSES = 10;
  private static final int EXAMPLES = 60000;

  private TrainThroughput() {}

  /** A training step: loss and gradient for one batch, then the update. */
  private interface Step {
    void run(float[] x, int[] y, int batch);
  }

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5;
    Parallelism.setThreads(threads);
    SplittableRandom random = new SplittableRandom(0);
    float[] data = new float[EXAMPLES * IN];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextDouble();
    }
    int[] labels = random.ints(EXAMPLES, 0, CLASSES).toArray();

    // Alternate the two steps over several rounds and keep each one's median, so that both
    // see the same background load on a shared machine.
    Step generatedStep = generatedStep();
    Step handStep = handStep();
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
    System.out.printf(Locale.ROOT, "adjoint batch=%d threads=%d generated samples/s=%.0f "
        + "hand-written samples/s=%.0f hand/generated=%.3f%n", batch, threads, g, h, h / g);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static float[][] parameters() {
    float[][] p = {new float[IN * HIDDEN], new float[HIDDEN], new float[HIDDEN * CLASSES],
        new float[CLASSES]};
    Init.he(p[0], IN, 1);
    Init.xavier(p[2], HIDDEN, CLASSES, 2);
    return p;
  }

  private static Step generatedStep() {
    float[][] p = parameters();
    float[][] g = {new float[p[0].length], new float[p[1].length], new float[p[2].length],
        new float[p[3].length]};
    MlpGrad.LossAccumulator gradient = new MlpGrad.LossAccumulator(g[0], g[1], g[2], g[3]);
    Sgd sgd = new Sgd(0.1);
    return (x, y, batch) -> {
      gradient.clear();
      MlpGrad.loss(p[0], p[1], p[2], p[3], x, y, batch, IN, HIDDEN, CLASSES, gradient);
      sgd.step(p, g);
    };
  }

  /** The textbook layered backward pass over the same kernels: what the generated code does. */
  private static Step handStep() {
    float[][] p = parameters();
    float[][] g = {new float[p[0].length], new float[p[1].length], new float[p[2].length],
        new float[p[3].length]};
    Sgd sgd = new Sgd(0.1);
    return (x, y, batch) -> {
      for (float[] a : g) {
        Arrays.fill(a, 0);
      }
      float[] z = Dense.dense(x, p[0], p[1], batch, IN, HIDDEN);
      float[] h = Activations.relu(z);
      float[] logits = Dense.dense(h, p[2], p[3], batch, HIDDEN, CLASSES);
      Losses.softmaxCrossEntropy(logits, y, batch, CLASSES);
      float[] dLogits = new float[logits.length];
      Losses.softmaxCrossEntropyBackward(logits, y, batch, CLASSES, 1f, dLogits);
      float[] dH = new float[h.length];
      Dense.denseBackward(h, p[2], p[3], batch, HIDDEN, CLASSES, dLogits, dH, g[2], g[3]);
      float[] dZ = new float[z.length];
      Activations.reluBackward(z, dH, dZ);
      Dense.denseBackward(x, p[0], p[1], batch, IN, HIDDEN, dZ, null, g[0], g[1]);
      sgd.step(p, g);
    };
  }

  private static double measure(Step step, float[] data, int[] labels, int batch,
      double seconds) {
    float[] x = new float[batch * IN];
    int[] y = new int[batch];
    return run(step, data, labels, batch, x, y, EXAMPLES / batch, seconds);
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
