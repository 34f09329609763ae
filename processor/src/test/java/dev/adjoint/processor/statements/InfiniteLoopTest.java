package dev.adjoint.processor.statements;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code while (true)} and {@code for (;;)} loops left by {@code return} and {@code break}, nested
 * and inside branches: gradients against finite differences on every path, with and without the
 * analyses.
 */
class InfiniteLoopTest {
  private static final String CLS = "p.Forever";
  private static Compiled on;
  private static Compiled off;

  @BeforeAll
  static void compile() {
    JavaFileObject source = Compiled.source(CLS, """
        package p;
        import dev.adjoint.*;
        class Forever {
          @Differentiable static double halve(double x) {
            double y = x;
            while (true) {
              y = y * 0.5;
              if (y < 1) return y;
            }
          }
          @Differentiable static double halveFor(double x) {
            double y = x;
            for (;;) {
              y = y * 0.5 + Math.sin(y) * 0.1;
              if (y < 1) {
                return y * x;
              }
            }
          }
          @Differentiable static double breakOrReturn(double x, double c) {
            double y = x;
            int n = 0;
            while (true) {
              n++;
              y = y * c;
              if (y > 10) break;
              if (n > 5) return y * y;
            }
            return y + x;
          }
          @Differentiable static double inBranch(double x, double c) {
            double y = x;
            if (x > 0) {
              for (;;) {
                y = y * c;
                if (y > 3) return y;
              }
            } else {
              y = y * y;
            }
            return y * c;
          }
          @Differentiable static double nested(double x, double c) {
            double s = x;
            while (true) {
              s = s * c;
              int k = 0;
              while (true) {
                s = s + Math.sin(s) * 0.25;
                k++;
                if (s > 20) return s * x;
                if (k >= 3) break;
              }
              if (s < -20) return -s;
            }
          }
          @Differentiable static double[] scaled(double[] x, double c) {
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) out[i] = x[i];
            while (true) {
              for (int i = 0; i < x.length; i++) out[i] = out[i] * c;
              if (Math.abs(out[0]) > 5) return out;
            }
          }
          @Differentiable static float floats(float x, float c) {
            float y = x;
            for (;;) {
              if (y > 8) {
                if (c > 0) return y * c;
                return y;
              }
              y = y * c + 1;
            }
          }
        }
        """);
    on = Compiled.of(source);
    off = Compiled.of(List.of("-Aadjoint.analyses=off"), source);
  }

  static Stream<Arguments> points() {
    return Stream.of(
        Arguments.of("halve", new Object[] {13.7}),
        Arguments.of("halve", new Object[] {0.3}),
        Arguments.of("halveFor", new Object[] {25.1}),
        Arguments.of("breakOrReturn", new Object[] {1.3, 2.1}),
        Arguments.of("breakOrReturn", new Object[] {1.3, 1.1}),
        Arguments.of("inBranch", new Object[] {0.7, 1.9}),
        Arguments.of("inBranch", new Object[] {-0.7, 1.9}),
        Arguments.of("nested", new Object[] {1.1, 1.6}),
        Arguments.of("nested", new Object[] {-1.1, 1.6}),
        Arguments.of("scaled", new Object[] {new double[] {0.7, -0.2, 1.1}, 1.7}),
        Arguments.of("floats", new Object[] {1.5f, 1.5f}),
        Arguments.of("floats", new Object[] {1.5f, -1.5f}));
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("points")
  void gradientsMatchFiniteDifferences(String method, Object[] args) {
    ArrayGradientCheck.check(on, CLS, method, args);
    ArrayGradientCheck.check(off, CLS, method, args);
  }
}
