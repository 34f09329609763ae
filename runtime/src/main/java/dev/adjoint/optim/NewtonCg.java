package dev.adjoint.optim;

/**
 * Truncated Newton (Newton-CG) for smooth full-batch problems: each step solves
 * {@code H p = -g} approximately by conjugate gradients on Hessian-vector products (from
 * {@code @Differentiable(hessian = true)}), stopping early on a residual below
 * {@code min(0.5, sqrt|g|) |g|} or on negative curvature, then backtracks along {@code p}
 * until the loss decreases enough (Armijo). Nocedal and Wright, Numerical Optimization,
 * algorithm 7.1.
 */
public final class NewtonCg {
  private NewtonCg() {}

  /** The loss and its gradient: returns the loss and writes the gradient into {@code grad}. */
  @FunctionalInterface
  public interface Objective {
    double valueAndGradient(double[] x, double[] grad);
  }

  /** The Hessian at {@code x} times {@code v}, written into {@code out}. */
  @FunctionalInterface
  public interface HessianVector {
    void apply(double[] x, double[] v, double[] out);
  }

  /**
   * The outcome of a minimisation.
   *
   * @param x the last iterate
   * @param value the loss there
   * @param iterations Newton steps taken
   * @param products Hessian-vector products used
   * @param gradientNorm the gradient's Euclidean norm at {@code x}
   */
  public record Result(double[] x, double value, int iterations, int products,
      double gradientNorm) {}

  /**
   * Minimises from {@code x0} (not modified) until the gradient's norm is below
   * {@code tolerance} or after {@code maxIterations} Newton steps.
   */
  public static Result minimize(Objective f, HessianVector hvp, double[] x0, int maxIterations,
      double tolerance) {
    int n = x0.length;
    double[] x = x0.clone();
    double[] g = new double[n];
    double[] trial = new double[n];
    double[] trialGrad = new double[n];
    double[] p = new double[n];
    double[] r = new double[n];
    double[] d = new double[n];
    double[] hd = new double[n];
    double value = f.valueAndGradient(x, g);
    int products = 0;
    int k = 0;
    for (; k < maxIterations; k++) {
      double gNorm = Math.sqrt(dot(g, g));
      if (!(gNorm > tolerance)) {
        break;
      }
      // conjugate gradients on H p = -g
      double eta = Math.min(0.5, Math.sqrt(gNorm));
      java.util.Arrays.fill(p, 0);
      for (int i = 0; i < n; i++) {
        r[i] = g[i];
        d[i] = -g[i];
      }
      double rr = dot(r, r);
      for (int j = 0; j < 2 * n + 10; j++) {
        hvp.apply(x, d, hd);
        products++;
        double curvature = dot(d, hd);
        if (curvature <= 0) {
          if (j == 0) {
            for (int i = 0; i < n; i++) {
              p[i] = -g[i];
            }
          }
          break;
        }
        double alpha = rr / curvature;
        for (int i = 0; i < n; i++) {
          p[i] += alpha * d[i];
          r[i] += alpha * hd[i];
        }
        double next = dot(r, r);
        if (Math.sqrt(next) <= eta * gNorm) {
          break;
        }
        double beta = next / rr;
        rr = next;
        for (int i = 0; i < n; i++) {
          d[i] = -r[i] + beta * d[i];
        }
      }
      // backtracking line search (Armijo)
      double slope = dot(g, p);
      double step = 1;
      double trialValue = Double.NaN;
      for (int tries = 0; tries < 40; tries++) {
        for (int i = 0; i < n; i++) {
          trial[i] = x[i] + step * p[i];
        }
        trialValue = f.valueAndGradient(trial, trialGrad);
        if (trialValue <= value + 1e-4 * step * slope) {
          break;
        }
        step *= 0.5;
      }
      if (!(trialValue <= value)) {
        break; // no decrease along p: stalled at rounding level
      }
      System.arraycopy(trial, 0, x, 0, n);
      System.arraycopy(trialGrad, 0, g, 0, n);
      value = trialValue;
    }
    return new Result(x, value, k, products, Math.sqrt(dot(g, g)));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
