package dev.adjoint.processor.forward;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.adjoint.processor.testing.Compiled.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-written JVPs ({@code @JvpOf}) in forward mode: user functions with a pullback and a JVP,
 * and Adjoint's own ops from the runtime jar (dense, activations, losses), checked against
 * finite differences of the function and against the reverse-mode gradient (which uses the
 * pullbacks), with the analyses on and off; and the errors where a tangent cannot be had.
 */
class CustomJvpTest {
  private static final String CLS = "p.Cj";

  static JavaFileObject cjSource() {
    return source(CLS, """
        package p;
        import dev.adjoint.*;
        import dev.adjoint.ops.*;
        class Cj {
          static double softplus(double x) { return Math.log1p(Math.exp(x)); }
          @DerivativeOf("softplus")
          static double softplusPullback(double x, double seed) {
            return seed / (1 + Math.exp(-x));
          }
          @JvpOf("softplus")
          static double softplusJvp(double x, double value, double tX) {
            return tX / (1 + Math.exp(-x));
          }
          /** y[i] = w[i] * x[i]^2, hand-differentiated both ways. */
          static double[] weighted(double[] x, double[] w) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = w[i] * x[i] * x[i];
            return y;
          }
          @DerivativeOf("weighted")
          static void weightedPullback(double[] x, double[] w, double[] seed, double[] dX,
              double[] dW) {
            for (int i = 0; i < x.length; i++) {
              if (dX != null) dX[i] += seed[i] * 2 * w[i] * x[i];
              if (dW != null) dW[i] += seed[i] * x[i] * x[i];
            }
          }
          @JvpOf("weighted")
          static double[] weightedJvp(double[] x, double[] w, double[] value, double[] tX,
              double[] tW) {
            double[] t = new double[x.length];
            for (int i = 0; i < x.length; i++) {
              if (tX != null) t[i] += 2 * w[i] * x[i] * tX[i];
              if (tW != null) t[i] += x[i] * x[i] * tW[i];
            }
            return t;
          }
          @Differentiable(forward = true)
          static double scalars(double x, double y) {
            double a = softplus(x * y) + softplus(3);
            return a * softplus(y - a) + (x > 0 ? softplus(x) : y);
          }
          @Differentiable(forward = true)
          static double arrays(double[] x, double[] w, @NoDerivative double[] c) {
            double[] y = weighted(x, c);
            double[] z = weighted(y, w);
            double s = 0;
            for (int i = 0; i < z.length; i++) s += z[i] + softplus(y[i]);
            return s;
          }
          @Differentiable(forward = true)
          static float mlp(float[] w1, float[] b1, float[] w2, float[] b2,
              @NoDerivative float[] x, int[] labels, int batch, int in, int hidden, int classes) {
            float[] h = Activations.tanh(Dense.dense(x, w1, b1, batch, in, hidden));
            float[] g = Activations.sigmoid(h);
            float[] r = Activations.relu(g);
            float[] logits = Dense.dense(r, w2, b2, batch, hidden, classes);
            return Losses.softmaxCrossEntropy(logits, labels, batch, classes);
          }
          @Differentiable(forward = true)
          static float regression(float[] w, float[] b, @NoDerivative float[] x,
              @NoDerivative float[] target, int batch, int in) {
            float[] p = Activations.sigmoid(Dense.dense(x, w, b, batch, in, 1));
            return Losses.meanSquaredError(p, target, batch)
                + Losses.binaryCrossEntropy(p, target, batch);
          }
          @Differentiable(forward = true)
          static float[] layer(float[] x, float[] w, float[] b) {
            return Activations.tanh(Dense.dense(x, w, b, 2, 3, 2));
          }
        }
        """);
  }

  static Stream<Arguments> cases() {
    Random r = new Random(3);
    return Stream.of(
        Arguments.of("scalars", new Object[] {0.6, -0.4}),
        Arguments.of("scalars", new Object[] {-0.6, 1.4}),
        Arguments.of("arrays", new Object[] {new double[] {0.3, -0.7, 1.1},
            new double[] {0.5, 1.5, -0.25}, new double[] {1.0, -2.0, 0.5}}),
        Arguments.of("mlp", new Object[] {floats(r, 4 * 5), floats(r, 5), floats(r, 5 * 3),
            floats(r, 3), floats(r, 2 * 4), new int[] {2, 0}, 2, 4, 5, 3}),
        Arguments.of("regression", new Object[] {floats(r, 3), floats(r, 1),
            floats(r, 4 * 3), new float[] {0.2f, 0.9f, 0.5f, 0.1f}, 4, 3}),
        Arguments.of("layer", new Object[] {floats(r, 6), floats(r, 6), floats(r, 2)}));
  }

