package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.Compiled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The diagnostics of calls and statements: a derivative a call would drop (an argument that
 * carries a derivative into a {@code @NoDerivative} parameter), misplaced {@code stopGradient},
 * loops that never return. Each is one error at its line, with advice a user can follow, with the
 * analyses on and off.
 */
class StatementDiagnosticsTest {
  /** Line 1 of each snippet's body is line 7 of the file (see {@link #file}). */
  private static final int FIRST_BODY_LINE = 7;

  private static JavaFileObject file(String... body) {
    List<String> lines = new ArrayList<>(List.of(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.DerivativeOf;",
        "import dev.adjoint.NoDerivative;",
        "import dev.adjoint.StopGradient;",
        "class Bad {"));
    lines.addAll(List.of(body));
    lines.add("  @Differentiable static double g(double a, @NoDerivative double t) {"
        + " return a * t; }");
    lines.add("  @Differentiable static double sum(double[] a, @NoDerivative double[] w) {"
        + " double s = 0; for (int i = 0; i < a.length; i++) s += a[i] * w[i]; return s; }");
    lines.add("  static double soft(double x, double t) { return Math.log1p(Math.exp(x - t)); }");
    lines.add("  @Differentiable static void fill(double[] x, double[] out) {"
        + " for (int i = 0; i < out.length; i++) out[i] = x[i] * x[i]; }");
    lines.add("  @DerivativeOf(\"soft\") static double softBackward(double x, @NoDerivative "
        + "double t, double seed) { return seed / (1 + Math.exp(t - x)); }");
    lines.add("}");
    return Compiled.source("p.Bad", lines.toArray(String[]::new));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("active scalar to a @NoDerivative parameter", "AdjointDroppedDerivative", 2, "x * x",
            "parameter 't' of Bad.g is @NoDerivative: its derivative would be dropped",
            new String[] {
              "@Differentiable static double f(double x, double y) {",
              "  return g(y, x * x);",
              "}"}),
        Arguments.of("advice names the fix", "AdjointDroppedDerivative", 2, "x * x",
            "remove @NoDerivative from 't' in Bad.g; to drop it on purpose, pass "
                + "StopGradient.stopGradient(x * x)",
            new String[] {
              "@Differentiable static double f(double x, double y) {",
              "  return g(y, x * x);",
              "}"}),
        Arguments.of("through a local computed from a parameter", "AdjointDroppedDerivative", 4, "g(y, u)",
            "parameter 't' of Bad.g is @NoDerivative",
            new String[] {
              "@Differentiable static double f(double x, double y) {",
              "  double u = 1;",
              "  u = u * Math.sin(x);",
              "  double r = g(y, u);",
              "  return r;",
              "}"}),
        Arguments.of("a local made active again before the call", "AdjointDroppedDerivative", 4, "g(y, u)",
            "parameter 't' of Bad.g is @NoDerivative",
            new String[] {
              "@Differentiable static double f(double x, double y) {",
              "  double u = 2;",
              "  u = x * u;",
              "  return g(y, u);",
              "}"}),
        Arguments.of("active from the previous iteration", "AdjointDroppedDerivative", 5, "g(y, u)",
            "parameter 't' of Bad.g is @NoDerivative",
            new String[] {
              "@Differentiable static double f(double x, double y) {",
              "  double u = 2;",
              "  double s = 0;",
              "  for (int i = 0; i < 3; i++) {",
              "    s += g(y, u);",
              "    u = x * i;",
              "  }",
              "  return s;",
              "}"}),
        Arguments.of("active on leaving a loop by break", "AdjointDroppedDerivative", 8, "g(y, u)",
            "parameter 't' of Bad.g is @NoDerivative",
            new String[] {
              "@Differentiable static double f(double x, double y) {",
              "  double u = 2;",
              "  for (int i = 0; i < 3; i++) {",
              "    u = x * i;",
              "    if (u > 1) break;",
              "    u = 0;",
              "  }",
              "  return g(y, u);",
              "}"}),
        Arguments.of("active in one branch", "AdjointDroppedDerivative", 5, "g(y, u)",
            "parameter 't' of Bad.g is @NoDerivative",
            new String[] {
              "@Differentiable static double f(double x, double y) {",
              "  double u = 2;",
              "  if (y > 0) u = x;",
              "  else u = 3;",
              "  return g(y, u);",
              "}"}),
        Arguments.of("active array to a @NoDerivative array parameter", "AdjointDroppedDerivative", 4, "sum(a, b)",
            "parameter 'w' of Bad.sum is @NoDerivative",
            new String[] {
              "@Differentiable static double f(double[] a, double x) {",
              "  double[] b = new double[a.length];",
              "  for (int i = 0; i < a.length; i++) b[i] = x * i;",
              "  return sum(a, b);",
              "}"}),
        Arguments.of("record method: the advice names the argument, not the call",
            "AdjointDroppedDerivative", 4, "out.apply(h)",
            "remove @NoDerivative from 'x' in Layer.apply; to drop it on purpose, pass "
                + "StopGradient.stopGradient(h)",
            new String[] {
              "record Layer(double[] w) { @Differentiable double apply(@NoDerivative double[] x)"
                  + " { double s = 0; for (int i = 0; i < w.length; i++) s += w[i] * x[i];"
                  + " return s; } }",
              "@Differentiable static double f(Layer out, double y) {",
              "  double[] h = {y * y, y};",
              "  return out.apply(h);",
              "}"}),
        Arguments.of("active scalar to a pullback's @NoDerivative parameter", "AdjointDroppedDerivativeInPullback", 2, "soft(x, y)",
            "parameter 't' of Bad.soft is @NoDerivative in its hand-written pullback "
                + "Bad.softBackward",
            new String[] {
              "@Differentiable static double f(double x, double y) {",
              "  return soft(x, y);",
              "}"}),
        Arguments.of("stopGradient of an array read", "AdjointStoppedArray", 2, "stopGradient(a)[0]",
            "StopGradient.stopGradient of an array is supported only as the argument of a "
                + "@NoDerivative array parameter",
            new String[] {
              "@Differentiable static double f(double[] a) {",
              "  return StopGradient.stopGradient(a)[0] * a[1];",
              "}"}),
        Arguments.of("stopGradient of an array to a differentiable parameter", "AdjointStoppedArrayToDifferentiable", 2,
            "sum(StopGradient", "'a' of Bad.sum is differentiable; pass the array itself",
            new String[] {
              "@Differentiable static double f(double[] a, double[] b) {",
              "  return sum(StopGradient.stopGradient(a), b);",
              "}"}),
        Arguments.of("void method writing two arrays", "AdjointVoidWithSeveralOutParameters", 1, "static void f(double[] x, double[] a",
            "void @Differentiable method f writes the elements of several array parameters "
                + "(a, b); a void @Differentiable method has one out-parameter: split it",
            new String[] {
              "@Differentiable static void f(double[] x, double[] a, double[] b) {",
              "  a[0] = x[0];",
              "  b[0] = x[0] * 2;",
              "}"}),
        Arguments.of("void call inside a loop of a helper with a local array",
            "AdjointOutCallNested", 9, "squares(x, h);",
            "a void @Differentiable method (squares, which writes 'h') called inside a loop or a "
                + "branch is inlined, and this call cannot be (it calls itself, directly or not, "
                + "declares a local array",
            new String[] {
              "@Differentiable static void squares(double[] x, double[] out) {",
              "  double[] t = new double[x.length];",
              "  for (int i = 0; i < x.length; i++) t[i] = x[i] * x[i];",
              "  for (int i = 0; i < out.length; i++) out[i] = t[i];",
              "}",
              "@Differentiable static double f(double[] x) {",
              "  double[] h = new double[x.length];",
              "  for (int k = 0; k < 2; k++) {",
              "    squares(x, h);",
              "  }",
              "  return h[0];",
              "}"}),
        Arguments.of("out-argument also an input", "AdjointOutArgumentAlsoInput", 3, "fill(h, h);",
            "'h' is both the out-argument of fill and another of its arguments; pass a "
                + "separate array for the result",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  double[] h = new double[x.length];",
              "  fill(h, h);",
              "  return h[0] + x[0];",
              "}"}),
        Arguments.of("out-argument a row", "AdjointOutArgumentNotAVariable", 3, "fill(x, m[0]);",
            "the out-argument of fill must be an array variable",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  double[][] m = new double[1][x.length];",
              "  fill(x, m[0]);",
              "  return m[0][0];",
              "}"}),
        Arguments.of("call of a function that writes its parameter array", "AdjointCalleeWritesParameter", 3, "sorted(a)",
            "Bad.sorted writes the elements of its parameter 'x' in place, so this call would "
                + "also change the array passed for it",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  double[] a = new double[] {x[1], x[0]};",
              "  return sorted(a) + a[0];",
              "}",
              "@Differentiable static double sorted(double[] x) {",
              "  if (x[0] > x[1]) { double t = x[0]; x[0] = x[1]; x[1] = t; }",
              "  return x[0] * 2 + x[1];",
              "}"}),
        Arguments.of("call of a function that writes its parameter through a void helper",
            "AdjointCalleeWritesParameter", 3, "squaredSum(a)",
            "Bad.squaredSum writes the elements of its parameter 'x' in place",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  double[] a = new double[] {x[1], x[0]};",
              "  return squaredSum(a) + a[0];",
              "}",
              "@Differentiable static double squaredSum(double[] x) {",
              "  square(x);",
              "  return x[0] + x[1];",
              "}",
              "@Differentiable static void square(double[] out) {",
              "  for (int i = 0; i < out.length; i++) out[i] *= out[i];",
              "}"}),
        Arguments.of("loop that never returns", "AdjointNeverReturns", 1, "static double f",
            "a path through this method neither returns nor ends",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  while (true) {",
              "    x = x * 2;",
              "  }",
              "}"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void errorAtItsLine(String name, String id, int line, String lineContains, String message,
      String[] body) {
    JavaFileObject source = file(body);
    for (List<String> options : List.of(List.<String>of(), List.of("-Aadjoint.analyses=off"))) {
      Compilation c = Compiled.compile(options, source);
      assertThat(c).hadErrorContaining(message).inFile(source)
          .onLine(FIRST_BODY_LINE + line - 1);
      assertThat(c).hadErrorContaining(message).inFile(source).onLineContaining(lineContains);
      assertThat(c).hadErrorContaining("[" + id + "] ").inFile(source)
          .onLine(FIRST_BODY_LINE + line - 1);
      assertEquals(1, c.errors().size(), c.errors().toString());
    }
  }
}
