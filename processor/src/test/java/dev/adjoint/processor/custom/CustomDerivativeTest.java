package dev.adjoint.processor.custom;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-written derivatives registered with {@code @DerivativeOf}. */
class CustomDerivativeTest {
  /** A library the user does not own: plain static methods, no annotations. */
  private static final JavaFileObject LIBRARY = Compiled.source("lib.Kernels",
      "package lib;",
      "public final class Kernels {",
      "  private Kernels() {}",
      "  public static double softplus(double x) {",
      "    return x > 30 ? x : Math.log1p(Math.exp(x));",
      "  }",
      "  public static double[] scaleAdd(double[] x, double[] y, double a) {",
      "    double[] out = new double[x.length];",
      "    for (int i = 0; i < x.length; i++) out[i] = a * x[i] + y[i];",
      "    return out;",
      "  }",
      "  public static int count(double x) { return 1; }",
      "  public static double product(double x, double y) { return x * y; }",
      "  public static double sumSquares(double[] x) {",
      "    double s = 0;",
      "    for (double v : x) s += v * v;",
      "    return s;",
      "  }",
      "}");

  private static final JavaFileObject DERIVATIVES = Compiled.source("p.KernelDerivatives",
      "package p;",
      "import dev.adjoint.DerivativeOf;",
      "import lib.Kernels;",
      "final class KernelDerivatives {",
      "  static int calls;",
      "  @DerivativeOf(value = \"softplus\", in = Kernels.class)",
      "  static double softplus(double x, double seed) {",
      "    calls++;",
      "    return seed / (1 + Math.exp(-x));",
      "  }",
      "  @DerivativeOf(value = \"scaleAdd\", in = Kernels.class)",
      "  static double scaleAddBackward(double[] x, double[] y, double a, double[] seed,",
      "      double[] dX, double[] dY) {",
      "    double dA = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      if (dX != null) dX[i] += a * seed[i];",
      "      if (dY != null) dY[i] += seed[i];",
      "      dA += x[i] * seed[i];",
      "    }",
      "    return dA;",
      "  }",
      "  @DerivativeOf(value = \"sumSquares\", in = Kernels.class)",
      "  static void sumSquaresBackward(double[] x, double seed, double[] dX) {",
      "    for (int i = 0; i < x.length; i++) dX[i] += 2 * x[i] * seed;",
      "  }",
      "}");

  private static final JavaFileObject MODEL = Compiled.source("p.Model",
      "package p;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "import lib.Kernels;",
      "final class Model {",
      "  @Differentiable static double scalar(double w, double x) {",
      "    return Kernels.softplus(w * x) * w;",
      "  }",
      "  @Differentiable static double arrays(double[] x, double[] y, double a) {",
      "    double[] z = Kernels.scaleAdd(x, y, a);",
      "    return Kernels.sumSquares(z);",
      "  }",
      "  @Differentiable static double nested(double[] x, @NoDerivative double[] y, double a) {",
      "    return Kernels.sumSquares(Kernels.scaleAdd(x, y, a * a)) + a;",
      "  }",
      "}");

  @Test
  void callsUseTheRegisteredPullback() throws Exception {
    Compiled c = Compiled.of(LIBRARY, DERIVATIVES, MODEL);
    assertTrue(c.generatedSource("p.ModelGrad").contains("KernelDerivatives.softplus("),
        c.generatedSource("p.ModelGrad"));
    ArrayGradientCheck.check(c, "p.Model", "scalar", 0.7, -1.3);
    var calls = c.load("p.KernelDerivatives").getDeclaredField("calls");
    calls.setAccessible(true);
    assertTrue(calls.getInt(null) > 0, "the hand-written derivative was called");
    ArrayGradientCheck.check(c, "p.Model", "arrays", new double[] {0.5, -1, 2},
        new double[] {0.1, 0.2, -0.3}, 1.5);
    ArrayGradientCheck.check(c, "p.Model", "nested", new double[] {0.5, -1, 2},
        new double[] {0.1, 0.2, -0.3}, 0.8);
  }

  @Test
  void unneededBuffersArePassedAsNull() {
    Compiled c = Compiled.of(LIBRARY, DERIVATIVES, MODEL);
    assertTrue(c.generatedSource("p.ModelGrad").contains(", null)"),
        c.generatedSource("p.ModelGrad"));
  }

