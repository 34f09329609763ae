package dev.adjoint.processor.statements;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.ArrayValues;
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
 * {@code void @Differentiable} helpers that write an array out-parameter, called from
 * {@code @Differentiable} code on local arrays: the callers' gradients against finite
 * differences, the helpers' own generated API (value form, record form with the out-parameter's
 * seed, accumulating form), with and without the analyses.
 */
class OutParameterTest {
  private static final String CLS = "p.Layers";
  private static Compiled on;
  private static Compiled off;

  @BeforeAll
  static void compile() {
    JavaFileObject source = Compiled.source(CLS, """
        package p;
        import dev.adjoint.*;
        class Layers {
          @Differentiable static void dense(double[] x, double[] w, double[] out) {
            for (int j = 0; j < out.length; j++) {
              double s = 0;
              for (int i = 0; i < x.length; i++) s += w[j * x.length + i] * x[i];
              out[j] = Math.tanh(s);
            }
          }
          @Differentiable static void accumulate(double[] x, double c, double[] out) {
            for (int i = 0; i < out.length; i++) out[i] += c * x[i] * out[i];
            if (c > 5) return;
            out[0] = out[0] * 2;
          }
          @Differentiable static void floats(float[] x, @NoDerivative float[] t, float[] out) {
            for (int i = 0; i < out.length; i++) out[i] = x[i] * x[i] * t[i];
          }
          @Differentiable static double net(double[] x, double[] w1, double[] w2) {
            double[] h = new double[2];
            dense(x, w1, h);
            double[] o = new double[1];
            dense(h, w2, o);
            return o[0] * o[0] + h[1];
          }
          @Differentiable static double accumulates(double[] x, double c) {
            double[] acc = new double[x.length];
            for (int i = 0; i < x.length; i++) acc[i] = x[i] + 1;
            accumulate(x, c, acc);
            double first = acc[0];
            accumulate(x, c * c, acc);
            double s = first;
            for (int i = 0; i < acc.length; i++) s += acc[i];
            return s;
          }
          @Differentiable static float callsFloats(float[] x, @NoDerivative float[] t) {
            float[] o = new float[x.length];
            floats(x, t, o);
            return o[0] + o[1];
          }
          @Differentiable static double[] denseReturning(double[] x, double[] w, double[] out) {
            double[] o = new double[out.length];
            for (int i = 0; i < o.length; i++) o[i] = out[i];
            dense(x, w, o);
            return o;
          }
          @Differentiable static double[] accumulateReturning(double[] x, double c, double[] out) {
            double[] o = new double[out.length];
            for (int i = 0; i < o.length; i++) o[i] = out[i];
            accumulate(x, c, o);
            return o;
          }
          @Differentiable static double writtenThenFilled(double[] a, double[] b, double c) {
            a[0] = a[0] * c;
            accumulate(b, c, a);
            double s = a[0] * a[1];
            accumulate(b, s, a);
            return a[0] + a[1] * b[0];
          }
          @Differentiable static void writesItsParameterThenCalls(double[] x, double[] out) {
            out[0] = x[0] * x[1];
            out[1] = out[0] + x[1];
          }
        }
        """);
    on = Compiled.of(source);
    off = Compiled.of(List.of("-Aadjoint.analyses=off"), source);
  }

  static Stream<Arguments> points() {
    double[] w1 = {0.3, -0.5, 0.8, 0.1, -0.2, 0.6};
    double[] w2 = {0.9, -1.1};
    return Stream.of(
        Arguments.of("net", new Object[] {new double[] {0.5, -1.0, 2.0}, w1, w2}),
        Arguments.of("net", new Object[] {new double[] {-0.7, 0.4, 0.1}, w1, w2}),
        Arguments.of("accumulates", new Object[] {new double[] {0.5, -1.0, 2.0}, 0.7}),
        Arguments.of("accumulates", new Object[] {new double[] {0.5, -1.0, 2.0}, 2.6}),
        Arguments.of("callsFloats", new Object[] {new float[] {0.5f, -1.5f}, new float[] {2, 3}}),
        Arguments.of("writtenThenFilled", new Object[] {new double[] {0.5, -1.0},
            new double[] {0.75, 1.25}, 0.8}),
        Arguments.of("denseReturning", new Object[] {new double[] {0.5, -1.0, 2.0}, w1,
            new double[] {7, 8}}),
        Arguments.of("accumulateReturning", new Object[] {new double[] {0.5, -1.0},
            1.3, new double[] {0.25, 2}}),
        Arguments.of("accumulateReturning", new Object[] {new double[] {0.5, -1.0},
            6.5, new double[] {0.25, 2}}));
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("points")
  void callersMatchFiniteDifferences(String method, Object[] args) {
    ArrayGradientCheck.check(on, CLS, method, args);
    ArrayGradientCheck.check(off, CLS, method, args);
  }

  /**
   * The void helper's record form, {@code dense(x, w, out, seed)}, is the vector-Jacobian product
   * of the out-parameter's new values: the same as the array-returning wrapper's, which the
   * finite differences above check.
   */
  @Test
  void recordFormIsTheVectorJacobianProductOfTheOutParameter() throws Exception {
    double[] x = {0.5, -1.0, 2.0};
    double[] w = {0.3, -0.5, 0.8, 0.1, -0.2, 0.6};
    double[] seed = {1.5, -0.25};
    for (Compiled c : List.of(on, off)) {
      for (String[] pair : new String[][] {{"dense", "denseReturning"},
          {"accumulate", "accumulateReturning"}}) {
        Object[] args = pair[0].equals("dense")
            ? new Object[] {x.clone(), w.clone(), new double[] {7, 8}, seed.clone()}
            : new Object[] {new double[] {0.5, -1.0}, 1.3, new double[] {0.25, 2}, seed.clone()};
        Object[] copy = ArrayValues.deepCopy(args);
        Object voidRecord = c.invoke(CLS + "Grad", pair[0], args);
        Object wrapperRecord = c.invoke(CLS + "Grad", pair[1], copy);
        RecordComponent[] a = voidRecord.getClass().getRecordComponents();
        RecordComponent[] b = wrapperRecord.getClass().getRecordComponents();
        assertEquals(b.length, a.length);
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i].getName(), b[i].getName());
          Object u = a[i].getAccessor().invoke(voidRecord);
          Object v = b[i].getAccessor().invoke(wrapperRecord);
          if (u instanceof double[] du) {
            assertArrayEquals((double[]) v, du, 1e-12, pair[0] + " " + a[i].getName());
          } else {
            assertEquals((double) v, (double) u, 1e-12, pair[0] + " " + a[i].getName());
          }
        }
      }
    }
  }

  @Test
  void valueFormReturnsTheNewValuesAndModifiesNothing() {
    double[] x = {0.5, -1.0};
    double[] out = {0.25, 2};
    double[] expected = out.clone();
    on.invoke(CLS, "accumulate", x.clone(), 1.3, expected);
    double[] value = (double[]) on.invoke(CLS + "Grad", "accumulate", x, 1.3, out);
    assertArrayEquals(expected, value);
    assertArrayEquals(new double[] {0.25, 2}, out);
    assertArrayEquals(new double[] {0.5, -1.0}, x);
  }
}
