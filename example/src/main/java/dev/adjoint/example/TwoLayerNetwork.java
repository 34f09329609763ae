package dev.adjoint.example;

import dev.adjoint.Differentiable;
import dev.adjoint.GradCheck;
import dev.adjoint.NoDerivative;

/**
 * Seed 004: one step of backpropagation through a 2-2-2 network with sigmoid hidden and output
 * neurons and no biases.
 *
 * <pre>
 *   z1 = W1 x1 + W2 x2    h1 = sigmoid(z1)    z3 = W5 h1 + W6 h2    o1 = sigmoid(z3)
 *   z2 = W3 x1 + W4 x2    h2 = sigmoid(z2)    z4 = W7 h1 + W8 h2    o2 = sigmoid(z4)
 *   E_total = 1/2 (target1 - o1)^2 + 1/2 (target2 - o2)^2
 * </pre>
 *
 * <p>The seed computes the forward pass, then {@code dE/dW5} and {@code dE/dW1} through the chain
 * rule term by term, updates the weights with learning rate 0.5 and observes that the error
 * falls. Here {@code TwoLayerNetworkGrad.loss} gives all eight partial derivatives in one call;
 * the seed's intermediate terms come from the gradients of the smaller methods that
 * {@link #loss} is built from.
 *
 * <p>Loops and arrays are not yet differentiable, so the weights are eight scalar parameters.
 */
public final class TwoLayerNetwork {
  /** First input. */
  public static final double X1 = 0.1;
  /** Second input. */
  public static final double X2 = 0.2;
  /** Target of the first output. */
  public static final double TARGET1 = 0.4;
  /** Target of the second output. */
  public static final double TARGET2 = 0.6;
  /** The learning rate {@code alpha}. */
  public static final double LEARNING_RATE = 0.5;
  /** The seed's initial weights. */
  public static final Weights INITIAL = new Weights(0.3, 0.25, 0.4, 0.35, 0.45, 0.4, 0.7, 0.6);

  private TwoLayerNetwork() {}

  /**
   * The error of one output: {@code 1/2 (target - output)^2}.
   *
   * @param output the network's output
   * @param target the desired output
   * @return the half squared error
   */
  @Differentiable
  public static double halfSquaredError(double output, @NoDerivative double target) {
    double diff = target - output;
    return 0.5 * diff * diff;
  }

  /**
   * The error of one output neuron as a function of the hidden activations and its two weights:
   * {@code E_o = 1/2 (target - sigmoid(wa h1 + wb h2))^2}.
   *
   * @param h1 first hidden activation
   * @param h2 second hidden activation
   * @param wa weight from {@code h1}
   * @param wb weight from {@code h2}
   * @param target the desired output
   * @return the neuron's error
   */
  @Differentiable
  public static double outputError(double h1, double h2, double wa, double wb,
      @NoDerivative double target) {
    double z = wa * h1 + wb * h2;
    double o = Activations.sigmoid(z);
    return halfSquaredError(o, target);
  }

  /**
   * The output layer's total error {@code E_total = E_o1 + E_o2}, given the hidden activations.
   * Its derivative with respect to {@code h1} is the sum of the two paths through {@code o1} and
   * {@code o2} that the seed adds by hand.
   *
   * @param h1 first hidden activation
   * @param h2 second hidden activation
   * @param w5 weight h1 to o1
   * @param w6 weight h2 to o1
   * @param w7 weight h1 to o2
   * @param w8 weight h2 to o2
   * @param target1 desired first output
   * @param target2 desired second output
   * @return {@code E_total}
   */
  @Differentiable
  public static double outputLoss(double h1, double h2, double w5, double w6, double w7,
      double w8, @NoDerivative double target1, @NoDerivative double target2) {
    return outputError(h1, h2, w5, w6, target1) + outputError(h1, h2, w7, w8, target2);
  }

  /**
   * The network's total error as a function of its eight weights.
   *
   * @param w1 weight x1 to h1
   * @param w2 weight x2 to h1
   * @param w3 weight x1 to h2
   * @param w4 weight x2 to h2
   * @param w5 weight h1 to o1
   * @param w6 weight h2 to o1
   * @param w7 weight h1 to o2
   * @param w8 weight h2 to o2
   * @param x1 first input
   * @param x2 second input
   * @param target1 desired first output
   * @param target2 desired second output
   * @return {@code E_total}
   */
  @Differentiable
  public static double loss(double w1, double w2, double w3, double w4, double w5, double w6,
      double w7, double w8, @NoDerivative double x1, @NoDerivative double x2,
      @NoDerivative double target1, @NoDerivative double target2) {
    double z1 = w1 * x1 + w2 * x2;
    double z2 = w3 * x1 + w4 * x2;
    double h1 = Activations.sigmoid(z1);
    double h2 = Activations.sigmoid(z2);
    return outputLoss(h1, h2, w5, w6, w7, w8, target1, target2);
  }

