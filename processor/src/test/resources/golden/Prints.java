package golden;

import dev.adjoint.Differentiable;

/** Prints for debugging: they run in the forward sweep only, once, in the function's order. */
final class Prints {
  static final String TAG = "loss";

  /** In a loop and a branch, with printf and System.err; the reverse sweep prints nothing. */
  @Differentiable
  static double loss(double[] w, double x) {
    double s = 0;
    System.out.println(TAG + " at x = " + x);
    for (int i = 0; i < w.length; i++) {
      double t = Math.tanh(w[i] * x);
      if (t > 0.5) {
        System.out.printf("i=%d t=%.4f%n", i, t);
      } else {
        System.err.print(i + ": " + t + "; ");
      }
      s += t * t;
    }
    System.out.println(s);
    return s;
  }
}
