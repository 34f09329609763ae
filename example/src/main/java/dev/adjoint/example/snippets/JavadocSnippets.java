package dev.adjoint.example.snippets;

import dev.adjoint.GradCheck;
import dev.adjoint.Scratch;
import dev.adjoint.data.Batcher;
import dev.adjoint.data.Dataset;
import dev.adjoint.data.Digits;
import dev.adjoint.data.MnistDataset;
import dev.adjoint.data.Shuffle;
import dev.adjoint.optim.Adam;
import dev.adjoint.optim.FloatScalar;
import dev.adjoint.optim.Init;
import dev.adjoint.optim.LearningRateSchedule;
import dev.adjoint.optim.Optimizer;
import dev.adjoint.optim.Parameters;
import dev.adjoint.optim.Scalar;
import dev.adjoint.optim.Sgd;
import dev.adjoint.ops.Activations;
import dev.adjoint.train.AccumulatingLoss;
import dev.adjoint.train.BatchLoss;
import dev.adjoint.train.Checkpoint;
import dev.adjoint.train.GradientStep;
import dev.adjoint.train.ProgressMode;
import dev.adjoint.train.StepResult;
import dev.adjoint.train.Trainer;
import dev.adjoint.train.TrainingResult;
import dev.adjoint.train.TrainingSteps;
import java.io.IOException;
import java.nio.file.Path;
import dev.adjoint.Hessians;
import java.util.Arrays;
import java.util.Map;

/**
 * Every example of the runtime's Javadoc, between {@code // snippet: Name} and {@code // end}
 * markers, where {@code Name} is the file that shows it (with {@code #2} for its second example).
 * {@code JavadocSnippetsTest} checks that each marked block is the Javadoc's, line for line, and
 * runs these methods.
 */
public final class JavadocSnippets {
  private JavadocSnippets() {}

  /** Init: He initialisation of a first layer. */
  public static float[][] init(long seed) {
    // snippet: Init
    float[] w1 = new float[784 * 128];
    Init.he(w1, 784, seed);          // ReLU layer: normal, std sqrt(2 / 784)
    float[] b1 = new float[128];     // biases: zeros (new arrays already are)
    // end
    return new float[][] {w1, b1};
  }

  /** Hessians: the Hessian of {@link Bowl#f} at {@code x}, from two Hessian-vector products. */
  public static double[][] hessian(double[] x) {
    // snippet: Hessians
    double[][] h = Hessians.of((at, v) -> BowlGrad.fHvp(at, v).x(), x);
    // end
    return h;
  }

  /** Scalar: two scalar parameters fitted by SGD; returns {w, b}. */
  public static double[] scalar(double x, double target) {
    // snippet: Scalar
    Scalar w = new Scalar(2), b = new Scalar(1);
    Parameters params = Parameters.builder().add(w).add(b).build();
    Optimizer sgd = new Sgd(0.1);
    for (int step = 0; step < 100; step++) {
      NeuronGrad.Loss g = NeuronGrad.loss(w.value(), b.value(), x, target);
      w.setGrad(g.w());
      b.setGrad(g.b());
      sgd.step(params);
    }
    // end
    return new double[] {w.value(), b.value()};
  }

  /** Optimizer: Adam on the model; returns the loss after {@code steps} steps. */
  public static float optimizer(float[][] w, float[] b, float[] x, int[] labels, int steps) {
    ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
    // snippet: Optimizer
    Optimizer opt = new Adam(1e-3);
    Parameters params = Parameters.builder().add(w, gradient.w).add(b, gradient.b).build();
    for (int step = 0; step < steps; step++) {
      gradient.clear();
      ModelGrad.loss(w, b, x, labels, gradient);   // adds the gradient into gradient.w, gradient.b
      opt.step(params);
    }
    // end
    return Model.loss(w, b, x, labels);
  }

