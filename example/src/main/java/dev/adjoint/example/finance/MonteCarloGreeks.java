package dev.adjoint.example.finance;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Prices a European and an arithmetic Asian call by Monte Carlo and computes their delta, vega
 * and rho with the gradients that Adjoint generates for {@link Payoffs} (pathwise adjoints, as
 * in Giles and Glasserman's "Smoking adjoints"): one pass gives the price and every Greek.
 *
 * <p>The paths are split into batches; each batch's gradient is one call, and the spread of the
 * batch estimates gives the standard errors. The European Greeks are checked against the
 * Black-Scholes formulas (within 3 standard errors), the Asian ones, which have no closed form,
 * against central differences of the same pricer on the same normals (common random numbers).
 */
public final class MonteCarloGreeks {
  /** The market and the contract. */
  public record Market(double spot, double vol, double rate, double strike, double maturity) {}

  /**
   * An estimate and its standard error.
   *
   * @param value the mean over the batches
   * @param error the standard error of that mean
   */
  public record Estimate(double value, double error) {
    static Estimate of(double[] batches) {
      double mean = 0;
      for (double b : batches) {
        mean += b;
      }
      mean /= batches.length;
      double ss = 0;
      for (double b : batches) {
        ss += (b - mean) * (b - mean);
      }
      return new Estimate(mean, Math.sqrt(ss / (batches.length - 1) / batches.length));
    }
  }

  /** Price, delta, vega and rho, each with its standard error. */
  public record Greeks(Estimate price, Estimate delta, Estimate vega, Estimate rho) {
    List<Estimate> all() {
      return List.of(price, delta, vega, rho);
    }
  }

  /** One line of the printed check: a quantity, its estimate and the reference. */
  public record Check(String name, Estimate estimate, double reference, double tolerance) {
    /** True when the estimate is within the tolerance of the reference. */
    public boolean ok() {
      return Math.abs(estimate.value() - reference) <= tolerance;
    }
  }

  private static final String[] NAMES = {"price", "delta", "vega", "rho"};

  private MonteCarloGreeks() {}

  /** Runs both examples on the default market with fixed seeds and prints them. */
  public static void main(String[] args) {
    System.exit(run(System.out) ? 0 : 1);
  }

  /** The default market: at the money, 20% volatility, 3% rate, one year. */
  public static Market market() {
    return new Market(100, 0.2, 0.03, 100, 1);
  }

  /** Prints both tables; true when every check passes. */
  public static boolean run(PrintStream out) {
    Market m = market();
    long start = System.nanoTime();
    List<Check> european = europeanChecks(m, normals(20, 10_000, 1));
    List<Check> asian = asianChecks(m, normals(20, 1_000, 64, 2));
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "Greeks by adjoint differentiation: S=%.0f, sigma=%.2f, r=%.2f,"
        + " K=%.0f, T=%.0f%n%n", m.spot(), m.vol(), m.rate(), m.strike(), m.maturity());
    out.println("European call, 200,000 paths (20 batches), against Black-Scholes:");
    boolean ok = print(european, "Black-Scholes", out);
    out.println();
    out.println("Arithmetic Asian call, 64 fixings, 20,000 paths (20 batches), against central");
    out.println("differences of the same pricer on the same normals:");
    ok &= print(asian, "central diff.", out);
    out.printf(Locale.ROOT, "%n%s (%.1f s)%n", ok ? "All Greeks agree." : "A GREEK DISAGREES.",
        seconds);
    return ok;
  }

  private static boolean print(List<Check> checks, String reference, PrintStream out) {
    out.printf(Locale.ROOT, "  %-6s %12s %10s %14s  %s%n", "", "adjoint", "std. err.",
        reference, "");
    boolean ok = true;
    for (Check c : checks) {
      out.printf(Locale.ROOT, "  %-6s %12.6f %10.6f %14.6f  %s%n", c.name(),
          c.estimate().value(), c.estimate().error(), c.reference(), c.ok() ? "ok" : "FAIL");
      ok &= c.ok();
    }
    return ok;
  }

  /** The European Greeks beside the Black-Scholes ones, each within 3 standard errors. */
  public static List<Check> europeanChecks(Market m, double[][] batches) {
    Greeks g = european(m, batches);
    double[] exact = BlackScholes.call(m);
    List<Check> out = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      Estimate e = g.all().get(k);
      out.add(new Check(NAMES[k], e, exact[k], 3 * e.error()));
    }
    return out;
  }

  /**
   * The Asian price and Greeks beside the plain pricer and central differences of it on the same
   * normals: the price must be the pricer's (the gradient's forward sweep is the pricer), each
   * Greek its central difference within a tenth of its standard error (on common random numbers
   * both estimate the same pathwise derivative; they differ by the bump's truncation and the few
   * paths whose average crosses the strike within the bump).
   */
  public static List<Check> asianChecks(Market m, double[][][] batches) {
    Greeks g = asian(m, batches);
    double[] fd = new double[4];
    fd[0] = 0;
    for (double[][] z : batches) {
      fd[0] += Payoffs.asian(m.spot(), m.vol(), m.rate(), m.strike(), m.maturity(), z);
    }
    fd[0] /= batches.length;
    double hs = 1e-4 * m.spot();
    double hv = 1e-5;
    double hr = 1e-5;
    for (double[][] z : batches) {
      fd[1] += (Payoffs.asian(m.spot() + hs, m.vol(), m.rate(), m.strike(), m.maturity(), z)
          - Payoffs.asian(m.spot() - hs, m.vol(), m.rate(), m.strike(), m.maturity(), z))
          / (2 * hs);
      fd[2] += (Payoffs.asian(m.spot(), m.vol() + hv, m.rate(), m.strike(), m.maturity(), z)
          - Payoffs.asian(m.spot(), m.vol() - hv, m.rate(), m.strike(), m.maturity(), z))
          / (2 * hv);
      fd[3] += (Payoffs.asian(m.spot(), m.vol(), m.rate() + hr, m.strike(), m.maturity(), z)
          - Payoffs.asian(m.spot(), m.vol(), m.rate() - hr, m.strike(), m.maturity(), z))
          / (2 * hr);
    }
    List<Check> out = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      Estimate e = g.all().get(k);
      double reference = k == 0 ? fd[0] : fd[k] / batches.length;
      out.add(new Check(NAMES[k], e, reference, k == 0 ? 1e-9 * Math.abs(reference)
          : Math.max(0.1 * e.error(), 1e-6 * Math.abs(reference))));
    }
    return out;
  }

  /** Price and Greeks of the European call, one generated gradient call per batch. */
  public static Greeks european(Market m, double[][] batches) {
    int n = batches.length;
    double[][] est = new double[4][n];
    for (int b = 0; b < n; b++) {
      PayoffsGrad.European g = PayoffsGrad.european(m.spot(), m.vol(), m.rate(), m.strike(),
          m.maturity(), batches[b]);
      est[0][b] = g.value();
      est[1][b] = g.spot();
      est[2][b] = g.vol();
      est[3][b] = g.rate();
    }
    return new Greeks(Estimate.of(est[0]), Estimate.of(est[1]), Estimate.of(est[2]),
        Estimate.of(est[3]));
  }

  /** Price and Greeks of the Asian call, one generated gradient call per batch. */
  public static Greeks asian(Market m, double[][][] batches) {
    int n = batches.length;
    double[][] est = new double[4][n];
    for (int b = 0; b < n; b++) {
      PayoffsGrad.Asian g = PayoffsGrad.asian(m.spot(), m.vol(), m.rate(), m.strike(),
          m.maturity(), batches[b]);
      est[0][b] = g.value();
      est[1][b] = g.spot();
      est[2][b] = g.vol();
      est[3][b] = g.rate();
    }
    return new Greeks(Estimate.of(est[0]), Estimate.of(est[1]), Estimate.of(est[2]),
        Estimate.of(est[3]));
  }

  /** {@code batches} x {@code paths} standard normals from {@code seed}. */
  public static double[][] normals(int batches, int paths, long seed) {
    Random r = new Random(seed);
    double[][] z = new double[batches][paths];
    for (double[] batch : z) {
      for (int p = 0; p < paths; p++) {
        batch[p] = r.nextGaussian();
      }
    }
    return z;
  }

  /** {@code batches} x {@code paths} x {@code steps} standard normals from {@code seed}. */
  public static double[][][] normals(int batches, int paths, int steps, long seed) {
    Random r = new Random(seed);
    double[][][] z = new double[batches][paths][steps];
    for (double[][] batch : z) {
      for (double[] path : batch) {
        for (int k = 0; k < steps; k++) {
          path[k] = r.nextGaussian();
        }
      }
    }
    return z;
  }
}
