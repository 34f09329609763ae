package dev.adjoint.example;

/**
 * Backpropagation through the XOR network written out by hand, the textbook way: a forward pass
 * that keeps every layer's activations, then error terms {@code delta} from the output back to the
 * first layer. With a sigmoid output and binary cross-entropy, the output's error term simplifies
 * to {@code (p - y) / N}; the hidden ones are {@code (W^T delta) * a (1 - a)}.
 *
 * <p>It shares no code with {@link XorNetwork#loss} or its generated gradient, so agreement is an
 * independent check of both.
 */
final class HandBackprop {
  private HandBackprop() {}

  /**
   * The gradient of the mean binary cross-entropy with respect to every parameter.
   *
   * @param p the parameters
   * @param x inputs, one row per example
   * @param y targets
   * @param value receives the loss in {@code value[0]}
   * @return the gradient, laid out as {@link XorNetwork.Parameters#toVector()}
   */
  static double[] gradient(XorNetwork.Parameters p, double[][] x, double[] y, double[] value) {
    XorNetwork.Parameters g = XorNetwork.Parameters.fromVector(
        new double[XorNetwork.Parameters.COUNT]);
    int examples = x.length;
    double loss = 0;
    for (int n = 0; n < examples; n++) {
      double[] a0 = x[n];
      double[] a1 = forward(p.w1(), p.b1(), a0);
      double[] a2 = forward(p.w2(), p.b2(), a1);
      double[] a3 = forward(p.w3(), p.b3(), a2);
      double out = forward(p.w4(), p.b4(), a3)[0];
      loss += -(y[n] * Math.log(out) + (1 - y[n]) * Math.log(1 - out));

      double[] delta4 = {(out - y[n]) / examples};
      double[] delta3 = backward(p.w4(), delta4, a3, g.w4(), g.b4());
      double[] delta2 = backward(p.w3(), delta3, a2, g.w3(), g.b3());
      double[] delta1 = backward(p.w2(), delta2, a1, g.w2(), g.b2());
      backward(p.w1(), delta1, a0, g.w1(), g.b1());
    }
    value[0] = loss / examples;
    return g.toVector();
  }

  /** {@code a[i] = sigmoid(b[i] + sum_j w[i][j] in[j])}. */
  private static double[] forward(double[][] w, double[] b, double[] in) {
    double[] a = new double[b.length];
    for (int i = 0; i < b.length; i++) {
      double z = b[i];
      for (int j = 0; j < in.length; j++) {
        z += w[i][j] * in[j];
      }
      a[i] = 1 / (1 + Math.exp(-z));
    }
    return a;
  }

  /**
   * Given the error terms {@code delta} of a layer (derivatives with respect to its
   * pre-activations) and the layer's input {@code in}, adds the layer's weight and bias
   * gradients and returns the error terms of the previous layer, assuming {@code in} is a
   * sigmoid's output.
   */
  private static double[] backward(double[][] w, double[] delta, double[] in, double[][] gw,
      double[] gb) {
    double[] previous = new double[in.length];
    for (int i = 0; i < delta.length; i++) {
      gb[i] += delta[i];
      for (int j = 0; j < in.length; j++) {
        gw[i][j] += delta[i] * in[j];
        previous[j] += delta[i] * w[i][j];
      }
    }
    for (int j = 0; j < in.length; j++) {
      previous[j] *= in[j] * (1 - in[j]);
    }
    return previous;
  }
}
