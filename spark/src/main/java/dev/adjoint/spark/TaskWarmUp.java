package dev.adjoint.spark;

import dev.adjoint.ops.Parallelism;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Evaluator;
import dev.adjoint.train.GradientStep;
import java.io.Serializable;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains a throwaway copy of the model on random inputs, with the shapes a task will use, in a
 * background thread of the executor while a task loads its partition: the single-machine
 * command's JIT warm-up ({@code JitWarmUp}), on the executors. The Vector API kernels run many
 * times slower until C2 has compiled them (a JFR profile of the first epoch on {@code local[2]}
 * showed the incubator's Java fallbacks, {@code FloatVector.tOpTemplate} and its boxing, in the
 * task threads for its first 20 seconds under load, none afterwards). It touches nothing the run
 * uses: its own parameters, gradients, optimizer and data, and never its results.
 *
 * @param model the model
 * @param shapes the parameter arrays' lengths
 * @param in features per example
 * @param classes labels are drawn below this
 * @param batch examples per step of a task
 * @param threads threads for the ops, as in the tasks
 * @param optimizer the tasks' optimizer (local SGD), or the driver's (synchronous)
 */
record TaskWarmUp(SparkModel model, int[] shapes, int in, int classes, int batch, int threads,
    OptimizerFactory optimizer) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One warm-up per executor JVM at a time: its tasks share the compiled code. */
  private static final AtomicBoolean RUNNING = new AtomicBoolean();

  /** A running warm-up; {@link #close} stops it and waits for its step to end. */
  static final class Running implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;
    private volatile long steps;

    private Running(TaskWarmUp w) {
      thread = new Thread(() -> {
        try {
          w.run(this);
        } catch (RuntimeException | Error e) {
          // Nothing depends on the warm-up: the tasks run the same code next and report there.
        } finally {
          RUNNING.set(false);
        }
      }, "adjoint-jit-warm-up");
      thread.setDaemon(true);
    }

    /** Steps taken so far. */
    long steps() {
      return steps;
    }

    /** Whether the warm-up thread is still running. */
    boolean running() {
      return thread.isAlive();
    }

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

  /** Starts warming up, or returns null if this JVM already runs a warm-up. */
  Running start() {
    if (!RUNNING.compareAndSet(false, true)) {
      return null;
    }
    Running r = new Running(this);
    r.thread.start();
    return r;
  }

  private void run(Running running) {
    // Parallelism is one setting per JVM; the tasks set the same value before every step.
    Parallelism.setThreads(threads);
    float[][] params = new float[shapes.length][];
    SplittableRandom random = new SplittableRandom(0);
    for (int k = 0; k < shapes.length; k++) {
      params[k] = new float[shapes[k]];
      for (int i = 0; i < shapes[k]; i++) {
        params[k][i] = (float) ((random.nextDouble() - 0.5) * 0.1);
      }
    }
    int rows = Math.max(batch, 256);
    float[] x = new float[rows * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextDouble() < 0.8 ? 0f : (float) random.nextDouble(); // sparse, as images
    }
    int[] y = random.ints(rows, 0, Math.max(1, classes)).toArray();
    int[] predictions = new int[rows];
    BatchLoss loss = model.loss(params);
    Evaluator evaluator = model.evaluator(params);
    GradientStep step = new GradientStep(params, optimizer.create(1e-3));
    float[][] grads = step.gradients();
    for (int s = 0; !running.stop; s++) {
      step.run(batch, () -> loss.lossAndGradient(x, y, batch, grads));
      running.steps = s + 1;
      if (s % 8 == 7) {
        // The held-out evaluation, in batches of 256 on the driver (the same JVM when local).
        evaluator.lossAndPredictions(x, y, Math.min(rows, 256), predictions);
      }
    }
  }
}
