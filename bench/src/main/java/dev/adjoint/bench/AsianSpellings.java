package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * The arithmetic Asian call of {@code MonteCarloGreeksBenchmark} ({@code finance.Payoffs.asian},
 * the plain spelling: a running price and a running sum) spelled three other ways a quant writes
 * it, for {@link AsianSpellingsBenchmark}: the generated gradient should cost what the plain
 * spelling's costs, whatever the spelling.
 */
public final class AsianSpellings {
  private AsianSpellings() {}

  /** A path array allocated per path, filled, then averaged in a second loop. */
  @Differentiable
  public static double pathArray(double spot, double vol, double rate,
      @NoDerivative double strike, @NoDerivative double maturity, @NoDerivative double[][] z) {
    int steps = z[0].length;
    double dt = maturity / steps;
    double drift = (rate - 0.5 * vol * vol) * dt;
    double diffusion = vol * Math.sqrt(dt);
    double sum = 0;
    for (int p = 0; p < z.length; p++) {
      double[] path = new double[steps + 1];
      path[0] = spot;
      for (int k = 1; k <= steps; k++) {
        path[k] = path[k - 1] * Math.exp(drift + diffusion * z[p][k - 1]);
      }
      double average = 0;
      for (int k = 1; k <= steps; k++) {
        average += path[k];
      }
      sum += Math.max(average / steps - strike, 0);
    }
    return Math.exp(-rate * maturity) * sum / z.length;
  }

  /** A while loop over the paths, compound assignments, a ternary payoff. */
  @Differentiable
  public static double whileCompound(double spot, double vol, double rate,
      @NoDerivative double strike, @NoDerivative double maturity, @NoDerivative double[][] z) {
    int steps = z[0].length;
    double dt = maturity / steps;
    double sum = 0;
    int p = 0;
    while (p < z.length) {
      double s = spot;
      double average = 0;
      for (int k = 0; k < steps; k++) {
        s *= Math.exp((rate - 0.5 * vol * vol) * dt + vol * Math.sqrt(dt) * z[p][k]);
        average += s;
      }
      average /= steps;
      sum += average > strike ? average - strike : 0.0;
      p++;
    }
    return Math.exp(-rate * maturity) * sum / z.length;
  }

  /** The payoff through a {@code @Differentiable} helper called once per path. */
  @Differentiable
  public static double helper(double spot, double vol, double rate,
      @NoDerivative double strike, @NoDerivative double maturity, @NoDerivative double[][] z) {
    double sum = 0;
    for (int p = 0; p < z.length; p++) {
      sum += pathPayoff(spot, vol, rate, strike, maturity, z[p]);
    }
    return Math.exp(-rate * maturity) * sum / z.length;
  }

  /** One path's payoff, undiscounted. */
  @Differentiable
  static double pathPayoff(double spot, double vol, double rate, @NoDerivative double strike,
      @NoDerivative double maturity, @NoDerivative double[] z) {
    double dt = maturity / z.length;
    double s = spot;
    double average = 0;
    for (int k = 0; k < z.length; k++) {
      s = s * Math.exp((rate - 0.5 * vol * vol) * dt + vol * Math.sqrt(dt) * z[k]);
      average += s;
    }
    return Math.max(average / z.length - strike, 0);
  }
}
