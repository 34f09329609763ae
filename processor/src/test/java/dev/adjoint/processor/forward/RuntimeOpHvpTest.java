package dev.adjoint.processor.forward;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.adjoint.processor.testing.Compiled.source;

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
 * Hessian-vector products of losses that call Adjoint's runtime ops (dense, the activations,
 * the losses): the directional derivative calls the ops' JVPs, and its reverse sweep the
 * pullbacks of those JVPs. Checked against central finite differences of the generated
 * gradient and for symmetry, with the analyses on and off (also a user's JVP with a pullback of
 * its own); and an op whose JVP has no pullback is an error naming it.
 */
class RuntimeOpHvpTest {
  private static final String CLS = "p.Ops";

  private static JavaFileObject opsSource() {
    return source(CLS, """
        package p;
        import dev.adjoint.*;
        import dev.adjoint.ops.*;
        class Ops {
          /** A two-layer MLP's softmax cross-entropy (relu of sigmoid: no kink in reach). */
          @Differentiable(hessian = true)
          static float mlp(float[] w1, float[] b1, float[] w2, float[] b2,
              @NoDerivative float[] x, int[] labels, int batch, int in, int hidden, int classes) {
            float[] h = Activations.tanh(Dense.dense(x, w1, b1, batch, in, hidden));
            float[] r = Activations.relu(Activations.sigmoid(h));
            float[] logits = Dense.dense(r, w2, b2, batch, hidden, classes);
            return Losses.softmaxCrossEntropy(logits, labels, batch, classes);
          }
          /** Differentiable in the input too, and the losses of probabilities. */
          @Differentiable(hessian = true)
          static float regression(float[] w, float[] b, float[] x,
              @NoDerivative float[] target, int batch, int in) {
            float[] p = Activations.sigmoid(Dense.dense(x, w, b, batch, in, 1));
            return Losses.meanSquaredError(p, target, batch)
                + 0.5f * Losses.binaryCrossEntropy(p, target, batch);
          }
          /** Ops in a loop over layers, a scalar weight, and a plain loop beside them. */
          @Differentiable(hessian = true)
          static float layers(float[][] w, float[][] b, float s, @NoDerivative float[] x,
              int[] labels, int width) {
            float[] h = x;
            for (int l = 0; l < w.length; l++) {
              float[] z = Dense.dense(h, w[l], b[l], 1, width, width);
              for (int i = 0; i < width; i++) z[i] = z[i] * s;
              h = Activations.tanh(z);
            }
            return Losses.softmaxCrossEntropy(h, labels, 1, width);
          }
          static double[] cube(double[] x) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = x[i] * x[i] * x[i];
            return y;
          }
          @DerivativeOf("cube")
          static void cubeBackward(double[] x, double[] seed, double[] dX) {
            for (int i = 0; i < x.length; i++) dX[i] += 3 * x[i] * x[i] * seed[i];
          }
          @JvpOf("cube")
          static double[] cubeJvp(double[] x, double[] value, double[] tX) {
            double[] t = new double[x.length];
            for (int i = 0; i < x.length; i++) t[i] = 3 * x[i] * x[i] * tX[i];
            return t;
          }
          /** A user's JVP with a pullback of its own, as the ops' JVPs have. */
          @DerivativeOf("cubeJvp")
          static void cubeJvpBackward(double[] x, @NoDerivative double[] value, double[] tX,
              double[] seed, double[] dX, double[] dTX) {
            for (int i = 0; i < x.length; i++) {
              if (dX != null) dX[i] += 6 * x[i] * tX[i] * seed[i];
              if (dTX != null) dTX[i] += 3 * x[i] * x[i] * seed[i];
            }
          }
          @Differentiable(hessian = true)
          static double cubes(double[] x, double c) {
            double[] y = cube(x);
            return y[0] * y[1] * c + Math.sin(y[2] * c);
          }
        }
        """);
  }

  static Stream<Arguments> cases() {
    Random r = new Random(4);
    return Stream.of(
        Arguments.of("mlp", new Object[] {floats(r, 4 * 5), floats(r, 5), floats(r, 5 * 3),
            floats(r, 3), floats(r, 2 * 4), new int[] {2, 0}, 2, 4, 5, 3}),
        Arguments.of("regression", new Object[] {floats(r, 3), floats(r, 1), floats(r, 4 * 3),
            new float[] {0.2f, 0.9f, 0.5f, 0.1f}, 4, 3}),
        Arguments.of("layers", new Object[] {new float[][] {floats(r, 9), floats(r, 9)},
            new float[][] {floats(r, 3), floats(r, 3)}, 1.3f, floats(r, 3), new int[] {1},
            3}),
        Arguments.of("cubes", new Object[] {new double[] {0.7, -0.4, 0.9}, 1.3}));
  }

  private static float[] floats(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (2 * r.nextDouble() - 1);
    }
    return a;
  }

  private static final OnAndOff COMPILED = new OnAndOff(CLS, RuntimeOpHvpTest::opsSource);

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hvpMatchesFiniteDifferencesOfTheGradient(String method, Object[] args) {
    COMPILED.hvp(method, args);
  }

  @Test
  void theReverseSweepCallsThePullbacksOfTheOpsJvps() {
    String generated = COMPILED.compiled(true).generatedSource(CLS + "Grad");
    for (String call : List.of("Dense.denseJvpBackward(", "Activations.tanhJvpBackward(",
        "Activations.sigmoidJvpBackward(", "Activations.reluJvpBackward(",
        "Losses.softmaxCrossEntropyJvpBackward(", "Losses.meanSquaredErrorJvpBackward(",
        "Losses.binaryCrossEntropyJvpBackward(")) {
      if (!generated.contains(call)) {
        throw new AssertionError("no call " + call + " in\n" + generated);
      }
    }
  }

  /** An op of the runtime's package whose JVP has no pullback of its own. */
  @Test
  void anOpWhoseJvpHasNoPullbackIsAnErrorNamingIt() {
    JavaFileObject op = source("dev.adjoint.ops.Squares", """
        package dev.adjoint.ops;
        import dev.adjoint.*;
        public final class Squares {
          public static float[] square(float[] z) {
            float[] y = new float[z.length];
            for (int i = 0; i < z.length; i++) y[i] = z[i] * z[i];
            return y;
          }
          @DerivativeOf("square")
          public static void squareBackward(float[] z, float[] seed, float[] dZ) {
            for (int i = 0; i < z.length; i++) dZ[i] += 2 * z[i] * seed[i];
          }
          @JvpOf("square")
          public static float[] squareJvp(float[] z, float[] value, float[] tZ) {
            float[] t = new float[z.length];
            for (int i = 0; i < z.length; i++) t[i] = 2 * z[i] * tZ[i];
            return t;
          }
        }
        """);
    JavaFileObject src = source("p.UsesSquares", """
        package p;
        import dev.adjoint.*;
        class UsesSquares {
          @Differentiable(hessian = true)
          static float f(float[] x) {
            float[] y = dev.adjoint.ops.Squares.square(x);
            return y[0] * y[1];
          }
        }
        """);
    Compilation c = Compiled.compile(List.of(), op, src);
    assertThat(c).hadErrorContaining("[AdjointHessianRuntimeOp] hessian = true differentiates "
        + "the hand-written JVP Squares.squareJvp of Adjoint's runtime op Squares.square once "
        + "more, in reverse mode, and this op's JVP has no pullback "
        + "(@DerivativeOf(\"squareJvp\"))").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("write the operation in plain loops in a @Differentiable "
        + "method of your own (@Differentiable static float[] square(float[] z))");
    assertThat(c).hadErrorCount(1);
  }
}