  @Test
  void pullbackInTheFunctionsOwnClassIsFoundFromAnotherCompilation() {
    JavaFileObject ops = Compiled.source("q.Ops",
        "package q;",
        "import dev.adjoint.DerivativeOf;",
        "public final class Ops {",
        "  public static double cube(double x) { return x * x * x; }",
        "  @DerivativeOf(\"cube\")",
        "  public static double cubeBackward(double x, double seed) { return 3 * x * x * seed; }",
        "}");
    JavaFileObject user = Compiled.source("p.User",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "final class User {",
        "  @Differentiable static double f(double x) { return q.Ops.cube(x) + x; }",
        "}");
    Compiled c = Compiled.of(ops, user);
    assertArrayEquals(new double[] {10, 13}, c.gradient("p.User", "f", 2.0), 1e-12);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "wrong seed type | static double softplus(double x, float seed) { return 0; }"
        + " | AdjointPullbackSeedType | the seed (parameter 2) must be double, not float",
    "missing seed | static double softplus(double x) { return 0; }"
        + " | AdjointPullbackParameterCount"
        + " | must be: static double softplus(double x, double seed)",
    "wrong return | static void softplus(double x, double seed) { }"
        + " | AdjointPullbackReturnScalar | it must return double",
    "not static | double softplus(double x, double seed) { return 0; }"
        + " | AdjointPullbackNotStatic | @DerivativeOf method must be static",
    "extra buffer | static double softplus(double x, double seed, double[] d) { return 0; }"
        + " | AdjointPullbackBufferCount | one buffer per differentiable array parameter",
  })
  void wrongSignaturesAreErrorsOnThePullback(String name, String method, String id,
      String message) {
    wrongSignatureOf("softplus", method, id, message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "integral result | count | static double count(double x, int seed) { return 0; }"
        + " | AdjointPullbackOfNonFloating | returns int, which has no derivative",
    "parameter type | softplus | static double softplus(float x, double seed) { return 0; }"
        + " | AdjointPullbackParameterType | parameter 1 must be double, not float",
    "two scalars | product | static double product(double x, double y, double seed) {"
        + " return 0; } | AdjointPullbackSeveralScalars"
        + " | custom derivatives of functions with several differentiable scalar parameters",
    "buffer type | sumSquares"
        + " | static void sumSquares(double[] x, double seed, float[] dX) { }"
        + " | AdjointPullbackBufferType | buffer 1 must be double[], not float[]",
    "returns a value | sumSquares"
        + " | static double sumSquares(double[] x, double seed, double[] dX) { return 0; }"
        + " | AdjointPullbackReturnVoid | it must return void, not double",
  })
  void wrongSignaturesOfOtherTargets(String name, String target, String method, String id,
      String message) {
    wrongSignatureOf(target, method, id, message);
  }

  @Test
  void twoPullbacksOfOneFunctionAreAnError() {
    JavaFileObject source = Compiled.source("p.Bad",
        "package p;",
        "import dev.adjoint.DerivativeOf;",
        "import lib.Kernels;",
        "final class Bad {",
        "  @DerivativeOf(value = \"softplus\", in = Kernels.class)",
        "  static double one(double x, double seed) { return seed; }",
        "  @DerivativeOf(value = \"softplus\", in = Kernels.class)",
        "  static double two(double x, double seed) { return seed; }",
        "}");
    Compilation c = Compiled.compile(List.of(), LIBRARY, source);
    assertThat(c).hadErrorContaining("[AdjointDerivativeOfDuplicate] another @DerivativeOf "
        + "method is already registered for").inFile(source).onLine(8);
  }

  @Test
  void twoJvpsOfOneFunctionAreAnError() {
    JavaFileObject source = Compiled.source("p.Bad",
        "package p;",
        "import dev.adjoint.JvpOf;",
        "import lib.Kernels;",
        "final class Bad {",
        "  @JvpOf(value = \"softplus\", in = Kernels.class)",
        "  static double one(double x, double y, double tX) { return tX; }",
        "  @JvpOf(value = \"softplus\", in = Kernels.class)",
        "  static double two(double x, double y, double tX) { return tX; }",
        "}");
    Compilation c = Compiled.compile(List.of(), LIBRARY, source);
    assertThat(c).hadErrorContaining("[AdjointJvpOfDuplicate] another @JvpOf method is already "
        + "registered for").inFile(source).onLine(8);
  }

  private static void wrongSignatureOf(String target, String method, String id, String message) {
    JavaFileObject source = Compiled.source("p.Bad",
        "package p;",
        "import dev.adjoint.DerivativeOf;",
        "import lib.Kernels;",
        "final class Bad {",
        "  @DerivativeOf(value = \"" + target + "\", in = Kernels.class)",
        "  " + method,
        "}");
    Compilation c = Compiled.compile(List.of(), LIBRARY, source);
    assertThat(c).hadErrorContaining("[" + id + "] ").inFile(source).onLine(6);
    assertThat(c).hadErrorContaining(message).inFile(source).onLine(6);
  }

  @Test
  void unknownTargetIsAnError() {
    JavaFileObject source = Compiled.source("p.Bad",
        "package p;",
        "import dev.adjoint.DerivativeOf;",
        "final class Bad {",
        "  @DerivativeOf(\"nothing\")",
        "  static double nothing2(double x, double seed) { return 0; }",
        "}");
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorContaining("[AdjointDerivativeOfNoTarget] @DerivativeOf(\"nothing\") "
        + "names no static method nothing in p.Bad").inFile(source).onLine(5);
    assertEquals(1, c.errors().size());
  }
}