  private static float[] floats(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble() - 0.5);
    }
    return a;
  }

  private static final OnAndOff COMPILED = new OnAndOff(CLS, CustomJvpTest::cjSource);

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void jvpMatchesFiniteDifferencesAndThePullbacks(String method, Object[] args) {
    COMPILED.jvp(method, args);
  }

  @Test
  void closedForm() {
    // d softplus(x) = sigmoid(x) dx; at 0 along 2: 1
    Object r = COMPILED.compiled(true).invoke(CLS + "Grad", "scalarsJvp", 0.0, 0.0, 2.0, 0.0);
    double s3 = Math.log1p(Math.exp(3));
    double a = Math.log(2) + s3;
    // a = softplus(xy) + softplus(3): ta = sigmoid(0) (x ty + y tx) = 0 at x = y = 0;
    // f = a softplus(y - a) + y (x = 0 takes the else branch): tf = a sigmoid(-a) (-ta) + ty
    assertEquals(a * Math.log1p(Math.exp(-a)), ((Number) component(r, "value")).doubleValue(),
        1e-12);
    assertEquals(0.0, ((Number) component(r, "tangent")).doubleValue(), 1e-12);
  }

  private static JavaFileObject file(String... lines) {
    return Compiled.source("p.Bad", String.join("\n", lines));
  }

  @Test
  void pullbackWithoutJvpIsAnErrorNamingIt() {
    JavaFileObject source = file(
        "package p;",
        "import dev.adjoint.*;",
        "class Bad {",
        "  static double soft(double x) { return Math.log1p(Math.exp(x)); }",
        "  @DerivativeOf(\"soft\") static double softPullback(double x, double seed) {",
        "    return seed / (1 + Math.exp(-x));",
        "  }",
        "  @Differentiable(forward = true)",
        "  static double f(double x) {",
        "    double y = x * 2;",
        "    return soft(y);",
        "  }",
        "  @Differentiable(forward = true)",
        "  static double constantArgumentIsFine(double x, @NoDerivative double c) {",
        "    return x * soft(c);",
        "  }",
        "}");
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorContaining("[AdjointForwardCustomDerivative] Bad.soft has a "
        + "hand-written pullback (@DerivativeOf) but no hand-written JVP").inFile(source)
        .onLine(11);
    assertThat(c).hadErrorContaining("@JvpOf(\"soft\") (static double softJvp(double x, double "
        + "value, double tX))").inFile(source).onLine(11);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void malformedJvpsAndDroppedTangents() {
    JavaFileObject source = file(
        "package p;",
        "import dev.adjoint.*;",
        "class Bad {",
        "  static double soft(double x, double y) { return x * y; }",
        "  @DerivativeOf(\"soft\") static double softPullback(double x, @NoDerivative double y,",
        "      double seed) { return seed * y; }",
        "  @JvpOf(\"soft\") static double softJvp(double x, @NoDerivative double y, double value,",
        "      double tX) { return tX * y; }",
        "  @JvpOf(\"soft\") static double wrong(double x, double y, double tX) { return tX; }",
        "  @JvpOf(\"nothing\") static double none(double x) { return x; }",
        "  @Differentiable(forward = true)",
        "  static double f(double x) {",
        "    return soft(x, x);",
        "  }",
        "}");
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorContaining("[AdjointJvpSignature] the JVP of Bad.soft(double, double) "
        + "must be: static double wrong(double x, double y, double value, double tX, double tY);"
        + " it has 3 parameters, not 5").inFile(source).onLine(9);
    assertThat(c).hadErrorContaining("[AdjointJvpOfNoTarget] @JvpOf(\"nothing\") names no static "
        + "method nothing in p.Bad").inFile(source).onLine(10);
  }

  @Test
  void droppedTangent() {
    JavaFileObject source = file(
        "package p;",
        "import dev.adjoint.*;",
        "class Bad {",
        "  static double dot(double[] a, double[] b) { return a[0] * b[0]; }",
        "  @DerivativeOf(\"dot\") static void dotPullback(double[] a, double[] b, double seed,",
        "      double[] dA, double[] dB) { }",
        "  @JvpOf(\"dot\") static double dotJvp(double[] a, @NoDerivative double[] b,",
        "      double value, double[] tA) { return tA == null ? 0 : tA[0] * b[0]; }",
        "  @Differentiable(forward = true)",
        "  static double f(double[] x, @NoDerivative double[] c) {",
        "    double a = dot(x, c);",
        "    return a + dot(c, x);",
        "  }",
        "}");
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorContaining("[AdjointForwardJvpDrops] this argument carries a tangent, "
        + "but parameter 'b' of Bad.dot is @NoDerivative in its hand-written JVP Bad.dotJvp")
        .inFile(source).onLine(12);
    assertThat(c).hadErrorCount(1);
  }

  private static Object component(Object record, String name) {
    try {
      return record.getClass().getMethod(name).invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
