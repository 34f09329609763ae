package dev.adjoint.example;

import dev.adjoint.Differentiable;
import dev.adjoint.GradCheck;
import dev.adjoint.NoDerivative;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Seed 004, second half: the XOR problem solved by a 2-10-10-10-1 multilayer perceptron with a
 * sigmoid after every layer, binary cross-entropy loss and plain gradient descent.
 *
 * <p>The seed builds the network from PyTorch's {@code nn.Linear} and {@code nn.Sigmoid} and gets
 * its gradient from {@code cost.backward()}. Here the whole forward pass and the loss are one
 * plain Java method, {@link #loss}, written with loops over {@code double[][]} weight matrices;
 * its gradient, {@code XorNetworkGrad.loss}, is generated at compile time. Training uses the
 * generated accumulating form, which adds the gradient into caller-owned buffers (one
 * {@code XorNetworkGrad.LossAccumulator}, cleared every step), so no gradient arrays are
 * allocated per step. (Each call still allocates the three activation arrays {@link #loss}
 * creates and their three adjoint arrays, 576 bytes in all.)
 *
 * <p>Layer {@code k} has weights {@code wk[out][in]} (the layout of {@code nn.Linear.weight}) and
 * biases {@code bk[out]}.
 */
public final class XorNetwork {
  /** Inputs per example. */
  public static final int INPUTS = 2;
  /** Neurons in each of the three hidden layers. */
  public static final int HIDDEN = 10;
  /** The learning rate of the seed's {@code torch.optim.SGD(model.parameters(), lr=1)}. */
  public static final double LEARNING_RATE = 1;
  /** The seed trains for {@code range(10001)}: epochs 0 to 10000. */
  public static final int EPOCHS = 10_001;
  /** The seed prints the cost every 100 epochs; the table shows every 1000th. */
  public static final int PRINT_EVERY = 1000;
  /**
   * Seed of {@link java.util.Random} for the initial weights. The number is the seed's
   * {@code torch.manual_seed(777)}, but Java's generator is not PyTorch's, so the initial weights
   * (and the cost curve) differ from the seed's run.
   */
  public static final long RANDOM_SEED = 777;

  private static final double[][] X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  private static final double[] Y = {0, 1, 1, 0};

  private XorNetwork() {}

  /**
   * The four inputs of XOR.
   *
   * @return a fresh copy of {@code {{0, 0}, {0, 1}, {1, 0}, {1, 1}}}
   */
  public static double[][] inputs() {
    double[][] copy = new double[X.length][];
    for (int i = 0; i < X.length; i++) {
      copy[i] = X[i].clone();
    }
    return copy;
  }

  /**
   * The four targets of XOR.
   *
   * @return a fresh copy of {@code {0, 1, 1, 0}}
   */
  public static double[] targets() {
    return Y.clone();
  }

  /**
   * The mean binary cross-entropy of the network over a batch, as PyTorch's {@code BCELoss}
   * computes it: {@code mean over n of -(y log p + (1 - y) log(1 - p))}, where {@code p} is the
   * network's output for example {@code n}.
   *
   * <p>The forward pass is written out in loops: for each example, each layer computes
   * {@code h[i] = sigmoid(b[i] + sum_j w[i][j] in[j])}. The hidden activations live in three
   * local arrays that every example overwrites; the generated reverse sweep saves what it needs.
   *
   * @param w1 first layer's weights, 10 x 2
   * @param b1 first layer's biases, 10
   * @param w2 second layer's weights, 10 x 10
   * @param b2 second layer's biases, 10
   * @param w3 third layer's weights, 10 x 10
   * @param b3 third layer's biases, 10
   * @param w4 output layer's weights, 1 x 10
   * @param b4 output layer's bias, 1
   * @param x the inputs, one row per example
   * @param y the targets, 0 or 1, one per example
   * @return the mean binary cross-entropy
   */
  @Differentiable
  public static double loss(double[][] w1, double[] b1, double[][] w2, double[] b2,
      double[][] w3, double[] b3, double[][] w4, double[] b4,
      @NoDerivative double[][] x, @NoDerivative double[] y) {
    double[] h1 = new double[b1.length];
    double[] h2 = new double[b2.length];
    double[] h3 = new double[b3.length];
    double total = 0;
    for (int n = 0; n < x.length; n++) {
      double[] in = x[n];
      for (int i = 0; i < h1.length; i++) {
        double[] row = w1[i];
        double z = b1[i];
        for (int j = 0; j < in.length; j++) {
          z += row[j] * in[j];
        }
        h1[i] = Activations.sigmoid(z);
      }
      for (int i = 0; i < h2.length; i++) {
        double[] row = w2[i];
        double z = b2[i];
        for (int j = 0; j < h1.length; j++) {
          z += row[j] * h1[j];
        }
        h2[i] = Activations.sigmoid(z);
      }
      for (int i = 0; i < h3.length; i++) {
        double[] row = w3[i];
        double z = b3[i];
        for (int j = 0; j < h2.length; j++) {
          z += row[j] * h2[j];
        }
        h3[i] = Activations.sigmoid(z);
      }
      double[] row = w4[0];
      double z = b4[0];
      for (int j = 0; j < h3.length; j++) {
        z += row[j] * h3[j];
      }
      double p = Activations.sigmoid(z);
      total += -(y[n] * Math.log(p) + (1 - y[n]) * Math.log(1 - p));
    }
    return total / x.length;
  }

  /**
   * The network's output for one input: the forward pass of {@link #loss} for a single example,
   * written separately so that it can be used without a target.
   *
   * @param p the parameters
   * @param input the two inputs
   * @return the output, a probability in (0, 1)
   */
  public static double predict(Parameters p, double[] input) {
    double[] h1 = layer(p.w1, p.b1, input);
    double[] h2 = layer(p.w2, p.b2, h1);
    double[] h3 = layer(p.w3, p.b3, h2);
    return layer(p.w4, p.b4, h3)[0];
  }

  private static double[] layer(double[][] w, double[] b, double[] in) {
    double[] out = new double[b.length];
    for (int i = 0; i < b.length; i++) {
      double z = b[i];
      for (int j = 0; j < in.length; j++) {
        z += w[i][j] * in[j];
      }
      out[i] = Activations.sigmoid(z);
    }
    return out;
  }

  /**
   * The weights and biases of the four layers. The arrays are the model's state: training
   * updates them in place.
   *
   * @param w1 first layer's weights, 10 x 2
   * @param b1 first layer's biases, 10
   * @param w2 second layer's weights, 10 x 10
   * @param b2 second layer's biases, 10
   * @param w3 third layer's weights, 10 x 10
   * @param b3 third layer's biases, 10
   * @param w4 output layer's weights, 1 x 10
   * @param b4 output layer's bias, 1
   */
  public record Parameters(double[][] w1, double[] b1, double[][] w2, double[] b2,
      double[][] w3, double[] b3, double[][] w4, double[] b4) {

    /** Number of weights and biases: 30 + 110 + 110 + 11 = 261. */
    public static final int COUNT =
        (INPUTS + 1) * HIDDEN + 2 * (HIDDEN + 1) * HIDDEN + (HIDDEN + 1);

    /**
     * Initial parameters drawn as PyTorch's {@code nn.Linear} draws its defaults: every weight
     * and bias of a layer with {@code fan_in} inputs uniform in
     * {@code [-1/sqrt(fan_in), 1/sqrt(fan_in))}, layer by layer, weights (row by row) before
     * biases.
     *
     * @param random the source of randomness
     * @return fresh parameters
     */
    public static Parameters initial(Random random) {
      double[][] w1 = new double[HIDDEN][INPUTS];
      double[] b1 = new double[HIDDEN];
      double[][] w2 = new double[HIDDEN][HIDDEN];
      double[] b2 = new double[HIDDEN];
      double[][] w3 = new double[HIDDEN][HIDDEN];
      double[] b3 = new double[HIDDEN];
      double[][] w4 = new double[1][HIDDEN];
      double[] b4 = new double[1];
      linearDefault(random, w1, b1);
      linearDefault(random, w2, b2);
      linearDefault(random, w3, b3);
      linearDefault(random, w4, b4);
      return new Parameters(w1, b1, w2, b2, w3, b3, w4, b4);
    }

    /**
     * The initial parameters of the example: {@link #initial(Random)} with
     * {@link XorNetwork#RANDOM_SEED}.
     *
     * @return fresh parameters
     */
    public static Parameters initial() {
      return initial(new Random(RANDOM_SEED));
    }

    private static void linearDefault(Random random, double[][] w, double[] b) {
      double bound = 1 / Math.sqrt(w[0].length);
      for (double[] row : w) {
        for (int j = 0; j < row.length; j++) {
          row[j] = bound * (2 * random.nextDouble() - 1);
        }
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = bound * (2 * random.nextDouble() - 1);
      }
    }

    /**
     * The parameters as one vector, in the order {@code w1} (row by row), {@code b1}, ...,
     * {@code w4}, {@code b4}: the order of PyTorch's {@code model.parameters()}.
     *
     * @return a new array of {@link #COUNT} numbers
     */
    public double[] toVector() {
      double[] v = new double[COUNT];
      int k = 0;
      for (Object a : arrays()) {
        if (a instanceof double[][]) {
          for (double[] row : (double[][]) a) {
            System.arraycopy(row, 0, v, k, row.length);
            k += row.length;
          }
        } else {
          double[] d = (double[]) a;
          System.arraycopy(d, 0, v, k, d.length);
          k += d.length;
        }
      }
      return v;
    }

    /**
     * Parameters from a vector laid out as {@link #toVector()} lays them out.
     *
     * @param v {@link #COUNT} numbers
     * @return new parameters
     */
    public static Parameters fromVector(double[] v) {
      if (v.length != COUNT) {
        throw new IllegalArgumentException("expected " + COUNT + " numbers, got " + v.length);
      }
      Parameters p = new Parameters(new double[HIDDEN][INPUTS], new double[HIDDEN],
          new double[HIDDEN][HIDDEN], new double[HIDDEN], new double[HIDDEN][HIDDEN],
          new double[HIDDEN], new double[1][HIDDEN], new double[1]);
      int k = 0;
      for (Object a : p.arrays()) {
        if (a instanceof double[][]) {
          for (double[] row : (double[][]) a) {
            System.arraycopy(v, k, row, 0, row.length);
            k += row.length;
          }
        } else {
          double[] d = (double[]) a;
          System.arraycopy(v, k, d, 0, d.length);
          k += d.length;
        }
      }
      return p;
    }

    /**
     * The gradient in an accumulator as one vector, in the order of {@link #toVector()}.
     *
     * @param g a gradient of {@link #loss}
     * @return a new array of {@link #COUNT} numbers
     */
    public static double[] vectorOf(XorNetworkGrad.LossAccumulator g) {
      return new Parameters(g.w1, g.b1, g.w2, g.b2, g.w3, g.b3, g.w4, g.b4).toVector();
    }

    /**
     * A deep copy.
     *
     * @return parameters with the same numbers in new arrays
     */
    public Parameters copy() {
      return fromVector(toVector());
    }

    private Object[] arrays() {
      return new Object[] {w1, b1, w2, b2, w3, b3, w4, b4};
    }

    /**
     * The mean binary cross-entropy on the four XOR examples.
     *
     * @return {@link XorNetwork#loss} at these parameters
     */
    public double loss() {
      return XorNetwork.loss(w1, b1, w2, b2, w3, b3, w4, b4, X, Y);
    }

    /**
     * A zero gradient shaped like these parameters, for {@link #addGradient}.
     *
     * @return a new accumulator
     */
    public XorNetworkGrad.LossAccumulator zeroGradient() {
      return XorNetworkGrad.LossAccumulator.zerosLike(w1, b1, w2, b2, w3, b3, w4, b4);
    }

    /**
     * Adds the gradient of the loss on the four XOR examples into {@code gradient}, with the
     * generated accumulating form.
     *
     * @param gradient receives the derivatives, added to what it holds
     * @return the loss
     */
    public double addGradient(XorNetworkGrad.LossAccumulator gradient) {
      return XorNetworkGrad.loss(w1, b1, w2, b2, w3, b3, w4, b4, X, Y, gradient);
    }

    /**
     * One step of gradient descent in place: every parameter {@code -= rate * derivative}.
     *
     * @param g the gradient
     * @param rate the learning rate
     */
    public void step(XorNetworkGrad.LossAccumulator g, double rate) {
      descend(w1, g.w1, rate);
      descend(b1, g.b1, rate);
      descend(w2, g.w2, rate);
      descend(b2, g.b2, rate);
      descend(w3, g.w3, rate);
      descend(b3, g.b3, rate);
      descend(w4, g.w4, rate);
      descend(b4, g.b4, rate);
    }

    private static void descend(double[][] w, double[][] g, double rate) {
      for (int i = 0; i < w.length; i++) {
        descend(w[i], g[i], rate);
      }
    }

    private static void descend(double[] w, double[] g, double rate) {
      for (int i = 0; i < w.length; i++) {
        w[i] -= rate * g[i];
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Parameters p && Arrays.equals(toVector(), p.toVector());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(toVector());
    }

    @Override
    public String toString() {
      return "Parameters" + Arrays.toString(toVector());
    }
  }

  /**
   * The outcome of {@link #train}.
   *
   * @param epochs the epochs at which the cost was recorded
   * @param costs the cost at each recorded epoch, before that epoch's update
   * @param finalCost the cost after the last update
   */
  public record Training(int[] epochs, double[] costs, double finalCost) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Training t && Arrays.equals(epochs, t.epochs)
          && Arrays.equals(costs, t.costs) && Double.compare(finalCost, t.finalCost) == 0;
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(epochs) + Arrays.hashCode(costs);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < epochs.length; i++) {
        sb.append(String.format(Locale.ROOT, "%d %.10f%n", epochs[i], costs[i]));
      }
      return sb.toString();
    }
  }

  /**
   * Trains like the seed's loop: for each epoch, clear the gradient, compute the cost and add its
   * gradient (the seed's {@code zero_grad}, forward, {@code backward}), then take one SGD step.
   * One accumulator is reused for every epoch.
   *
   * @param p the parameters, updated in place
   * @param epochs how many epochs ({@code range(epochs)})
   * @param rate the learning rate
   * @param every record the cost of every epoch divisible by this
   * @return the recorded costs
   */
  public static Training train(Parameters p, int epochs, double rate, int every) {
    XorNetworkGrad.LossAccumulator gradient = p.zeroGradient();
    int recorded = (epochs + every - 1) / every;
    int[] at = new int[recorded];
    double[] costs = new double[recorded];
    for (int epoch = 0; epoch < epochs; epoch++) {
      gradient.clear();
      double cost = p.addGradient(gradient);
      p.step(gradient, rate);
      if (epoch % every == 0) {
        at[epoch / every] = epoch;
        costs[epoch / every] = cost;
      }
    }
    return new Training(at, costs, p.loss());
  }

  /**
   * Trains the seed's network and lays out the cost curve, the predictions and a gradient check.
   *
   * @return the table
   */
  public static SeedTable report() {
    SeedTable t = new SeedTable("5. XOR with a 2-10-10-10-1 sigmoid MLP, BCE loss, SGD (seed 004)");
    Parameters p = Parameters.initial();

    // Gradient check at the initial weights, over all 261 parameters.
    XorNetworkGrad.LossAccumulator g = p.zeroGradient();
    p.addGradient(g);
    GradCheck.Report check = GradCheck.compare(
        (double[] v) -> Parameters.fromVector(v).loss(), p.toVector(), Parameters.vectorOf(g));
    t.gradCheck("loss at the initial weights, " + Parameters.COUNT + " parameters", check,
        GradCheck.DOUBLE_TOLERANCE);

    Training run = train(p, EPOCHS, LEARNING_RATE, PRINT_EVERY);
    for (int i = 0; i < run.epochs().length; i++) {
      t.extra("cost at epoch " + run.epochs()[i], run.costs()[i]);
    }
    double first = run.costs()[0];
    double last = run.costs()[run.costs().length - 1];
    t.claim("cost falls from epoch 0 to epoch 10000", "falls", last < first, first - last);
    t.claim("cost < 0.01 at epoch 10000", "< 0.01", last < 0.01, last);

    boolean allMatch = true;
    for (int n = 0; n < X.length; n++) {
      double out = predict(p, X[n]);
      long rounded = Math.round(out);
      allMatch &= rounded == (long) Y[n];
      t.claim(String.format(Locale.ROOT, "prediction for (%d, %d)", (int) X[n][0], (int) X[n][1]),
          String.format(Locale.ROOT, "rounds to %d", (int) Y[n]), rounded == (long) Y[n], out);
    }
    t.claim("predictions match XOR", "0 1 1 0", allMatch, allMatch ? 1 : 0);

    t.note("the seed shows its PyTorch run's costs only as an image, so no cost is compared"
        + " digit by digit; the rows check what the seed states: the cost is minimised and the"
        + " network learns XOR");
    t.note("initial weights: java.util.Random(777), uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) like"
        + " nn.Linear; torch.manual_seed(777) cannot be reproduced in Java, so the curve differs");
    t.note("cost at epoch k is the cost before that epoch's update, as the seed prints it;"
        + " predictions are after all 10001 updates; computed in double, the seed in float32");
    return t;
  }
}
