package golden;

import dev.adjoint.Differentiable;

/** switch statements and expressions, lowered to if/else chains. */
final class Switches {
  /** Colon form with a shared label, fall-through, break and default. */
  @Differentiable
  static double colon(double x, int k) {
    double y = x;
    switch (k) {
      case 0:
      case 1:
        y = y * x;
        break;
      case 2:
        y = y + 1;
        // falls through
      case 3:
        y = Math.sin(y);
        break;
      default:
        y = -y;
    }
    return y * x;
  }

  /** Arrow form, and a switch inside a loop whose break leaves only the switch. */
  @Differentiable
  static double inLoop(double[] w, double x) {
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      switch (i % 3) {
        case 0 -> s += w[i] * x;
        case 1 -> {
          if (w[i] > 0) {
            break;
          }
          s -= w[i];
        }
        default -> s = s * 0.5;
      }
    }
    return s;
  }

  /** Switch expressions: arrows, yield, over a char. */
  @Differentiable
  static double expression(double x, char op) {
    double y = switch (op) {
      case '+' -> x + 1;
      case '*' -> x * x;
      default -> {
        double t = Math.exp(x);
        yield t * t;
      }
    };
    return y + switch (op) {
      case '+': yield 2 * x;
      default: yield x;
    };
  }

  /** The activations an enum names. */
  enum Activation { RELU, TANH, SIGMOID, IDENTITY }

  static final String SQUARE = "square";

  /** Over an enum: colon form with a shared label and fall-through. */
  @Differentiable
  static double activate(double x, Activation a) {
    double y = x;
    switch (a) {
      case RELU:
        return Math.max(0, x);
      case TANH:
        y = Math.tanh(x);
        break;
      case SIGMOID:
      case IDENTITY:
        y = y * 2;
        // falls through
      default:
        y = y + x;
    }
    return y * x;
  }

  /** Over Strings: a switch expression (a constant label, yield) and arrows in a loop. */
  @Differentiable
  static double named(double[] w, String op, Activation a) {
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      double v = switch (op) {
        case SQUARE, "sq" -> w[i] * w[i];
        case "exp" -> Math.exp(w[i]);
        default -> {
          double t = activate(w[i], a);
          yield t * 0.5;
        }
      };
      switch (a) {
        case RELU -> s += v;
        case TANH -> s = s * 0.9 + v;
        default -> s -= v;
      }
    }
    return s;
  }
}