  /** Optimizer#2: a record with an array and a scalar fitted by Adam; returns the record. */
  public static Line line(double[] x, double[] y, int steps) {
    // snippet: Optimizer#2
    Line model = new Line(new double[] {0, 0}, 0);       // record Line(double[] w, double b)
    LineGrad.LossAccumulator gradient = LineGrad.LossAccumulator.zerosLike(model);
    Optimizer opt = new Adam(0.05);
    for (int step = 0; step < steps; step++) {
      gradient.clear();
      LineGrad.loss(model, x, y, gradient);         // adds into gradient.self
      model = opt.step(model, gradient.self);       // w in place; a new Line with the new b
    }
    // end
    return model;
  }

  /** Parameters#2: SGD steps of the model record over one batch; returns the loss after them. */
  public static float parametersOfRecord(Classifier model, float[] x, int[] labels) {
    Optimizer optimizer = new Sgd(0.1);
    // snippet: Parameters#2
    ClassifierGrad.LossAccumulator gradient = ClassifierGrad.LossAccumulator.zerosLike(model);
    Parameters params = Parameters.of(model, gradient.self);   // w with gradient.self.w(), b...
    for (int step = 0; step < 10; step++) {
      gradient.clear();
      ClassifierGrad.loss(model, x, labels, gradient);
      optimizer.step(params);
    }
    // end
    return model.loss(x, labels);
  }

  /** FloatScalar: a float scalar next to an array, both fitted to y = 2 x + 0.5. */
  public static float[] floatScalar() {
    float[] weights = {0f};
    float[] x = {1f, 2f, 3f};
    // snippet: FloatScalar
    FloatScalar bias = new FloatScalar(0f);
    float[] weightGradient = new float[1];
    Optimizer optimizer = new Sgd(0.05);
    Parameters params = Parameters.builder().add(weights, weightGradient).add(bias).build();
    for (int step = 0; step < 2000; step++) {
      float dBias = 0;
      weightGradient[0] = 0;
      for (float xi : x) {
        float error = weights[0] * xi + bias.value() - (2 * xi + 0.5f);
        weightGradient[0] += error * xi / x.length;
        dBias += error / x.length;
      }
      bias.setGrad(dBias);
      optimizer.step(params);
    }
    // end
    return new float[] {weights[0], bias.value()};
  }

  /** LearningRateSchedule: the rate of one epoch. */
  public static double schedule(Optimizer optimizer, int epoch) {
    // snippet: LearningRateSchedule
    LearningRateSchedule s = LearningRateSchedule.cosine(1e-3, 1e-5, 20);
    optimizer.setLearningRate(s.rate(epoch));
    // end
    return optimizer.learningRate();
  }

  /** Parameters: SGD steps of the model over one batch; returns the loss after them. */
  public static float parameters(float[][] w, float[] b, float[] x, int[] labels) {
    Optimizer optimizer = new Sgd(0.1);
    // snippet: Parameters
    ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
    Parameters params = Parameters.builder().add(w, gradient.w).add(b, gradient.b).build();
    for (int step = 0; step < 10; step++) {
      gradient.clear();
      ModelGrad.loss(w, b, x, labels, gradient);
      optimizer.step(params);
    }
    // end
    return Model.loss(w, b, x, labels);
  }

  /** Checkpoint: save and load; returns the loaded checkpoint. */
  public static Checkpoint checkpoint(
      float[][] params, Optimizer optimizer, int epoch, long step, Path dir) throws IOException {
    Path file = dir.resolve("model.ckpt");
    // snippet: Checkpoint
    new Checkpoint(epoch, step, params, optimizer.state(), Map.of("layers", "64-10"))
        .save(file);
    Checkpoint c = Checkpoint.load(file);
    c.copyParametersInto(params);
    optimizer.restore(c.optimizer());
    // end
    return c;
  }

