package dev.adjoint.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/**
 * The pricers of the Monte Carlo Greeks benchmark, written naturally: a loop over paths (for the
 * Asian call an inner loop over the fixings), normals as parameters so that every method sees
 * the same ones. {@code MonteCarloPricersGrad} is generated from them; {@link HandGreeks} holds
 * the hand-written pathwise derivatives, {@link FinmathGreeks} finmath-lib's AAD.
 */
public final class MonteCarloPricers {
  private MonteCarloPricers() {}

  /** Discounted mean of {@code max(S_T - K, 0)}, one normal per path. */
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

  /** Discounted mean of {@code max(A - K, 0)}, A the average of the path's fixings. */
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
