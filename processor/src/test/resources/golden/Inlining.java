package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * Calls of small helpers, inlined into their callers: in a loop, nested, in branches, several
 * per iteration, float and double, array parameters and results; recursion stays a call.
 */
class Inlining {
  /** The model of an exponential fit, a e^(-b t) + c. */
  @Differentiable
  static double model(double a, double b, double c, double t) {
    return a * Math.exp(-b * t) + c;
  }

  /** Least squares: the sum over i of (model(a, b, c, t[i]) - y[i])^2. */
  @Differentiable
  static double fit(double a, double b, double c, @NoDerivative double[] t,
      @NoDerivative double[] y) {
    double loss = 0;
    for (int i = 0; i < t.length; i++) {
      double r = model(a, b, c, t[i]) - y[i];
      loss += r * r;
    }
    return loss;
  }

  /** A helper with two returns: log(1 + e^x), x itself for large x. */
  @Differentiable
  static float softplus(float x) {
    if (x > 20) {
      return x;
    }
    return (float) Math.log1p(Math.exp(x));
  }

  /** Several calls per iteration, one nested in another, in both branches of an if. */
  @Differentiable
  static float nested(float[] w, float s) {
    float acc = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i] > 0) {
        acc += softplus(softplus(w[i] * s));
      } else {
        acc -= softplus(w[i]) * softplus(s);
      }
    }
    return acc;
  }

  /** A helper returning a new array. */
  @Differentiable
  static double[] scale(double[] x, double a) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = a * x[i];
    }
    return out;
  }

  /** The squared norm of scale(x, a): the array result fills the caller's variable. */
  @Differentiable
  static double norm(double[] x, double a) {
    double[] y = scale(x, a);
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += y[i] * y[i];
    }
    return s;
  }

  /** x^n by recursion: the recursive call stays a call. */
  @Differentiable
  static double power(double x, int n) {
    if (n == 0) {
      return 1;
    }
    return x * power(x, n - 1);
  }

  /** A call in a branch of ?: is evaluated on one path only: it stays a call; power's too. */
  @Differentiable
  static double guarded(double x) {
    return x > 0 ? model(x, 1, 0, x) : power(x, 3) + model(x, x, x, 2);
  }
}
