package dev.adjoint.processor.forward;

import static dev.adjoint.processor.testing.Compiled.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.Compiled;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JVPs and Hessian-vector products of functions taking and returning records and of
 * {@code @Differentiable} instance methods of records: the tangent of a record parameter (and
 * of the receiver, first) is a record of its type. JVPs against central finite differences of
 * the function and against the reverse-mode gradient, HVPs against central finite differences of
 * the generated gradient and for symmetry, with the analyses on and off.
 */
class RecordForwardTest {
  static final String CLS = "p.Rec";

  static JavaFileObject recSource() {
    return source(CLS, """
        package p;
        import dev.adjoint.*;
        class Rec {
          record Layer(double[] w, double b) {}
          record Params(Layer hidden, double[] v, double c, int n) {}
          record FParams(float[] w, float s) {}

          @Differentiable(forward = true, hessian = true)
          static double loss(Params p, @NoDerivative double[] x) {
            double s = p.c();
            for (int i = 0; i < p.n(); i++) {
              double z = p.hidden().b();
              for (int j = 0; j < x.length; j++) {
                z += p.hidden().w()[j] * x[j] * p.v()[i % p.v().length];
              }
              s += Math.tanh(z) * p.v()[i % p.v().length];
            }
            return s * s;
          }

          @Differentiable(forward = true, hessian = true)
          static double helper(Layer l, double[] x) {
            double z = l.b();
            for (int j = 0; j < x.length; j++) {
              z += l.w()[j] * x[j];
            }
            return Math.sin(z) * z;
          }

          @Differentiable(forward = true, hessian = true)
          static double created(double[] w, double b, double[] x) {
            Layer l = new Layer(w, b * 2);
            return helper(l, x) + l.b() * helper(new Layer(x, b), w);
          }

          @Differentiable(forward = true, hessian = true)
          static double nested(Params p, double t) {
            Layer h = p.hidden();
            return helper(h, p.v()) * t + Math.exp(p.c() * t) + h.b() * p.n();
          }

          @Differentiable(forward = true, hessian = true)
          static double frozen(@NoDerivative Layer l, double s, int k) {
            double a = helper(l, l.w()) * s;
            switch (k) {
              case 0: return a * a;
              default: return a * s + l.b();
            }
          }

          @Differentiable(forward = true)
          static Layer make(double[] w, double b) {
            double[] r = new double[w.length];
            for (int i = 0; i < w.length; i++) {
              r[i] = w[i] * w[i] * b;
            }
            return new Layer(r, Math.sin(b) * w[0]);
          }

          @Differentiable(forward = true)
          static Params makeParams(Params p, double s) {
            Layer h = new Layer(p.v(), p.hidden().b() * s);
            return new Params(h, p.hidden().w(), p.c() * p.c(), p.n() + 1);
          }

          @Differentiable(forward = true, hessian = true)
          static float floats(FParams p, float x) {
            float s = 0;
            for (int i = 0; i < p.w().length; i++) {
              s += p.w()[i] * p.w()[i] * x + p.s();
            }
            return s * p.s();
          }

          record Mlp(double[][] w, double[] b) {
            @Differentiable(forward = true, hessian = true)
            double layer(double[] h, int l) {
              double z = b[l];
              for (int j = 0; j < h.length; j++) {
                z += w[l][j] * h[j];
              }
              return Math.tanh(z);
            }

            @Differentiable(forward = true, hessian = true)
            double loss(@NoDerivative double[] x, double y) {
              double a = this.layer(x, 0);
              double c = layer(x, 1);
              double e = a * c + w()[0][1] - y;
              return e * e;
            }
          }

          @Differentiable(forward = true, hessian = true)
          static double useModel(Mlp m, @NoDerivative double[] x, double u) {
            return m.loss(x, u) + m.layer(x, 1) * u * u;
          }
        }
        """);
  }

  private static Object layer(Compiled c, double[] w, double b) {
    return make(c, CLS + "$Layer", w, b);
  }

  private static Object params(Compiled c, Object hidden, double[] v, double cc, int n) {
    return make(c, CLS + "$Params", hidden, v, cc, n);
  }

