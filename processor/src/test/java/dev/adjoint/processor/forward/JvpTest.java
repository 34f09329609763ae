package dev.adjoint.processor.forward;

import static dev.adjoint.processor.testing.Compiled.source;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.Compiled;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward mode ({@code @Differentiable(forward = true)}): the JVP of every construct reverse mode
 * covers, checked against central finite differences of the function along random tangents and
 * against the reverse-mode gradient, with the analyses on and off.
 */
class JvpTest {
  private static final String CLS = "p.Fw";

  static JavaFileObject fwSource() {
    return source(CLS, """
        package p;
        import dev.adjoint.*;
        class Fw {
          @Differentiable(forward = true)
          static double neuron(double w, double b, double x, @NoDerivative double target) {
            double y = w * x + b;
            double error = y - target;
            return 0.5 * error * error;
          }
          @Differentiable(forward = true)
          static double operators(double x, double y) {
            double a = x * y - x / y + x % y - -y;
            a += x; a -= y; a *= x; a /= y; a %= 3.0;
            double b = +a;
            b++;
            return a * b + (x > y ? x * x : y / x);
          }
          @Differentiable(forward = true)
          static double math(double x, double y) {
            double a = Math.sin(x) + Math.cos(y) + Math.tan(x * 0.3) + Math.asin(x * 0.1)
                + Math.acos(y * 0.1) + Math.atan(x) + Math.atan2(y, x) + Math.sinh(x * 0.5)
                + Math.cosh(y * 0.5) + Math.tanh(x);
            double b = Math.exp(x * 0.3) + Math.expm1(y * 0.2) + Math.log(x * x + 1)
                + Math.log10(y * y + 2) + Math.log1p(x * x) + Math.sqrt(y * y + 1)
                + Math.cbrt(x + 5) + Math.pow(y * y + 1, x) + Math.pow(x, 3) + Math.hypot(x, y);
            double c = Math.abs(x) + Math.max(x, y) + Math.min(x * 2, y) + Math.toRadians(x)
                + Math.toDegrees(y) + Math.fma(x, y, x) + Math.floor(x) + StrictMath.sin(y);
            return a * b + c;
          }
          @Differentiable(forward = true)
          static float floats(float x, double y, float z) {
            float a = x * z;
            double b = a * y + Math.sin(x);
            a += (float) b;
            return a * z;
          }
          @Differentiable(forward = true)
          static double branches(double x, double y) {
            double z = x * y;
            if (z > 1) {
              z = Math.sin(z) * x;
            } else if (z < -1) {
              double q = z * z;
              z = q / y;
            }
            z *= x;
            if (x > 3) return z;
            double w = Math.exp(z) + Math.max(x, y);
            return z * w;
          }
          @Differentiable(forward = true)
          static double loops(double[] x, int n) {
            double s = 0;
            for (int i = 0; i + 1 < x.length; i++) {
              double a = x[i + 1] - x[i] * x[i];
              double c = 1 - x[i];
              s += 100 * a * a + c * c;
            }
            int k = 0;
            while (k < n) {
              s = s * 0.5 + Math.sin(s);
              k++;
            }
            double p = 1;
            do {
              p *= x[k % x.length];
              k++;
            } while (k < n + 3);
            for (double v : x) {
              if (v > 1.5) break;
              if (v < -1) continue;
              s += v * p;
            }
            return s;
          }
          @Differentiable(forward = true)
          static double dataDependentLoop(double x) {
            double s = x;
            int steps = 0;
            while (Math.abs(s) > 0.1 && steps < 50) {
              s = s * 0.7 - 0.01 * x;
              steps++;
            }
            return s * x;
          }
          @Differentiable(forward = true)
          static double returnInLoop(double[] x) {
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              s += x[i] * x[i];
              if (s > 3) return s * x[i];
            }
            return -s;
          }
          @Differentiable(forward = true)
          static double localArrays(double[] x, @NoDerivative double[] w) {
            double[] h = new double[x.length];
            for (int i = 0; i < x.length; i++) {
              h[i] = Math.tanh(x[i] * w[i]);
            }
            double[] pair = {h[0], x[0] * 2};
            double s = 0;
            for (int i = 0; i < h.length; i++) {
              h[i] *= h[i];
              s += h[i];
            }
            return s + pair[0] * pair[1];
          }
          @Differentiable(forward = true)
          static double matrix(double[][] a, double[] x) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
              double[] row = a[i];
              double dot = 0;
              for (int j = 0; j < row.length; j++) {
                dot += row[j] * x[j];
              }
              s += Math.exp(-dot * dot);
            }
            double[][] m = new double[2][2];
            m[0][1] = a[0][0] * x[1];
            m[1][0] += m[0][1] * s;
            return s + m[1][0];
          }
          @Differentiable(forward = true)
          static double[] softplus(double[] x, double scale) {
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
              out[i] = scale * Math.log1p(Math.exp(x[i]));
            }
            return out;
          }
          @Differentiable(forward = true)
          static float[] floatArrays(float[] x, float[][] w) {
            float[] y = new float[w.length];
            for (int i = 0; i < w.length; i++) {
              float s = 0;
              for (int j = 0; j < x.length; j++) {
                s += w[i][j] * x[j];
              }
              y[i] = s > 0 ? s : 0.1f * s;
            }
            return y;
          }
          @Differentiable static double sq(double a) { return a * a; }
          @Differentiable static double[] twice(double[] a) {
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) out[i] = 2 * a[i] * a[i];
            return out;
          }
          @Differentiable static double cube(double a, @NoDerivative double k) { return k * a * sq(a); }
          @Differentiable(forward = true)
          static double calls(double x, double y, double[] v) {
            double a = sq(x) + cube(y, 2);
            double[] t = twice(v);
            double s = 0;
            for (int i = 0; i < t.length; i++) s += t[i];
            return sq(a) * 2 + s * cube(x, 1.5) + sq(3);
          }
          @Differentiable(forward = true)
          static double callsInBranchesOfConditionals(double x, double y) {
            double a = x > 0.5 ? sq(x) * cube(y, 2) : y < 0 ? sq(y) : x;
            double b = 0;
            for (int i = 0; i < 3 && sq(b) < 10; i++) {
              b += i % 2 == 0 ? sq(a + i) : a;
            }
            return a * b + (sq(x) > 1 && sq(y) < 2 ? sq(x - y) : 0);
          }
          @Differentiable(forward = true)
          static double noDerivativeReassigned(double x, @NoDerivative double t) {
            t = t * x;
            return t * t;
          }
          @Differentiable(forward = true)
          static double dots(double[] w, @NoDerivative double[] x, int n, double[] b) {
            int d = w.length;
            double loss = 0;
            for (int i = 0; i < n; i++) {
              double z = b[i % b.length];
              for (int j = 0; j < d; j++) {
                z += w[j] * x[i * d + j];
              }
              double e = Math.tanh(z) - i * 0.1;
              if (e > 0.5) {
                double q = e * z;
                e = q;
              }
              loss += e * e * (i + 1);
            }
            return loss;
          }
          @Differentiable(forward = true)
          static float floatDots(float[] w, float[] x, int rows) {
            float s = 0;
            for (int r = 0; r < rows; r++) {
              float z = 0;
              for (int j = 0; j < w.length; j++) z -= w[j] * x[r * w.length + j];
              if (z > 0) s += z * z; else s += 0.5f * z;
            }
            return s;
          }
          @Differentiable(forward = true)
          static double dotsReadingTheEpilogue(double[] w, @NoDerivative double[] x, int n) {
            double scale = 1;
            double loss = 0;
            for (int i = 0; i < n; i++) {
              double z = 0;
              for (int j = 0; j < w.length; j++) {
                z += w[j] * x[i * w.length + j] * scale;
              }
              scale = scale * 0.5 + z * z;
              loss += z;
            }
            return loss + scale;
          }
          @Differentiable(forward = true)
          static double triangularDots(double[] w, int n) {
            double s = 0;
            for (int i = 0; i < n; i++) {
              double z = 0;
              for (int j = 0; j <= i && j < w.length; j++) z += w[j] * w[i % w.length];
              s += z * z;
            }
            return s;
          }
          @Differentiable(forward = true)
          static double integers(double x, int n) {
            int m = (int) (x * 3);
            double y = x * n + m;
            return y * (n / 2) + (long) y;
          }
        }
        """);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("neuron", new Object[] {2.0, 1.0, 1.0, 4.0}),
        Arguments.of("operators", new Object[] {1.3, 0.7}),
        Arguments.of("operators", new Object[] {0.4, 1.9}),
        Arguments.of("math", new Object[] {0.7, 1.3}),
        Arguments.of("math", new Object[] {-0.4, 0.9}),
        Arguments.of("floats", new Object[] {0.5f, 1.5, -0.75f}),
        Arguments.of("branches", new Object[] {2.0, 0.8}),
        Arguments.of("branches", new Object[] {-2.0, 0.8}),
        Arguments.of("branches", new Object[] {4.0, 0.1}),
        Arguments.of("branches", new Object[] {0.3, 0.2}),
        Arguments.of("loops", new Object[] {new double[] {0.3, -1.5, 0.8, 1.2, 2.0}, 3}),
        Arguments.of("dataDependentLoop", new Object[] {1.7}),
        Arguments.of("returnInLoop", new Object[] {new double[] {0.5, 1.0, 1.5, 0.2}}),
        Arguments.of("returnInLoop", new Object[] {new double[] {0.5, 0.2}}),
        Arguments.of("localArrays", new Object[] {new double[] {0.5, -1.0, 1.5},
            new double[] {0.3, 0.2, -0.7}}),
        Arguments.of("matrix", new Object[] {new double[][] {{0.3, 0.4}, {-0.2, 0.5}},
            new double[] {0.7, -0.3}}),
        Arguments.of("softplus", new Object[] {new double[] {0.3, -2.0, 1.1}, 1.5}),
        Arguments.of("floatArrays", new Object[] {new float[] {0.3f, -0.5f},
            new float[][] {{0.5f, 0.25f}, {-1f, 0.75f}, {0.125f, -0.5f}}}),
        Arguments.of("calls", new Object[] {0.6, -0.4, new double[] {0.2, 0.9}}),
        Arguments.of("callsInBranchesOfConditionals", new Object[] {0.8, 0.3}),
        Arguments.of("callsInBranchesOfConditionals", new Object[] {0.2, -0.6}),
        Arguments.of("callsInBranchesOfConditionals", new Object[] {0.2, 0.6}),
        Arguments.of("callsInBranchesOfConditionals", new Object[] {1.3, 1.2}),
        Arguments.of("noDerivativeReassigned", new Object[] {0.6, 1.4}),
        Arguments.of("integers", new Object[] {0.6, 3}),
        Arguments.of("dots", new Object[] {new double[] {0.3, -0.5, 0.8}, grid(27), 9,
            new double[] {0.1, -0.2}}),
        Arguments.of("dots", new Object[] {new double[] {0.3, -0.5, 0.8}, grid(27), 7,
            new double[] {0.1, -0.2}}),
        Arguments.of("dots", new Object[] {new double[] {0.3, -0.5, 0.8}, grid(27), 4,
            new double[] {0.1, -0.2}}),
        Arguments.of("dots", new Object[] {new double[] {0.3, -0.5, 0.8}, grid(27), 2,
            new double[] {0.1, -0.2}}),
        Arguments.of("floatDots", new Object[] {new float[] {0.5f, -0.25f},
            new float[] {1f, 0.5f, -0.75f, 0.25f, 0.125f, -1f, 0.5f, 0.5f, -0.5f, 1f}, 5}),
        Arguments.of("dotsReadingTheEpilogue", new Object[] {new double[] {0.3, -0.5},
            grid(14), 6}),
        Arguments.of("triangularDots", new Object[] {new double[] {0.3, -0.5, 0.7}, 6}));
  }

  /** {@code n} values spread over [-1, 1). */
  private static double[] grid(int n) {
    double[] x = new double[n];
    for (int k = 0; k < n; k++) {
      x[k] = Math.sin(1.7 * k + 0.3);
    }
    return x;
  }

  private static final OnAndOff COMPILED = new OnAndOff(CLS, JvpTest::fwSource);

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void jvpMatchesFiniteDifferencesAndReverseMode(String method, Object[] args) {
    COMPILED.jvp(method, args);
  }

  @org.junit.jupiter.api.Test
  void closedForms() {
    Compiled c = COMPILED.compiled(true);
    // neuron: y = w x + b, e = y - t, f = e^2 / 2; df = e (x dw + w dx + db)
    Object r = c.invoke(CLS + "Grad", "neuronJvp", 2.0, 1.0, 1.0, 4.0, 1.0, 10.0, 100.0);
    assertEquals("NeuronJvp[value=0.5, tangent=-211.0]", r.toString());
    Object s = c.invoke(CLS + "Grad", "softplusJvp", new double[] {0.0}, 2.0,
        new double[] {1.0}, 0.5);
    double[] t = (double[]) component(s, "tangent");
    // d/dx 2 log(1 + e^x) = 2 sigmoid(x) = 1 at 0, plus log 2 * 0.5 from the scale
    assertArrayEquals(new double[] {1.0 + Math.log(2) * 0.5}, t, 1e-15);
  }

  private static Object component(Object record, String name) {
    try {
      return record.getClass().getMethod(name).invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
