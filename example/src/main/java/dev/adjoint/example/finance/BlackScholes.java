package dev.adjoint.example.finance;

/** The Black-Scholes price of a European call and its analytic delta, vega and rho. */
public final class BlackScholes {
  private BlackScholes() {}

  /** {price, delta, vega, rho} of a call on the market {@code m}. */
  public static double[] call(MonteCarloGreeks.Market m) {
    double s = m.spot();
    double k = m.strike();
    double t = m.maturity();
    double sqrtT = Math.sqrt(t);
    double d1 = (Math.log(s / k) + (m.rate() + 0.5 * m.vol() * m.vol()) * t) / (m.vol() * sqrtT);
    double d2 = d1 - m.vol() * sqrtT;
    double discount = Math.exp(-m.rate() * t);
    return new double[] {
        s * cdf(d1) - k * discount * cdf(d2),
        cdf(d1),
        s * pdf(d1) * sqrtT,
        k * t * discount * cdf(d2)};
  }

  static double pdf(double x) {
    return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  }

  /** The standard normal distribution function (Marsaglia's series; about 1e-15 accurate). */
  static double cdf(double x) {
    if (x < -8) {
      return 0;
    }
    if (x > 8) {
      return 1;
    }
    double sum = x;
    double term = x;
    for (int i = 3; sum + term != sum; i += 2) {
      term = term * x * x / i;
      sum += term;
    }
    return 0.5 + sum * pdf(x);
  }
}