  private static Object make(Compiled c, String cls, Object... args) {
    try {
      Constructor<?> k = c.load(cls).getDeclaredConstructors()[0];
      k.setAccessible(true);
      return k.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** (method, owner, args) where args are built against a compilation. */
  interface Args {
    Object[] of(Compiled c);
  }

  static Stream<Arguments> cases() {
    Args lossArgs = c -> new Object[] {params(c, layer(c, new double[] {0.3, -0.4}, 0.2),
        new double[] {0.7, -0.5, 1.1}, 0.4, 3), new double[] {0.9, -1.2}};
    return Stream.of(
        Arguments.of("loss", CLS, lossArgs, true),
        Arguments.of("helper", CLS, (Args) c -> new Object[] {
            layer(c, new double[] {0.3, -0.4, 0.8}, 0.2), new double[] {0.5, 0.1, -0.7}}, true),
        Arguments.of("created", CLS, (Args) c -> new Object[] {new double[] {0.3, -0.4},
            0.6, new double[] {0.5, 0.1}}, true),
        Arguments.of("nested", CLS, (Args) c -> new Object[] {params(c,
            layer(c, new double[] {0.3, -0.4}, 0.2), new double[] {0.7, -0.5}, 0.4, 2), 0.8},
            true),
        Arguments.of("frozen", CLS, (Args) c -> new Object[] {
            layer(c, new double[] {0.3, -0.4}, 0.2), 0.7, 0}, true),
        Arguments.of("frozen", CLS, (Args) c -> new Object[] {
            layer(c, new double[] {0.3, -0.4}, 0.2), 0.7, 1}, true),
        Arguments.of("make", CLS, (Args) c -> new Object[] {new double[] {0.3, -0.4}, 0.6},
            false),
        Arguments.of("makeParams", CLS, (Args) c -> new Object[] {params(c,
            layer(c, new double[] {0.3, -0.4}, 0.2), new double[] {0.7, -0.5}, 0.4, 2), 0.8},
            false),
        Arguments.of("floats", CLS, (Args) c -> new Object[] {make(c, CLS + "$FParams",
            new float[] {0.3f, -0.4f}, 0.6f), 0.7f}, true),
        Arguments.of("layer", CLS + "$Mlp", (Args) c -> new Object[] {mlp(c),
            new double[] {0.5, -0.3}, 1}, true),
        Arguments.of("loss", CLS + "$Mlp", (Args) c -> new Object[] {mlp(c),
            new double[] {0.5, -0.3}, 0.2}, true),
        Arguments.of("useModel", CLS, (Args) c -> new Object[] {mlp(c),
            new double[] {0.5, -0.3}, 0.4}, true));
  }

  private static Object mlp(Compiled c) {
    return make(c, CLS + "$Mlp", new double[][] {{0.3, -0.6}, {0.8, 0.4}},
        new double[] {0.1, -0.2});
  }

  private static Compiled on;
  private static Compiled off;

  static Compiled compiled(boolean analyses) {
    if (on == null) {
      on = Compiled.of(recSource());
      off = Compiled.of(List.of("-A" + AdjointProcessor.ANALYSES_OPTION + "=off"), recSource());
    }
    return analyses ? on : off;
  }

  @ParameterizedTest(name = "{1}.{0}")
  @MethodSource("cases")
  void jvpAndHvpOfRecords(String method, String owner, Args args, boolean hessian) {
    for (boolean analyses : new boolean[] {true, false}) {
      Compiled c = compiled(analyses);
      ForwardCheck check = new ForwardCheck(c, owner, method);
      Random random = new Random(method.hashCode());
      for (int k = 0; k < 3; k++) {
        check.jvp(args.of(c), random);
        if (hessian) {
          check.hvp(args.of(c), random);
        }
      }
    }
  }

  @Test
  void tangentOfARecordIsARecordOfItsType() {
    Compiled c = compiled(true);
    // helper(l, x) = sin(z) z, z = b + w.x: along tL = (tw, tb), tX the tangent is
    // (cos(z) z + sin(z)) (tb + tw.x + w.tX)
    double[] w = {0.3, -0.4};
    double[] x = {0.5, 0.1};
    double[] tw = {1.0, 2.0};
    double[] tx = {-0.5, 0.25};
    double z = 0.2 + w[0] * x[0] + w[1] * x[1];
    double dz = 0.7 + tw[0] * x[0] + tw[1] * x[1] + w[0] * tx[0] + w[1] * tx[1];
    Object r = c.invoke(CLS + "Grad", "helperJvp", layer(c, w, 0.2), x, layer(c, tw, 0.7), tx);
    assertEquals((Math.cos(z) * z + Math.sin(z)) * dz,
        ((Number) component(r, "tangent")).doubleValue(), 1e-12);
  }

  static Object component(Object record, String name) {
    try {
      var m = record.getClass().getMethod(name);
      m.setAccessible(true);
      return m.invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
