package dev.adjoint.bench;

/**
 * Hand-written JVPs of {@link SecondOrder}'s functions in the shapes forward mode could
 * generate, to find where the time goes and what is reachable with scalar Java: each returns
 * the tangent plus {@code 0 *} the value, so that the value is computed too, as in the JVP form.
 */
final class JvpShapes {
  private JvpShapes() {}

  /**
   * Rosenbrock: the generated statements with the primal's product {@code 100.0 * a} reused by
   * the tangent and the factor 2 moved out of the tangent's sum (exact: a power of two).
   */
  static double rosenbrockShared(double[] x, double[] tX) {
    double tS = 0.0;
    double s = 0.0;
    for (int i = 0; i + 1 < x.length; i++) {
      double tA = tX[i + 1] - 2.0 * tX[i] * x[i];
      double a = x[i + 1] - x[i] * x[i];
      double tC = -tX[i];
      double c = 1.0 - x[i];
      tS += 100.0 * a * tA + c * tC;
      s += 100.0 * a * a + c * c;
    }
    return 2.0 * tS + 0 * s;
  }

  /** {@link RosenbrockJvpForms#byHand} with the elements of {@code i + 1} carried to the next. */
  static double rosenbrockCarried(double[] x, double[] tX) {
    double tS = 0.0;
    double s = 0.0;
    int n = x.length;
    if (n < 2) {
      return 0;
    }
    double x0 = x[0];
    double t0 = tX[0];
    for (int i = 0; i + 1 < n; i++) {
      double x1 = x[i + 1];
      double t1 = tX[i + 1];
      double a = x1 - x0 * x0;
      double tA = t1 - (x0 + x0) * t0;
      double c = 1.0 - x0;
      double a100 = 100.0 * a;
      tS += a100 * tA - c * t0;
      s += a100 * a + c * c;
      x0 = x1;
      t0 = t1;
    }
    return 2 * tS + 0 * s;
  }

  /** Tangent only (no value): the floor of any JVP that also computes the value. */
  static double rosenbrockTangentOnly(double[] x, double[] tX) {
    double tS = 0.0;
    for (int i = 0; i + 1 < x.length; i++) {
      double x0 = x[i];
      double t0 = tX[i];
      double a = x[i + 1] - x0 * x0;
      double tA = tX[i + 1] - 2.0 * x0 * t0;
      tS += 100.0 * a * tA - (1.0 - x0) * t0;
    }
    return 2 * tS;
  }