  /** Trainer: a whole run of the model on the digits, writing into {@code run}. */
  public static TrainingResult trainer(Path run) throws IOException {
    Dataset.Split digits = Digits.load().split(0.2, 42);
    float[][] w = new float[Digits.CLASSES][Digits.FEATURES];
    float[] b = new float[Digits.CLASSES];
    // snippet: Trainer
    ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
    TrainingResult result = Trainer.builder()
        .parameters(Parameters.builder().add(w, gradient.w).add(b, gradient.b).build())
        .loss((x, y, n) -> ModelGrad.loss(w, b, x, Arrays.copyOf(y, n), gradient))
        .optimizer(new Adam(1e-2))
        .schedule(LearningRateSchedule.cosine(1e-2, 1e-4, 3))
        .epochs(3)
        .trainData(new Batcher(digits.train(), 64, 42))  // a Batcher is a BatchSource
        .testData(new Batcher(digits.test(), 256, 42), (x, y, n, predictions) -> {
          for (int r = 0; r < n; r++) {
            predictions[r] = Model.predict(w, b, x, r);
          }
          return Model.loss(w, b, x, Arrays.copyOf(y, n));
        })
        .metricsCsv(run.resolve("metrics.csv"))         // folders are created as needed
        .checkpoint(run.resolve("model.ckpt"))
        .progress(ProgressMode.NONE)
        .build()
        .fit();
    // end
    return result;
  }

  /** TrainingSteps: full-batch training, one step per epoch, driven by the trainer. */
  public static TrainingResult trainingSteps(Dataset train, float[][] w, float[] b)
      throws IOException {
    // snippet: TrainingSteps
    ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
    Parameters params = Parameters.builder().add(w, gradient.w).add(b, gradient.b).build();
    Optimizer optimizer = new Adam(0.05);
    GradientStep update = new GradientStep(params, optimizer);
    TrainingSteps fullBatch = new TrainingSteps() {
      public int beginEpoch(int epoch) {
        return 1;                                    // one step per epoch: the whole set
      }

      public StepResult step(int step) {
        return update.run(train.size(),
            () -> ModelGrad.loss(w, b, train.features(), train.labels(), gradient));
      }
    };
    TrainingResult result = Trainer.builder()
        .parameters(params).optimizer(optimizer).steps(fullBatch).epochs(30)
        .progress(ProgressMode.NONE)
        .build().fit();
    // end
    return result;
  }

  /** GradientStep: an epoch of a loop of one's own; returns the step, its optimizer inside. */
  public static GradientStep gradientStep(Dataset train, float[][] w, float[] b) {
    ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
    Parameters params = Parameters.builder().add(w, gradient.w).add(b, gradient.b).build();
    Batcher batches = new Batcher(train, 64, 42);
    // snippet: GradientStep
    GradientStep step = new GradientStep(params, new Adam(1e-3));     // Parameters, or float[][]
    for (int k = 0; k < batches.batchCount(); k++) {
      int n = batches.fill(k);
      StepResult r = step.run(n, () -> ModelGrad.loss(w, b, batches.features(),
          Arrays.copyOf(batches.labels(), n), gradient));               // adds into the gradients
      if (r.diverged()) {
        throw new IllegalStateException(r.divergence());
      }
    }
    // end
    return step;
  }

  /** AccumulatingLoss: the loss of a batch, adding into the accumulator's arrays. */
  public static AccumulatingLoss accumulatingLoss(float[][] w, float[] b,
      ModelGrad.LossAccumulator[] out) {
    // snippet: AccumulatingLoss
    ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
    AccumulatingLoss loss = (x, y, n) -> ModelGrad.loss(w, b, x, Arrays.copyOf(y, n), gradient);
    Parameters params = Parameters.builder().add(w, gradient.w).add(b, gradient.b).build();
    // end
    out[0] = gradient;
    return loss;
  }

