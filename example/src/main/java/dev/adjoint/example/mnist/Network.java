package dev.adjoint.example.mnist;

import dev.adjoint.optim.Init;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The shape of a classifier: the layer widths (features, hidden layers, classes) and the hidden
 * layers' activation. Its parameters are the flat list {@code w0, b0, w1, b1, ...}, layer {@code
 * l}'s weights {@code widths[l] x widths[l + 1]}, row-major.
 *
 * @param widths features per example, the width of each hidden layer, then the classes
 * @param activation the activation after every hidden layer
 */
public record Network(int[] widths, Activation activation) implements java.io.Serializable {
  /** Checks the shape and keeps a copy of the widths. */
  public Network {
    if (widths.length < 3) {
      throw new IllegalArgumentException("a network needs at least one hidden layer");
    }
    widths = widths.clone();
    for (int width : widths) {
      if (width <= 0) {
        throw new IllegalArgumentException("layer widths must be positive: "
            + Arrays.toString(widths));
      }
    }
  }

  @Override
  public int[] widths() {
    return widths.clone();
  }

  /** The number of dense layers, one more than the hidden layers. */
  public int layers() {
    return widths.length - 1;
  }

  /** Features per example. */
  public int in() {
    return widths[0];
  }

  /** The number of classes. */
  public int classes() {
    return widths[widths.length - 1];
  }

  /** The widths joined by dashes, {@code 784-256-128-10}, as saved in checkpoints. */
  public String shape() {
    return Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("-"));
  }

  /**
   * New parameters {@code w0, b0, w1, b1, ...}: hidden layers initialised for the activation (He
   * for ReLU, Xavier otherwise) with seeds {@code seed, seed + 1, ...}, the output layer with
   * Xavier and the next seed, biases zero.
   */
  public float[][] newParameters(long seed) {
    float[][] p = new float[2 * layers()][];
    for (int l = 0; l < layers(); l++) {
      int fanIn = widths[l];
      int fanOut = widths[l + 1];
      p[2 * l] = new float[fanIn * fanOut];
      p[2 * l + 1] = new float[fanOut];
      if (l < layers() - 1 && activation == Activation.RELU) {
        Init.he(p[2 * l], fanIn, seed + l);
      } else {
        Init.xavier(p[2 * l], fanIn, fanOut, seed + l);
      }
    }
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Network n && Arrays.equals(widths, n.widths) && activation == n.activation;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(widths) + activation.hashCode();
  }

  @Override
  public String toString() {
    return shape() + " " + activation.label();
  }
}