  /** Logistic regression's JVP as generated (a copy, for the comparison in one class). */
  static double logisticGenerated(double[] w, double[] x, int[] y, int n, double[] tW) {
    int d = w.length;
    double tLoss = 0.0;
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double tZ = 0.0;
      double z = 0.0;
      for (int j = 0; j < d; j++) {
        tZ += tW[j] * x[i * d + j];
        z += w[j] * x[i * d + j];
      }
      double expValue = Math.exp(-Math.abs(z));
      tLoss += -(tZ * Math.signum(z) * expValue * (1.0 / (1.0 + expValue)))
          + (z >= 0.0 ? tZ : 0.0) - tZ * y[i];
      loss += Math.log1p(expValue) + Math.max(z, 0.0) - y[i] * z;
    }
    return tLoss / n + 0 * loss;
  }

  /**
   * Logistic regression's JVP with the example loop unrolled by two and jammed: the two
   * examples' sums run side by side (four independent chains instead of two), each summed in
   * the same order as before, the epilogues in order: the same values bit for bit.
   */
  static double logisticJammed(double[] w, double[] x, int[] y, int n, double[] tW) {
    int d = w.length;
    double tLoss = 0.0;
    double loss = 0.0;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      double tZ = 0.0;
      double z = 0.0;
      double tZ1 = 0.0;
      double z1 = 0.0;
      for (int j = 0; j < d; j++) {
        tZ += tW[j] * x[i * d + j];
        z += w[j] * x[i * d + j];
        tZ1 += tW[j] * x[(i + 1) * d + j];
        z1 += w[j] * x[(i + 1) * d + j];
      }
      double expValue = Math.exp(-Math.abs(z));
      tLoss += -(tZ * Math.signum(z) * expValue * (1.0 / (1.0 + expValue)))
          + (z >= 0.0 ? tZ : 0.0) - tZ * y[i];
      loss += Math.log1p(expValue) + Math.max(z, 0.0) - y[i] * z;
      double expValue1 = Math.exp(-Math.abs(z1));
      tLoss += -(tZ1 * Math.signum(z1) * expValue1 * (1.0 / (1.0 + expValue1)))
          + (z1 >= 0.0 ? tZ1 : 0.0) - tZ1 * y[i + 1];
      loss += Math.log1p(expValue1) + Math.max(z1, 0.0) - y[i + 1] * z1;
    }
    for (; i < n; i++) {
      double tZ = 0.0;
      double z = 0.0;
      for (int j = 0; j < d; j++) {
        tZ += tW[j] * x[i * d + j];
        z += w[j] * x[i * d + j];
      }
      double expValue = Math.exp(-Math.abs(z));
      tLoss += -(tZ * Math.signum(z) * expValue * (1.0 / (1.0 + expValue)))
          + (z >= 0.0 ? tZ : 0.0) - tZ * y[i];
      loss += Math.log1p(expValue) + Math.max(z, 0.0) - y[i] * z;
    }
    return tLoss / n + 0 * loss;
  }

  /** The JVP of {@link SecondOrder#mlp} as generated (a copy). */
  static double mlpGenerated(double[] w1, double[] w2, double[] x, double[] y, int n, int in,
      int hidden, double[] tW1, double[] tW2) {
    double tLoss = 0.0;
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double tOut = 0.0;
      double out = 0.0;
      for (int h = 0; h < hidden; h++) {
        double tZ = 0.0;
        double z = 0.0;
        for (int j = 0; j < in; j++) {
          tZ += tW1[h * in + j] * x[i * in + j];
          z += w1[h * in + j] * x[i * in + j];
        }
        double tanhValue = Math.tanh(z);
        tOut += tW2[h] * tanhValue + tZ * (1.0 - tanhValue * tanhValue) * w2[h];
        out += w2[h] * tanhValue;
      }
      double tE = tOut;
      double e = out - y[i];
      tLoss += 2.0 * tE * e;
      loss += e * e;
    }
    return tLoss / n + 0 * loss;
  }

  /**
   * The MLP's JVP with the hidden-unit loop unrolled by two and jammed (the same values bit for
   * bit: each sum in its order, the epilogues in order).
   */
  static double mlpJammed(double[] w1, double[] w2, double[] x, double[] y, int n, int in,
      int hidden, double[] tW1, double[] tW2) {
    double tLoss = 0.0;
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double tOut = 0.0;
      double out = 0.0;
      int h = 0;
      for (; h + 1 < hidden; h += 2) {
        double tZ = 0.0;
        double z = 0.0;
        double tZ1 = 0.0;
        double z1 = 0.0;
        for (int j = 0; j < in; j++) {
          tZ += tW1[h * in + j] * x[i * in + j];
          z += w1[h * in + j] * x[i * in + j];
          tZ1 += tW1[(h + 1) * in + j] * x[i * in + j];
          z1 += w1[(h + 1) * in + j] * x[i * in + j];
        }
        double tanhValue = Math.tanh(z);
        tOut += tW2[h] * tanhValue + tZ * (1.0 - tanhValue * tanhValue) * w2[h];
        out += w2[h] * tanhValue;
        double tanhValue1 = Math.tanh(z1);
        tOut += tW2[h + 1] * tanhValue1 + tZ1 * (1.0 - tanhValue1 * tanhValue1) * w2[h + 1];
        out += w2[h + 1] * tanhValue1;
      }
      for (; h < hidden; h++) {
        double tZ = 0.0;
        double z = 0.0;
        for (int j = 0; j < in; j++) {
          tZ += tW1[h * in + j] * x[i * in + j];
          z += w1[h * in + j] * x[i * in + j];
        }
        double tanhValue = Math.tanh(z);
        tOut += tW2[h] * tanhValue + tZ * (1.0 - tanhValue * tanhValue) * w2[h];
        out += w2[h] * tanhValue;
      }
      double tE = tOut;
      double e = out - y[i];
      tLoss += 2.0 * tE * e;
      loss += e * e;
    }
    return tLoss / n + 0 * loss;
  }

  /** The MLP's JVP with the example loop jammed by two (the rows of w1 read once for both). */
  static double mlpJammedExamples(double[] w1, double[] w2, double[] x, double[] y, int n,
      int in, int hidden, double[] tW1, double[] tW2) {
    double tLoss = 0.0;
    double loss = 0.0;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      double tOut = 0.0;
      double out = 0.0;
      double tOut1 = 0.0;
      double out1 = 0.0;
      for (int h = 0; h < hidden; h++) {
        double tZ = 0.0;
        double z = 0.0;
        double tZ1 = 0.0;
        double z1 = 0.0;
        for (int j = 0; j < in; j++) {
          tZ += tW1[h * in + j] * x[i * in + j];
          z += w1[h * in + j] * x[i * in + j];
          tZ1 += tW1[h * in + j] * x[(i + 1) * in + j];
          z1 += w1[h * in + j] * x[(i + 1) * in + j];
        }
        double tanhValue = Math.tanh(z);
        tOut += tW2[h] * tanhValue + tZ * (1.0 - tanhValue * tanhValue) * w2[h];
        out += w2[h] * tanhValue;
        double tanhValue1 = Math.tanh(z1);
        tOut1 += tW2[h] * tanhValue1 + tZ1 * (1.0 - tanhValue1 * tanhValue1) * w2[h];
        out1 += w2[h] * tanhValue1;
      }
      double e = out - y[i];
      tLoss += 2.0 * tOut * e;
      loss += e * e;
      double e1 = out1 - y[i + 1];
      tLoss += 2.0 * tOut1 * e1;
      loss += e1 * e1;
    }
    for (; i < n; i++) {
      double tOut = 0.0;
      double out = 0.0;
      for (int h = 0; h < hidden; h++) {
        double tZ = 0.0;
        double z = 0.0;
        for (int j = 0; j < in; j++) {
          tZ += tW1[h * in + j] * x[i * in + j];
          z += w1[h * in + j] * x[i * in + j];
        }
        double tanhValue = Math.tanh(z);
        tOut += tW2[h] * tanhValue + tZ * (1.0 - tanhValue * tanhValue) * w2[h];
        out += w2[h] * tanhValue;
      }
      double e = out - y[i];
      tLoss += 2.0 * tOut * e;
      loss += e * e;
    }
    return tLoss / n + 0 * loss;
  }

  /** The MLP's {@code n * hidden} tanh calls alone, on the pre-activations' scale. */
  static double tanhOnly(double[] x, int calls) {
    double s = 0;
    for (int k = 0; k < calls; k++) {
      s += Math.tanh(x[k % x.length] * 2.0);
    }
    return s;
  }

  /** The MLP's dot products alone (value and tangent, as generated), without tanh. */
  static double mlpDotsOnly(double[] w1, double[] x, int n, int in, int hidden, double[] tW1) {
    double acc = 0;
    for (int i = 0; i < n; i++) {
      for (int h = 0; h < hidden; h++) {
        double tZ = 0.0;
        double z = 0.0;
        for (int j = 0; j < in; j++) {
          tZ += tW1[h * in + j] * x[i * in + j];
          z += w1[h * in + j] * x[i * in + j];
        }
        acc += z + tZ;
      }
    }
    return acc;
  }
}
