package dev.adjoint.example.mnist;

import dev.adjoint.ops.Finite;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Evaluator;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Trains a throwaway copy of the network on random inputs in a background thread while the
 * dataset loads, so that the JIT compiles the training step before the first real batch.
 *
 * <p>The Vector API kernels are many times slower before C2 has compiled them, and C2 compiles
 * them only after they have run for a while: on MNIST the first epoch used to spend most of its
 * first second there (a third of the steady speed over the epoch). Loading MNIST's 47 MB keeps
 * one core busy for about a second anyway; this runs the same code paths on the other (the
 * training step, the gradient check, the update and the evaluation, with the real shapes) and
 * touches nothing the real run uses: its own parameters, gradients, optimizer and data.
 */
final class JitWarmUp implements AutoCloseable {
  private final Thread thread;
  private volatile boolean stop;
  private volatile Throwable failure;
  private volatile long steps;

  private JitWarmUp(Network net, int batch, int evalBatch, Supplier<Optimizer> optimizer,
      BatchLossFactory loss) {
    thread = new Thread(() -> {
      try {
        run(net, batch, evalBatch, optimizer.get(), loss);
      } catch (RuntimeException | Error e) {
        // Nothing depends on the warm-up: the real run executes the same code right after and
        // reports any failure where it belongs.
        failure = e;
      }
    }, "jit-warm-up");
    thread.setDaemon(true);
  }

  /** Makes the loss of a network over the given parameters (as {@link MlpTraining} does). */
  interface BatchLossFactory {
    BatchLoss create(Network net, float[][] params);
  }

  /** Starts warming up the training step of {@code net}; {@link #close} stops it. */
  static JitWarmUp start(Network net, int batch, int evalBatch, Supplier<Optimizer> optimizer,
      BatchLossFactory loss) {
    JitWarmUp w = new JitWarmUp(net, batch, evalBatch, optimizer, loss);
    w.thread.start();
    return w;
  }

  private void run(Network net, int batch, int evalBatch, Optimizer optimizer,
      BatchLossFactory lossFactory) {
    float[][] params = net.newParameters(0);
    float[][] grads = new float[params.length][];
    for (int k = 0; k < params.length; k++) {
      grads[k] = new float[params[k].length];
    }
    BatchLoss loss = lossFactory.create(net, params);
    Evaluator evaluator = MlpTraining.evaluator(net, params);
    int in = net.widths()[0];
    int rows = Math.max(batch, evalBatch);
    SplittableRandom random = new SplittableRandom(0);
    float[] x = new float[rows * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextDouble() < 0.8 ? 0f : (float) random.nextDouble(); // sparse, as digits
    }
    int[] y = random.ints(rows, 0, net.classes()).toArray();
    int[] predictions = new int[rows];
    for (int step = 0; !stop; step++) {
      for (float[] g : grads) {
        Arrays.fill(g, 0f);
      }
      loss.lossAndGradient(x, y, batch, grads);
      for (float[] g : grads) {
        Finite.firstNonFinite(g);
      }
      optimizer.step(params, grads);
      steps = step + 1;
      if (step % 8 == 7) {
        evaluator.lossAndPredictions(x, y, evalBatch, predictions);
      }
    }
  }

  /** Whether the warm-up thread is still running. */
  boolean running() {
    return thread.isAlive();
  }

  /** Steps completed so far. */
  long steps() {
    return steps;
  }

  /** What ended the warm-up early, or {@code null}. */
  Throwable failure() {
    return failure;
  }

  /** Stops the warm-up and waits for its current step to end. */
  @Override
  public void close() {
    stop = true;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
