package dev.adjoint.bench;

/**
 * Pathwise derivatives written by hand, as a quant writes them (Giles and Glasserman, "Smoking
 * adjoints"): one pass over the paths, each path's price and its derivatives with respect to
 * spot, volatility and rate accumulated together, one {@code exp} per step.
 */
public final class HandGreeks {
  private HandGreeks() {}

  /** {price, delta, vega, rho} of the European call. */
  public static double[] european(double spot, double vol, double rate, double strike,
      double maturity, double[] z) {
    double sqrtT = Math.sqrt(maturity);
    double drift = (rate - 0.5 * vol * vol) * maturity;
    double diffusion = vol * sqrtT;
    double sum = 0;
    double delta = 0;
    double vega = 0;
    double inTheMoney = 0;
    for (int p = 0; p < z.length; p++) {
      double growth = Math.exp(drift + diffusion * z[p]);
      double terminal = spot * growth;
      if (terminal > strike) {
        sum += terminal - strike;
        delta += growth;
        vega += terminal * (sqrtT * z[p] - vol * maturity);
        inTheMoney += terminal;
      }
    }
    double discount = Math.exp(-rate * maturity) / z.length;
    double price = discount * sum;
    return new double[] {price, discount * delta, discount * vega,
        discount * inTheMoney * maturity - maturity * price};
  }

  /** {price, delta, vega, rho} of the arithmetic Asian call. */
  public static double[] asian(double spot, double vol, double rate, double strike,
      double maturity, double[][] z) {
    int steps = z[0].length;
    double dt = maturity / steps;
    double sqrtDt = Math.sqrt(dt);
    double drift = (rate - 0.5 * vol * vol) * dt;
    double diffusion = vol * sqrtDt;
    double sum = 0;
    double delta = 0;
    double vega = 0;
    double rho = 0;
    for (int p = 0; p < z.length; p++) {
      double[] zp = z[p];
      double s = spot;
      double average = 0;
      double brownian = 0;
      double sVol = 0; // sum over fixings of dS_k / dvol
      double sTime = 0; // sum over fixings of S_k t_k
      for (int k = 0; k < steps; k++) {
        s *= Math.exp(drift + diffusion * zp[k]);
        brownian += sqrtDt * zp[k];
        double t = (k + 1) * dt;
        average += s;
        sVol += s * (brownian - vol * t);
        sTime += s * t;
      }
      average /= steps;
      if (average > strike) {
        sum += average - strike;
        delta += average / spot;
        vega += sVol / steps;
        rho += sTime / steps;
      }
    }
    double discount = Math.exp(-rate * maturity) / z.length;
    double price = discount * sum;
    return new double[] {price, discount * delta, discount * vega,
        discount * rho - maturity * price};
  }
}
