package dev.adjoint.processor.statements;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Functions that write their parameter arrays in place: the gradient works on copies (the
 * caller's arrays never change), its partials are with respect to the values on entry, and its
 * value is what the function returns on a fresh copy. {@link ArrayGradientCheck} checks all three
 * at every point, with and without the analyses.
 */
class InPlaceTest {
  private static final String CLS = "p.InPlace";
  private static Compiled on;
  private static Compiled off;

  @BeforeAll
  static void compile() {
    JavaFileObject source = Compiled.source(CLS, """
        package p;
        import dev.adjoint.*;
        class InPlace {
          @Differentiable static double sortedWeightedSum(double[] x) {
            for (int i = 1; i < x.length; i++) {
              double key = x[i];
              int j = i - 1;
              while (j >= 0 && x[j] > key) {
                x[j + 1] = x[j];
                j--;
              }
              x[j + 1] = key;
            }
            double s = 0;
            for (int i = 0; i < x.length; i++) {
              s += (i + 1) * x[i];
            }
            return s;
          }
          @Differentiable static double scaleThenSum(double[] x, double c) {
            for (int i = 0; i < x.length; i++) {
              x[i] *= c;
              x[i] = Math.sin(x[i]) + x[i] * x[i];
            }
            double s = 0;
            for (double v : x) s += v;
            return s * x[0];
          }
          @Differentiable static double prefixSums(double[] x, double[] w) {
            for (int i = 1; i < x.length; i++) x[i] += x[i - 1] * w[i];
            return x[x.length - 1];
          }
          @Differentiable static double straightLine(double[] x, double y) {
            x[0] = x[0] * y;
            x[1] = x[0] + x[1];
            x[0]++;
            return x[0] * x[1];
          }
          @Differentiable static float floats(float[] x, @NoDerivative float[] t, int[] idx) {
            for (int i = 0; i < x.length; i++) {
              t[i] = t[i] * 2;
              idx[i] = idx[i] + 1;
              x[i] = x[i] * t[i] + idx[i];
            }
            return x[0] * x[x.length - 1];
          }
          @Differentiable static double noDerivativeWritten(double x, @NoDerivative double[] t) {
            t[0] = t[0] * x;
            t[1] += Math.sin(t[0]);
            return t[0] * t[1] + x;
          }
          // layer passes x and w to a void helper that writes only its out-parameter h, so it
          // writes neither and is called like any function
          @Differentiable static void affine(double[] x, double[] w, double[] out) {
            for (int i = 0; i < out.length; i++) out[i] = w[i] * x[i] + out[i];
          }
          @Differentiable static double layer(double[] x, double[] w) {
            double[] h = new double[x.length];
            affine(x, w, h);
            double s = 0;
            for (int i = 0; i < h.length; i++) s += Math.tanh(h[i]);
            return s;
          }
          @Differentiable static double twoLayers(double[] x, double[] w) {
            return layer(x, w) * layer(w, x) + x[0];
          }
          @Differentiable static double matrixInPlace(double[][] w, double[] x) {
            for (int i = 0; i < w.length; i++) {
              for (int j = 0; j < w[i].length; j++) {
                w[i][j] *= x[j];
                w[i][j] = Math.sin(w[i][j]) + w[i][j] * x[i];
              }
            }
            double s = 0;
            for (int i = 0; i < w.length; i++) s += w[i][0] * w[i][w[i].length - 1];
            return s;
          }
          @Differentiable static double rowsInPlace(double[][] w, double c) {
            for (double[] row : w) {
              for (int j = 1; j < row.length; j++) row[j] += row[j - 1] * c;
            }
            double[] first = w[0];
            first[0] = first[0] * first[first.length - 1];
            return w[0][0] + w[w.length - 1][w[0].length - 1];
          }
          @Differentiable static float floatMatrix(float[][] w, float c) {
            w[0][0]++;
            w[1][1] = w[0][0] * c;
            return w[1][1] * w[0][1] + w[1][0];
          }
          @Differentiable static double[] normalise(double[] x) {
            double s = 0;
            for (int i = 0; i < x.length; i++) s += x[i] * x[i];
            double n = Math.sqrt(s);
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
              x[i] /= n;
              out[i] = x[i];
            }
            return out;
          }
        }
        """);
    on = Compiled.of(source);
    off = Compiled.of(List.of("-Aadjoint.analyses=off"), source);
  }

  static Stream<Arguments> points() {
    return Stream.of(
        Arguments.of("sortedWeightedSum", new Object[] {new double[] {0.3, -1.2, 2.5, 0.9, -0.4}}),
        Arguments.of("sortedWeightedSum", new Object[] {new double[] {3, 2, 1}}),
        Arguments.of("sortedWeightedSum", new Object[] {new double[] {0.5}}),
        Arguments.of("scaleThenSum", new Object[] {new double[] {0.3, -0.8, 1.1}, 1.3}),
        Arguments.of("prefixSums", new Object[] {new double[] {0.3, -0.8, 1.1, 0.2},
            new double[] {1.5, -0.5, 0.7, 2.0}}),
        Arguments.of("straightLine", new Object[] {new double[] {0.7, -1.1}, 1.9}),
        Arguments.of("floats", new Object[] {new float[] {0.5f, -1.5f, 2}, new float[] {1, 2, 3},
            new int[] {1, 2, 3}}),
        Arguments.of("normalise", new Object[] {new double[] {0.3, -0.8, 1.1}}),
        Arguments.of("matrixInPlace", new Object[] {
            new double[][] {{0.3, -0.8, 1.1}, {0.5, 0.25, -1.5}}, new double[] {1.5, -0.5, 0.7}}),
        Arguments.of("rowsInPlace", new Object[] {
            new double[][] {{0.3, -0.8, 1.1}, {0.5, 0.25, -1.5}}, 0.7}),
        Arguments.of("floatMatrix", new Object[] {new float[][] {{0.5f, -1.5f}, {2, 0.25f}}, 1.5f}),
        Arguments.of("twoLayers", new Object[] {new double[] {0.3, -0.8, 1.1},
            new double[] {1.5, -0.5, 0.7}}),
        Arguments.of("noDerivativeWritten", new Object[] {0.7, new double[] {1.5, -0.5}}));
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("points")
  void gradientsMatchFiniteDifferencesAndLeaveArgumentsAlone(String method, Object[] args) {
    ArrayGradientCheck.check(on, CLS, method, args);
    ArrayGradientCheck.check(off, CLS, method, args);
  }

  @Test
  void sortGradientFollowsTheElementsToTheirPlaces() throws Exception {
    for (Compiled c : List.of(on, off)) {
      double[] x = {0.3, -1.2, 2.5};
      Object record = c.invoke(CLS + "Grad", "sortedWeightedSum", (Object) x);
      RecordComponent[] comps = record.getClass().getRecordComponents();
      // sorted: -1.2, 0.3, 2.5 with weights 1, 2, 3
      assertEquals(-1.2 + 0.6 + 7.5, (double) comps[0].getAccessor().invoke(record), 1e-12);
      assertArrayEquals(new double[] {2, 1, 3}, (double[]) comps[1].getAccessor().invoke(record));
      assertArrayEquals(new double[] {0.3, -1.2, 2.5}, x);
    }
  }

  /**
   * The copy of a 2-D parameter is rectangular: a ragged argument is refused with an exception
   * (the original runs on it), never cut to the first row's length.
   */
  @Test
  void aRaggedMatrixWrittenInPlaceThrowsInsteadOfBeingCut() {
    for (double[][] ragged : List.of(new double[][] {{1, 2}, {3, 4, 5}},
        new double[][] {{1, 2, 3}, {4, 5}})) {
      var e = assertThrows(AssertionError.class, () ->
          on.invoke(CLS + "Grad", "matrixInPlace", ragged, new double[] {1, 2, 3}));
      assertInstanceOf(ArrayIndexOutOfBoundsException.class, e.getCause());
    }
  }
}