  /**
   * The eight weights of the network.
   *
   * @param w1 weight x1 to h1
   * @param w2 weight x2 to h1
   * @param w3 weight x1 to h2
   * @param w4 weight x2 to h2
   * @param w5 weight h1 to o1
   * @param w6 weight h2 to o1
   * @param w7 weight h1 to o2
   * @param w8 weight h2 to o2
   */
  public record Weights(
      double w1, double w2, double w3, double w4, double w5, double w6, double w7, double w8) {

    /**
     * The total error with these weights on the seed's example.
     *
     * @return {@code E_total}
     */
    public double loss() {
      return TwoLayerNetwork.loss(w1, w2, w3, w4, w5, w6, w7, w8, X1, X2, TARGET1, TARGET2);
    }

    /**
     * The generated gradient of {@link #loss()} at these weights.
     *
     * @return {@code E_total} and its eight partial derivatives
     */
    public TwoLayerNetworkGrad.Loss gradient() {
      return TwoLayerNetworkGrad.loss(
          w1, w2, w3, w4, w5, w6, w7, w8, X1, X2, TARGET1, TARGET2);
    }

    /**
     * One gradient-descent step, {@code W <- W - rate dE/dW} for every weight at once.
     *
     * @param g the gradient at these weights
     * @param rate the learning rate
     * @return the updated weights
     */
    public Weights step(TwoLayerNetworkGrad.Loss g, double rate) {
      return new Weights(w1 - rate * g.w1(), w2 - rate * g.w2(), w3 - rate * g.w3(),
          w4 - rate * g.w4(), w5 - rate * g.w5(), w6 - rate * g.w6(), w7 - rate * g.w7(),
          w8 - rate * g.w8());
    }

    /**
     * The weights as an array, {@code w1} first, for gradient checking.
     *
     * @return {@code {w1, ..., w8}}
     */
    public double[] toArray() {
      return new double[] {w1, w2, w3, w4, w5, w6, w7, w8};
    }

    /**
     * Weights from an array, {@code w1} first.
     *
     * @param w eight weights
     * @return the record
     */
    public static Weights of(double[] w) {
      return new Weights(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]);
    }
  }

  /**
   * Every value of the forward pass that the seed prints.
   *
   * @param z1 input of h1
   * @param z2 input of h2
   * @param h1 first hidden activation
   * @param h2 second hidden activation
   * @param z3 input of o1
   * @param z4 input of o2
   * @param o1 first output
   * @param o2 second output
   * @param errorO1 {@code E_o1}
   * @param errorO2 {@code E_o2}
   * @param total {@code E_total}
   */
  public record Forward(double z1, double z2, double h1, double h2, double z3, double z4,
      double o1, double o2, double errorO1, double errorO2, double total) {}

  /**
   * The forward pass on the seed's inputs, keeping every intermediate value. It calls the same
   * methods as {@link #loss}, so its {@code total} is {@link #loss}'s value.
   *
   * @param w the weights
   * @return the intermediate values and the error
   */
  public static Forward forward(Weights w) {
    double z1 = w.w1() * X1 + w.w2() * X2;
    double z2 = w.w3() * X1 + w.w4() * X2;
    double h1 = Activations.sigmoid(z1);
    double h2 = Activations.sigmoid(z2);
    double z3 = w.w5() * h1 + w.w6() * h2;
    double z4 = w.w7() * h1 + w.w8() * h2;
    double o1 = Activations.sigmoid(z3);
    double o2 = Activations.sigmoid(z4);
    double e1 = halfSquaredError(o1, TARGET1);
    double e2 = halfSquaredError(o2, TARGET2);
    return new Forward(z1, z2, h1, h2, z3, z4, o1, o2, e1, e2, e1 + e2);
  }

  /**
   * The eight partial derivatives of a generated gradient, {@code dE/dW1} first.
   *
   * @param g a gradient from {@link Weights#gradient()}
   * @return {@code {dE/dW1, ..., dE/dW8}}
   */
  public static double[] partials(TwoLayerNetworkGrad.Loss g) {
    return new double[] {g.w1(), g.w2(), g.w3(), g.w4(), g.w5(), g.w6(), g.w7(), g.w8()};
  }

  /**
   * Computes the example and lays its numbers beside the seed's.
   *
   * @return the table: the forward pass, the seed's backward terms for {@code W5} and
   *     {@code W1}, the updated weights, the error after the update, and gradient checks
   */
  public static SeedTable report() {
    SeedTable t = new SeedTable("4. 2-2-2 sigmoid network, one backpropagation step (seed 004)");
    Weights w = INITIAL;
    Forward f = forward(w);
    TwoLayerNetworkGrad.Loss g = w.gradient();
    Weights next = w.step(g, LEARNING_RATE);

    // Forward pass.
    t.printed("z1", "0.08", f.z1());
    t.printed("z2", "0.11", f.z2());
    t.printed("h1", "0.51998934", f.h1());
    t.printed("h2", "0.52747230", f.h2());
    t.printed("z3", "0.44498412", f.z3());
    t.printed("z4", "0.68047592", f.z4());
    t.printed("o1", "0.60944600", f.o1());
    t.printed("o2", "0.66384491", f.o2());
    t.printed("E_o1", "0.02193381", f.errorO1());
    t.printed("E_o2", "0.00203809", f.errorO2());
    t.printed("E_total", "0.02397190", f.total());
    t.printed("E_total (value of generated loss)", "0.02397190", g.value());

    // Backward step 1, W5: dE/dW5 = dE/do1 * do1/dz3 * dz3/dW5, each factor a generated gradient.
    TwoLayerNetworkGrad.HalfSquaredError dEdo1 =
        TwoLayerNetworkGrad.halfSquaredError(f.o1(), TARGET1);
    ActivationsGrad.Sigmoid do1dz3 = ActivationsGrad.sigmoid(f.z3());
    t.printed("dE_total/do1", "0.20944600", dEdo1.output());
    t.printed("do1/dz3 = o1 (1 - o1)", "0.23802157", do1dz3.z());
    t.printed("dE_total/dW5", "0.02592286", g.w5());
    t.printed("W5+", "0.43703857", next.w5());

    // Backward step 2, W1: dE/dW1 = dE/dh1 * dh1/dz1 * dz1/dW1 with dE/dh1 = dE_o1/dh1 + dE_o2/dh1.
    TwoLayerNetworkGrad.OutputError eO1 =
        TwoLayerNetworkGrad.outputError(f.h1(), f.h2(), w.w5(), w.w6(), TARGET1);
    TwoLayerNetworkGrad.OutputError eO2 =
        TwoLayerNetworkGrad.outputError(f.h1(), f.h2(), w.w7(), w.w8(), TARGET2);
    TwoLayerNetworkGrad.OutputLoss eTotal = TwoLayerNetworkGrad.outputLoss(
        f.h1(), f.h2(), w.w5(), w.w6(), w.w7(), w.w8(), TARGET1, TARGET2);
    ActivationsGrad.Sigmoid dh1dz1 = ActivationsGrad.sigmoid(f.z1());
    t.printed("dE_o1/dh1", "0.02243370", eO1.h1());
    t.printed("dE_o2/dh1", "0.00997311", eO2.h1());
    t.printed("dE_total/dh1", "0.03240681", eTotal.h1());
    t.printed("dh1/dz1 = h1 (1 - h1)", "0.24960043", dh1dz1.z());
    t.printed("dE_total/dW1", "0.00080888", g.w1());
    t.printed("W1+", "0.29959556", next.w1());
    t.printed("W2+", "0.24919112", next.w2());
    t.printed("W3+", "0.39964496", next.w3());
    t.printed("W4+", "0.34928991", next.w4());

    // The seed says W6+, W7+, W8+ are computed "the same way" without printing them.
    t.extra("dE_total/dW2", g.w2());
    t.extra("dE_total/dW3", g.w3());
    t.extra("dE_total/dW4", g.w4());
    t.extra("dE_total/dW6", g.w6());
    t.extra("dE_total/dW7", g.w7());
    t.extra("dE_total/dW8", g.w8());
    t.extra("W6+", next.w6());
    t.extra("W7+", next.w7());
    t.extra("W8+", next.w8());

    // "The error has fallen a little": the seed shows the new forward pass only as an image.
    double after = next.loss();
    t.claim("E_total after the update", "< 0.02397190", after < f.total(), after);

    // The lambdas' parameter types are explicit: with an implicit "v ->" here javac crashes
    // (AssertionError in TransTypes) after the processor has attributed this class early.
    GradCheck.Report check =
        GradCheck.compare((double[] v) -> Weights.of(v).loss(), w.toArray(), partials(g));
    t.gradCheck("loss, 8 weights", check, GradCheck.DOUBLE_TOLERANCE);
    GradCheck.Report checkSigmoid = GradCheck.compare((double[] v) -> Activations.sigmoid(v[0]),
        new double[] {f.z3()}, new double[] {do1dz3.z()});
    t.gradCheck("sigmoid at z3", checkSigmoid, GradCheck.DOUBLE_TOLERANCE);

    t.note("values must round to the seed's 8 printed decimals (tolerance 5e-9)");
    t.note("the seed's text writes W1+ = 0.1 - 0.5 x 0.00080888; W1 is 0.3, and 0.29959556"
        + " is 0.3 - 0.5 x 0.00080888");
    return t;
  }
}
