package dev.adjoint.example.finance;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * Monte Carlo prices of a European and an arithmetic Asian call under Black-Scholes, written as
 * a quant writes them: a loop over paths, for the Asian an inner loop over time steps. The
 * normals are parameters, so every method (adjoint, bump-and-revalue) sees the same ones.
 * {@code @Differentiable} gives {@code PayoffsGrad.european} and {@code PayoffsGrad.asian}: the
 * price and its delta, vega and rho in one pass.
 */
public final class Payoffs {
  private Payoffs() {}

  /**
   * The discounted mean payoff {@code max(S_T - K, 0)} over {@code z.length} paths, with
   * {@code S_T = spot * exp((rate - vol^2 / 2) T + vol sqrt(T) z)}.
   *
   * @param spot today's price of the underlying
   * @param vol its volatility (per year)
   * @param rate the risk-free rate (continuously compounded, per year)
   * @param strike the strike
   * @param maturity the time to expiry in years
   * @param z one standard normal per path
   */
  @Differentiable
  public static double european(double spot, double vol, double rate,
      @NoDerivative double strike, @NoDerivative double maturity, @NoDerivative double[] z) {
    double drift = (rate - 0.5 * vol * vol) * maturity;
    double diffusion = vol * Math.sqrt(maturity);
    double sum = 0;
    for (int p = 0; p < z.length; p++) {
      double terminal = spot * Math.exp(drift + diffusion * z[p]);
      sum += Math.max(terminal - strike, 0);
    }
    return Math.exp(-rate * maturity) * sum / z.length;
  }

  /**
   * The discounted mean payoff {@code max(A - K, 0)} of an arithmetic Asian call, {@code A} the
   * average of the price at the {@code z[p].length} equally spaced fixing dates of path
   * {@code p}.
   *
   * @param spot today's price of the underlying
   * @param vol its volatility (per year)
   * @param rate the risk-free rate (continuously compounded, per year)
   * @param strike the strike
   * @param maturity the time to expiry in years
   * @param z per path, one standard normal per time step
   */
  @Differentiable
  public static double asian(double spot, double vol, double rate,
      @NoDerivative double strike, @NoDerivative double maturity, @NoDerivative double[][] z) {
    int steps = z[0].length;
    double dt = maturity / steps;
    double drift = (rate - 0.5 * vol * vol) * dt;
    double diffusion = vol * Math.sqrt(dt);
    double sum = 0;
    for (int p = 0; p < z.length; p++) {
      double s = spot;
      double average = 0;
      for (int k = 0; k < steps; k++) {
        s = s * Math.exp(drift + diffusion * z[p][k]);
        average += s;
      }
      sum += Math.max(average / steps - strike, 0);
    }
    return Math.exp(-rate * maturity) * sum / z.length;
  }
}
