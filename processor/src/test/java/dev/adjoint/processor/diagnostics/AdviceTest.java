package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;

import dev.adjoint.processor.testing.Compiled;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a new user tries and is told: constructs outside the supported subset, each answered by
 * a message whose advice can be followed (a construct that exists and is supported), checked by
 * id, text and line. Found by trying them one by one (issue 16, item 9).
 */
class AdviceTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("assert x > 0;", "[AdjointAssert] assert is not supported in "
            + "@Differentiable methods; check the condition in the caller, before calling the "
            + "function"),
        Arguments.of("double[][][] t = new double[2][2][2];", "[AdjointArrayDimensions] arrays "
            + "of more than two dimensions are not supported; flatten the last dimensions into "
            + "one (double[n][m * k], indexed t[i][j * k + l])"),
        Arguments.of("for (double v : java.util.Arrays.asList(1.0, 2.0)) y += v;",
            "[AdjointEnhancedForOverNonArray] enhanced for loops are supported over arrays "
                + "only; pass the values as a double[] parameter, or put them in a local array "
                + "(double[] values = {1, 2};), and loop over that"),
        Arguments.of("y *= new java.util.Random(1).nextGaussian();", "[AdjointInstanceCall] "
            + "calls of instance methods (new java.util.Random(1).nextGaussian) are not "
            + "supported in @Differentiable methods; call a static method instead, or compute "
            + "the value in the caller and pass it as a parameter (@NoDerivative if it needs no "
            + "derivative)"),
        Arguments.of("y *= Math.random();", "[AdjointNoMathRule] Math.random has no derivative "
            + "rule; the differentiable Math functions are abs, acos"),
        Arguments.of("y *= Math.random();", "For a value that needs no derivative "
            + "(Math.random(), Math.ulp(x), Double.parseDouble(s)), compute it in the caller and "
            + "pass it as a @NoDerivative parameter"),
        Arguments.of("y *= Double.parseDouble(\"1.5\");", "[AdjointNoMathRule] "
            + "Double.parseDouble has no derivative rule"),
        Arguments.of("Object o = y;", "[AdjointLocalType] local variable 'o' has type Object; "
            + "@Differentiable methods support only primitive locals and arrays: declare it "
            + "double (or another primitive), or compute the value in the caller and pass it as "
            + "a parameter"),
        Arguments.of("new StringBuilder();", "[AdjointObjectCreation] object creation is not "
            + "supported in @Differentiable methods"),
        Arguments.of("String s = \"v\" + y;", "[AdjointStringOrNull] strings and null are not "
            + "supported here: @Differentiable methods compute with primitive values and arrays, "
            + "and take Strings only as parameters (to switch over), as arguments of calls and "
            + "in prints (System.out.println(\"y = \" + y))"),
        Arguments.of("System.out.flush();", "[AdjointPrintMethod] System.out.flush is not "
            + "supported in @Differentiable methods; print with println, print, printf or "
            + "format"),
        Arguments.of("y = java.util.stream.DoubleStream.of(y).sum();", "[AdjointInstanceCall] "
            + "calls of instance methods"),
        Arguments.of("Math.exp(y);", "[AdjointDiscardedCall] the result of this call is "
            + "discarded; use its value (double y = ...) or remove the call"));
  }

  /** Constructs that used to be told twice (the culprit and what it led to): one error each. */
  static Stream<Arguments> single() {
    String nullArray = "[AdjointNullArray] array 'a' cannot be null in a @Differentiable method: "
        + "give it its array where it is declared (new double[n], an initialiser, a call's "
        + "result or another array variable); to choose between arrays, assign 'a' in each "
        + "branch of an if";
    String forEach = "[AdjointEnhancedForOverNonArray] enhanced for loops are supported over "
        + "arrays only; pass the values as a double[] parameter, or put them in a local array "
        + "(double[] values = {1, 2};), and loop over that";
    return Stream.of(
        Arguments.of("double[] a = null;", nullArray),
        Arguments.of("double[] a = (null);", nullArray),
        Arguments.of("double[] a = {y}; a = null;", nullArray),
        Arguments.of("for (double v : java.util.List.of(1.0, y)) y += v;", forEach),
        Arguments.of("for (double v : java.util.List.of(y)) { y *= v; }", forEach),
        Arguments.of("for (Double v : java.util.Arrays.asList(1.0, 2.0)) y += v;", forEach));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("single")
  void oneErrorThatSaysWhatToWriteInstead(String statement, String message) {
    JavaFileObject source = trying(statement);
    var c = Compiled.compile(java.util.List.of(), source);
    assertThat(c).hadErrorContaining(message).inFile(source).onLine(6);
    assertThat(c).hadErrorCount(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theMessageSaysWhatToDo(String statement, String message) {
    JavaFileObject source = trying(statement);
    assertThat(Compiled.compile(java.util.List.of(), source)).hadErrorContaining(message)
        .inFile(source).onLine(6);
  }

  /** {@code statement} on line 6, in a function of {@code x} that has {@code y} in scope. */
  private static JavaFileObject trying(String statement) {
    return Compiled.source("p.Try",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Try {",
        "  @Differentiable static double f(double x) {",
        "    double y = x * x;",
        "    " + statement,
        "    return y;",
        "  }",
        "}");
  }
}
