package golden;

import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;

/** Monte Carlo pricers: transcendental values kept, each path's reverse right after it. */
class Greeks {
  @Differentiable
  static double european(double spot, double vol, double rate, @NoDerivative double strike,
      @NoDerivative double maturity, @NoDerivative double[] z) {
    double drift = (rate - 0.5 * vol * vol) * maturity;
    double diffusion = vol * Math.sqrt(maturity);
    double sum = 0;
    for (int p = 0; p < z.length; p++) {
      double terminal = spot * Math.exp(drift + diffusion * z[p]);
      sum += Math.max(terminal - strike, 0);
    }
    return Math.exp(-rate * maturity) * sum / z.length;
  }

  @Differentiable
  static double asian(double spot, double vol, double rate, @NoDerivative double strike,
      @NoDerivative double maturity, @NoDerivative double[][] z) {
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

  @Differentiable
  static double logistic(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Differentiable
  static double softplusSum(double[] x) {
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      double t = Math.tanh(x[i]);
      total += Math.log1p(Math.exp(x[i])) * t;
    }
    return total;
  }
}
