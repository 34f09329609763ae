package dev.adjoint.bench;

import java.util.Map;
import net.finmath.montecarlo.RandomVariableFromDoubleArray;
import net.finmath.montecarlo.automaticdifferentiation.RandomVariableDifferentiable;
import net.finmath.montecarlo.automaticdifferentiation.backward.RandomVariableDifferentiableAAD;
import net.finmath.stochastic.RandomVariable;

/**
 * The same pricers with finmath-lib's AAD ({@link RandomVariableDifferentiableAAD}: operator
 * overloading on random variables, a runtime tape of vector operations), as a Java quant uses
 * it today: spot, volatility and rate are differentiable scalars, the normals one plain random
 * variable per time step, and {@code getGradient()} of the price gives the Greeks.
 */
public final class FinmathGreeks {
  private FinmathGreeks() {}

  /** {price, delta, vega, rho} of the European call. */
  public static double[] european(double spot, double vol, double rate, double strike,
      double maturity, RandomVariable z) {
    RandomVariableDifferentiable s0 = new RandomVariableDifferentiableAAD(spot);
    RandomVariableDifferentiable sigma = new RandomVariableDifferentiableAAD(vol);
    RandomVariableDifferentiable r = new RandomVariableDifferentiableAAD(rate);
    RandomVariable drift = r.sub(sigma.squared().mult(0.5)).mult(maturity);
    RandomVariable diffusion = sigma.mult(Math.sqrt(maturity));
    RandomVariable terminal = s0.mult(drift.add(diffusion.mult(z)).exp());
    RandomVariable price = terminal.sub(strike).floor(0.0).average()
        .mult(r.mult(-maturity).exp());
    return greeks(price, s0, sigma, r);
  }

  /** {price, delta, vega, rho} of the Asian call; {@code z[k]} holds step k of every path. */
  public static double[] asian(double spot, double vol, double rate, double strike,
      double maturity, RandomVariable[] z) {
    int steps = z.length;
    double dt = maturity / steps;
    RandomVariableDifferentiable s0 = new RandomVariableDifferentiableAAD(spot);
    RandomVariableDifferentiable sigma = new RandomVariableDifferentiableAAD(vol);
    RandomVariableDifferentiable r = new RandomVariableDifferentiableAAD(rate);
    RandomVariable drift = r.sub(sigma.squared().mult(0.5)).mult(dt);
    RandomVariable diffusion = sigma.mult(Math.sqrt(dt));
    RandomVariable s = s0;
    RandomVariable average = new RandomVariableFromDoubleArray(0.0);
    for (int k = 0; k < steps; k++) {
      s = s.mult(drift.add(diffusion.mult(z[k])).exp());
      average = average.add(s);
    }
    RandomVariable price = average.div(steps).sub(strike).floor(0.0).average()
        .mult(r.mult(-maturity).exp());
    return greeks(price, s0, sigma, r);
  }

  private static double[] greeks(RandomVariable price, RandomVariableDifferentiable s0,
      RandomVariableDifferentiable sigma, RandomVariableDifferentiable r) {
    Map<Long, RandomVariable> gradient = ((RandomVariableDifferentiable) price).getGradient();
    return new double[] {price.getAverage(), gradient.get(s0.getID()).getAverage(),
        gradient.get(sigma.getID()).getAverage(), gradient.get(r.getID()).getAverage()};
  }

  /** The normals of a European benchmark as one random variable. */
  public static RandomVariable normals(double[] z) {
    return new RandomVariableFromDoubleArray(0.0, z);
  }

  /** The normals of an Asian benchmark, path-major {@code z[p][k]}, as one variable per step. */
  public static RandomVariable[] normals(double[][] z) {
    int steps = z[0].length;
    RandomVariable[] out = new RandomVariable[steps];
    for (int k = 0; k < steps; k++) {
      double[] column = new double[z.length];
      for (int p = 0; p < z.length; p++) {
        column[p] = z[p][k];
      }
      out[k] = new RandomVariableFromDoubleArray(0.0, column);
    }
    return out;
  }
}
