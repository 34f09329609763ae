package dev.adjoint.bench;

import org.hipparchus.analysis.differentiation.DSFactory;
import org.hipparchus.analysis.differentiation.DerivativeStructure;

/**
 * The Rosenbrock gradient by forward-mode automatic differentiation with Hipparchus: one
 * {@link DerivativeStructure} per variable, {@code n} free parameters, order 1, so every
 * operation carries all {@code n} partial derivatives along.
 */
public final class ForwardModeRosenbrock {
  private final DSFactory factory;
  private final int[] partialIndex;

  /** Set up for vectors of length {@code n}. */
  public ForwardModeRosenbrock(int n) {
    factory = new DSFactory(n, 1);
    partialIndex = new int[n];
    int[] orders = new int[n];
    for (int i = 0; i < n; i++) {
      orders[i] = 1;
      partialIndex[i] = factory.getCompiler().getPartialDerivativeIndex(orders);
      orders[i] = 0;
    }
  }

  /** The value; adds the gradient into {@code gradient}. */
  public double valueAndGradient(double[] x, double[] gradient) {
    int n = x.length;
    DerivativeStructure[] v = new DerivativeStructure[n];
    for (int i = 0; i < n; i++) {
      v[i] = factory.variable(i, x[i]);
    }
    DerivativeStructure sum = factory.constant(0);
    for (int i = 0; i < n - 1; i++) {
      DerivativeStructure a = v[i + 1].subtract(v[i].multiply(v[i]));
      DerivativeStructure b = v[i].negate().add(1);
      sum = sum.add(a.multiply(a).multiply(100)).add(b.multiply(b));
    }
    double[] all = sum.getAllDerivatives();
    for (int i = 0; i < n; i++) {
      gradient[i] += all[partialIndex[i]];
    }
    return all[0];
  }
}