  /** Shuffle: epoch orders, the batcher's and another part's; returns both. */
  public static int[][] shuffle(Dataset train, int part, int epoch) {
    // snippet: Shuffle
    int[] order = new int[train.size()];
    Shuffle.epochOrder(order, 42, epoch);         // the examples of new Batcher(train, n, 42)
    long partSeed = Shuffle.mix(42, -1L - part);  // an unrelated stream of shuffles per part
    // end
    int[] other = new int[train.size()];
    Shuffle.epochOrder(other, partSeed, epoch);
    return new int[][] {order, other};
  }

  /** BatchLoss: the loss of one batch, averaged, with its gradient added into grads. */
  public static BatchLoss batchLoss(float[][] w, float[] b) {
    // snippet: BatchLoss
    BatchLoss loss = (x, y, n, grads) -> {        // grads: w's rows, then b
      ModelGrad.LossAccumulator gradient =
          new ModelGrad.LossAccumulator(Arrays.copyOf(grads, w.length), grads[w.length]);
      return ModelGrad.loss(w, b, x, Arrays.copyOf(y, n), gradient);   // adds into grads
    };
    // end
    return loss;
  }

  /** Digits: the built-in dataset, split. */
  public static Dataset.Split digits() {
    // snippet: Digits
    Dataset.Split s = Digits.load().split(0.2, 42);
    // end
    return s;
  }

  /** Batcher: epochs of batches, each a few SGD steps of the model; returns the final loss. */
  public static float batcher(Dataset train, float[][] w, float[] b) {
    ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
    Parameters params = Parameters.builder().add(w, gradient.w).add(b, gradient.b).build();
    Optimizer optimizer = new Sgd(0.05);
    float loss = Float.NaN;
    // snippet: Batcher
    Batcher batches = new Batcher(train, 32, 42);
    for (int epoch = 0; epoch < 3; epoch++) {
      batches.startEpoch(epoch);
      for (int k = 0; k < batches.batchCount(); k++) {
        int n = batches.fill(k);                  // rows 0..n-1 are the batch
        gradient.clear();
        loss = ModelGrad.loss(w, b, batches.features(), Arrays.copyOf(batches.labels(), n),
            gradient);
        optimizer.step(params);
      }
    }
    // end
    return loss;
  }

  /** MnistDataset: loads MNIST from a folder and batches it. */
  public static Batcher mnist(Path dir) throws IOException {
    // snippet: MnistDataset
    Dataset.Split mnist = MnistDataset.load(dir);
    Batcher batches = new Batcher(mnist.train(), 64, 42);
    // end
    return batches;
  }

  /** GradCheck: the neuron's gradient against finite differences. */
  public static GradCheck.Report gradCheck(double w, double b, double x, double t) {
    NeuronGrad.Loss g = NeuronGrad.loss(w, b, x, t);
    // snippet: GradCheck
    GradCheck.Report r = GradCheck.compare(
        v -> Neuron.loss(v[0], v[1], x, t), new double[] {w, b}, new double[] {g.w(), g.b()});
    if (!r.passes(1e-6)) throw new AssertionError(r);
    // end
    return r;
  }

  /** GradCheck#2: the model's gradient, over both of its arrays. */
  public static GradCheck.Report gradCheckArrays(float[][] w, float[] b, float[] x, int[] labels) {
    // snippet: GradCheck#2
    ModelGrad.LossAccumulator gradient = ModelGrad.LossAccumulator.zerosLike(w, b);
    ModelGrad.loss(w, b, x, labels, gradient);
    GradCheck.Report r = GradCheck.wrt(w, gradient.w).and(b, gradient.b)
        .compare(() -> Model.loss(w, b, x, labels));
    // end
    return r;
  }

  /** Scratch: a zeroed buffer of this thread's arena, given back at the end of the block. */
  public static float[] scratch(float[] z, float[] seed) {
    float[] result;
    // snippet: Scratch
    try (Scratch scratch = Scratch.open()) {
      float[] dZ = scratch.floats(z.length);      // zeroed; reused by the next frame
      Activations.reluBackward(z, seed, dZ);
      result = dZ.clone();
    }
    // end
    return result;
  }
}
