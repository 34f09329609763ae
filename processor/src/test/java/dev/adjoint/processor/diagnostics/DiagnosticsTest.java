package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.Compiled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every diagnostic of the processor: unsupported code is an error on the exact line with a message
 * that says what is wrong and what to do; misuse is an error on the method; nothing crashes javac.
 */
class DiagnosticsTest {
  /** Line 1 of each snippet's body is line 6 of the file (see {@link #file}). */
  private static final int FIRST_BODY_LINE = 6;

  private static JavaFileObject file(String... body) {
    List<String> lines = new ArrayList<>(List.of(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;",
        "class Bad {",
        "  static double field = 2;"));
    lines.addAll(List.of(body));
    lines.add("  static double helper(double x) { return x; }");
    lines.add("}");
    return Compiled.source("p.Bad", lines.toArray(String[]::new));
  }

  /** {@code double x0, double x1, ...}: {@code n} parameters, two slots each. */
  private static String manyDoubles(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i > 0 ? ", " : "").append("double x").append(i);
    }
    return sb.toString();
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("instance method", 1, "AdjointNotStatic", "must be static",
            new String[] {"@Differentiable double f(double x) { return x; }"}),
        Arguments.of("int return", 1, "AdjointReturnType",
            "must return double, float, double[] or float[], or be void and write its result "
                + "into an array parameter, not int",
            new String[] {"@Differentiable static int f(double x) { return 1; }"}),
        Arguments.of("void return", 1, "AdjointVoidWithoutOutParameter",
            "void @Differentiable method f writes no element of a double[] or float[] parameter "
                + "without @NoDerivative, so it has no result to differentiate",
            new String[] {"@Differentiable static void f(double x) { }"}),
        Arguments.of("generic", 1, "AdjointGeneric", "must not be generic",
            new String[] {"@Differentiable static <T> double f(double x) { return x; }"}),
        Arguments.of("varargs", 1, "AdjointVarargs", "must not have variable arity",
            new String[] {"@Differentiable static double f(double... x) { return 0; }"}),
        Arguments.of("object parameter", 1, "AdjointParameterType",
            "parameter s has type java.lang.Object",
            new String[] {"@Differentiable static double f(Object s, double x) { return x; }"}),
        Arguments.of("parameter named value", 1, "AdjointReservedParameterName",
            "cannot be named 'value'",
            new String[] {"@Differentiable static double f(double value) { return value; }"}),
        Arguments.of("labelled break", 2, "AdjointLabelledStatement",
            "use a boolean flag to leave an outer loop",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  outer: for (int i = 0; i < 3; i++) {",
              "    for (int j = 0; j < 3; j++) { if (x > j) break outer; x = x * 2; }",
              "  }",
              "  return x;",
              "}"}),
        Arguments.of("too many parameters for the gradient", 1, "AdjointTooManyParameters",
            "has too many parameters for its gradient: the JVM allows 255 parameter slots",
            new String[] {"@Differentiable static double f(" + manyDoubles(127)
                + ") { return x0; }"}),
        Arguments.of("array expression returned in a loop", 4, "AdjointArrayReturnedInLoop",
            "inside a loop, return an array variable declared before the loop",
            new String[] {
              "@Differentiable static double[] f(double[][] w, double x) {",
              "  for (int i = 0; i < w.length; i++) {",
              "    if (w[i][0] * x > 1)",
              "      return w[i];",
              "  }",
              "  return new double[] {x};",
              "}"}),
        Arguments.of("reassigning a row alias", 3, "AdjointArrayReassigned",
            "'y' was declared as a row of another array, which it stands for, so it cannot be "
                + "reassigned; declare it with a whole array variable or a new array "
                + "(float[] h = x;) to reassign it",
            new String[] {
              "@Differentiable static double f(double[][] x) {",
              "  double[] y = x[0];",
              "  y = new double[3];",
              "  return x[0][0] + y[0];",
              "}"}),
        Arguments.of("giving a matrix another array while a row of it is in scope", 4,
            "AdjointRowsReassigned",
            "'m' cannot be given another array while 'row', a row of it, is in scope; end the "
                + "row's block first, or index the row through 'm' instead",
            new String[] {
              "@Differentiable static double f(double[][] w) {",
              "  double[][] m = new double[2][2];",
              "  double[] row = m[0];",
              "  m = new double[3][3];",
              "  return row[0] + w[0][0];",
              "}"}),
        Arguments.of("indexing an array-valued call in a loop condition", 3,
            "AdjointIndexedCallNested",
            "the result of an array-valued call cannot be indexed in a loop's condition or "
                + "update; assign it to a local array before the loop or at the start of its "
                + "body, and test that",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  double s = 0;",
              "  while (s < 3 && g(x)[0] > s) { s += x[0]; }",
              "  return s;",
              "}",
              "@Differentiable static double[] g(double[] x) { return new double[] {x[0]}; }"}),
        // One error, on the ?: (no second one on the array it would give y).
        Arguments.of("choosing an array with ?:", 2, "AdjointConditionalArray",
            "?: choosing between double[] or float[] arrays is not supported in @Differentiable "
                + "methods; choose between their elements instead (b ? x[i] : y[i]), or use an "
                + "if statement",
            new String[] {
              "@Differentiable static double f(double[] x, double[] z) {",
              "  double[] y = x[0] > 0 ? x : z;",
              "  return y[0];",
              "}"}),
        Arguments.of("writing an alias of a parameter", 3, "AdjointArrayAliasWritten",
            "'y' shares its array with 'x' from here on, and the method assigns elements of 'y' "
                + "while they share it; give the array to be written a new array of its own "
                + "first (new double[n] filled by a loop), then write that",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  double[] y = new double[2];",
              "  y = x;",
              "  y[0] = 2 * x[1];",
              "  return y[0];",
              "}"}),
        Arguments.of("writing an array that an alias shares, in a later iteration", 6,
            "AdjointArrayAliasWritten",
            "'h' shares its array with 'next' from here on, and the method assigns elements of "
                + "'next' while they share it",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  double[] next = new double[x.length];",
              "  double[] h = new double[x.length];",
              "  for (int t = 0; t < 3; t++) {",
              "    for (int i = 0; i < x.length; i++) { next[i] = Math.sin(h[i]) + x[i]; }",
              "    h = next;",
              "  }",
              "  return h[0];",
              "}"}),
        Arguments.of("three-dimensional array", 1, "AdjointParameterType", "at most two dimensions",
            new String[] {"@Differentiable static double f(double[][][] x) { return 0; }"}),
        Arguments.of("seed parameter", 1, "AdjointSeedParameter",
            "cannot have a parameter named 'seed'",
            new String[] {"@Differentiable static double[] f(double[] seed) { return seed; }"}),
        Arguments.of("object creation", 2, "AdjointObjectCreation",
            "object creation is not supported",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  Object o = new Object();",
              "  return x;",
              "}"}),
        Arguments.of("call without derivative", 2, "AdjointNoKnownDerivative",
            "call of Bad.helper has no known derivative",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return helper(x) * 2;",
              "}"}),
        Arguments.of("Math function without rule", 2, "AdjointNoMathRule",
            "Math.ulp has no derivative rule",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x + Math.ulp(x);",
              "}"}),
        Arguments.of("field write", 2, "AdjointFieldWrite", "cannot write fields ('field')",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  field = x;",
              "  return x;",
              "}"}),
        Arguments.of("mutable field read", 2, "AdjointMutableField",
            "can read only static final fields",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x * field;",
              "}"}),
        Arguments.of("lambda", 2, "AdjointLambda",
            "lambdas and method references are not supported",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  java.util.function.DoubleUnaryOperator g = v -> v * x;",
              "  return x;",
              "}"}),
        Arguments.of("try", 2, "AdjointTry", "try statements are not supported",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  try { return x; } finally { }",
              "}"}),
        Arguments.of("throw", 2, "AdjointThrow", "throw is not supported",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  if (x < 0) throw new IllegalArgumentException();",
              "  return x;",
              "}"}),
        Arguments.of("increment in right operand of &&", 3, "AdjointEffectInBranch",
            "an assignment, ++, -- or switch expression in the right operand of && runs only "
                + "sometimes",
            new String[] {
              "@Differentiable static double f(double x, int k) {",
              "  int i = 0;",
              "  if (x > 0 && i++ < k) { x = x * 2; }",
              "  return x * i;",
              "}"}),
        Arguments.of("assignment in a branch of ?:", 3, "AdjointEffectInBranch",
            "an assignment, ++, -- or switch expression in a branch of ?: runs only sometimes, "
                + "which @Differentiable methods do not support; compute it in an if statement "
                + "before this one",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  double y = 0;",
              "  double z = x > 0 ? (y = x) * 2 : y;",
              "  return z + y;",
              "}"}),
        Arguments.of("do/while condition assigning with continue", 5,
            "AdjointDoWhileEffectAndContinue",
            "a do/while condition that assigns cannot be combined with continue",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  do {",
              "    if (x > 5) continue;",
              "    x = x + 1;",
              "  } while ((x = x * 2) < 10);",
              "  return x;",
              "}"}),
        Arguments.of("string", 2, "AdjointStringOrNull", "strings and null are not supported",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  String s = \"x\";",
              "  return x;",
              "}"}),
        Arguments.of("array field aliased", 2, "AdjointArrayField", "the array constant 'ARR' "
            + "can be read in @Differentiable methods only by element (ARR[i]), .length or a "
            + "for-each loop; to use it otherwise, pass it as a parameter (with @NoDerivative if "
            + "it is not to be differentiated)",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  double[] t = ARR;",
              "  return x * t[0];",
              "}",
              "static final double[] ARR = {1};"}),
        Arguments.of("array field written", 2, "AdjointElementStore",
            "this element cannot be assigned",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  ARR[0] = x;",
              "  return x * ARR[0];",
              "}",
              "static final double[] ARR = {1};"}),
        Arguments.of("instance call", 2, "AdjointInstanceCall", "calls of instance methods",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x + Double.valueOf(x).doubleValue();",
              "}"}),
        Arguments.of("discarded call", 2, "AdjointDiscardedCall",
            "the result of this call is discarded; use its value (double y = ...) or remove "
                + "the call",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  Math.sin(x);",
              "  return x;",
              "}"}),
        Arguments.of("println of an array", 2, "AdjointPrintArgument", "cannot print x in a "
                + "@Differentiable method: a print's arguments may be primitive values, String "
                + "literals and constants, String and enum parameters, and + concatenations of "
                + "them; print an array element by element (x[i]), and anything else in the "
                + "caller",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  System.out.println(x);",
              "  return x[0];",
              "}"}),
        Arguments.of("Arrays.copyOfRange", 2, "AdjointArrayCopyCall", "Arrays.copyOfRange is "
                + "not supported in @Differentiable methods; allocate the copy with new (new "
                + "double[n]) and copy the elements in a loop",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  double[] y = java.util.Arrays.copyOfRange(x, 0, 2);",
              "  return y[0];",
              "}"}),
        Arguments.of("System.arraycopy", 3, "AdjointArrayCopyCall", "System.arraycopy is not "
                + "supported in @Differentiable methods; allocate the copy with new (new "
                + "double[n]) and copy the elements in a loop",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  double[] y = new double[2];",
              "  System.arraycopy(x, 0, y, 0, 2);",
              "  return y[0];",
              "}"}),
        Arguments.of("clone of a 2-D array", 2, "AdjointClone", "clone() and Arrays.copyOf are "
                + "supported on one-dimensional arrays as the initialiser of a local array "
                + "outside loops",
            new String[] {
              "@Differentiable static double f(double[][] x) {",
              "  double[][] y = x.clone();",
              "  return y[0][0];",
              "}"}),
        Arguments.of("clone inside a loop", 4, "AdjointClone", "clone() and Arrays.copyOf are "
                + "supported on one-dimensional arrays as the initialiser of a local array "
                + "outside loops",
            new String[] {
              "@Differentiable static double f(double[] x) {",
              "  double s = 0;",
              "  for (int i = 0; i < 2; i++) {",
              "    double[] y = x.clone();",
              "    s += y[i];",
              "  }",
              "  return s;",
              "}"}),
        Arguments.of("local class", 2, "AdjointLocalClass", "local classes are not supported",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  class L { }",
              "  return x;",
              "}"}),
        Arguments.of("synchronized", 2, "AdjointSynchronized", "synchronized is not supported",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  synchronized (Bad.class) { x = x * 2; }",
              "  return x;",
              "}"}),
        Arguments.of("assert", 2, "AdjointAssert", "assert is not supported in @Differentiable "
            + "methods; check the condition in the caller, before calling the function",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  assert x > 0;",
              "  return x;",
              "}"}),
        Arguments.of("boxed local", 2, "AdjointLocalType",
            "support only primitive locals and arrays",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  Double d = x;",
              "  return x;",
              "}"}),
        Arguments.of("method reference", 2, "AdjointLambda",
            "lambdas and method references are not supported",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  java.util.function.DoubleUnaryOperator g = Math::sin;",
              "  return x;",
              "}"}),
        Arguments.of("three-dimensional local", 2, "AdjointArrayDimensions",
            "more than two dimensions",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  double[][][] t = new double[2][2][2];",
              "  return x;",
              "}"}),
        Arguments.of("qualified field write", 2, "AdjointFieldWrite", "cannot write fields",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  Bad.field = x;",
              "  return x;",
              "}"}),
        Arguments.of("field increment", 2, "AdjointFieldWrite", "cannot write fields",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  field++;",
              "  return x;",
              "}"}),
        Arguments.of("labelled statement", 2, "AdjointLabelledStatement",
            "labelled statements (and labelled break and continue)",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  out: { if (x > 0) break out; }",
              "  return x;",
              "}"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void unsupportedCodeIsAnErrorAtTheLine(String name, int bodyLine, String id, String message,
      String[] body) {
    JavaFileObject source = file(body);
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[" + id + "] ").inFile(source)
        .onLine(FIRST_BODY_LINE + bodyLine - 1);
    assertThat(c).hadErrorContaining(message).inFile(source)
        .onLine(FIRST_BODY_LINE + bodyLine - 1);
    for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
      assertTrue(!d.getMessage(null).contains("Exception")
          && !d.getMessage(null).contains("internal error"), d.toString());
    }
  }

  @Test
  void reportsEveryProblemOfAMethodAtOnce() {
    JavaFileObject source = file(
        "@Differentiable static double f(double x) {",
        "  double a = helper(x);",
        "  field = a;",
        "  return a + Math.ulp(x);",
        "}");
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorContaining("[AdjointNoKnownDerivative] call of Bad.helper has no known "
        + "derivative").inFile(source).onLine(7);
    assertThat(c).hadErrorContaining("[AdjointFieldWrite] @Differentiable methods cannot write "
        + "fields").inFile(source).onLine(8);
    assertThat(c).hadErrorContaining("[AdjointNoMathRule] Math.ulp has no derivative rule")
        .inFile(source).onLine(9);
    assertEquals(3, c.errors().size(), c.errors().toString());
  }

  @Test
  void pointsAtTheExactExpression() {
    JavaFileObject source = file(
        "@Differentiable static double f(double x) {",
        "  return x * 2 + helper(x);",
        "}");
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorContaining("no known derivative").inFile(source).onLineContaining(
        "helper(x);");
    // javac puts the caret of a call diagnostic on its parenthesis: within "helper(x)".
    Diagnostic<? extends JavaFileObject> d = c.errors().get(0);
    long start = "  return x * 2 + ".length() + 1;
    assertTrue(d.getColumnNumber() >= start && d.getColumnNumber() < start + "helper(x)".length(),
        "column " + d.getColumnNumber());
  }

  @Test
  void goodMethodsOfAClassStillGetGradientsWhenOneIsRejected() {
    JavaFileObject source = file(
        "@Differentiable static double good(double x) { return x * x; }",
        "@Differentiable static double bad(double x) { return helper(x); }");
    JavaFileObject user = Compiled.source("p.User",
        "package p;",
        "class User {",
        "  static double use() { return BadGrad.good(3).x(); }",
        "}");
    Compilation c = Compiled.compile(List.of(), source, user);
    // Only the rejected method's error: the generated class exists, with good's gradient.
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("no known derivative").inFile(source).onLine(7);
  }

  @Test
  void noDerivativeOnAnIntIsOnlyAWarning() {
    JavaFileObject source = file(
        "@Differentiable static double f(@NoDerivative int k, double x) { return x * k; }");
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[AdjointNoDerivativeWithoutEffect] @NoDerivative has no "
        + "effect on int parameter k").inFile(source).onLine(FIRST_BODY_LINE);
  }

  @Test
  void differentiableMethodInAnInnerClassIsAnError() {
    JavaFileObject source = file(
        "class Inner {",
        "  @Differentiable static double f(double x) { return x; }",
        "}");
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorContaining("[AdjointInnerClass] ").inFile(source)
        .onLine(FIRST_BODY_LINE + 1);
    assertThat(c).hadErrorContaining("top-level class or a static nested class").inFile(source)
        .onLine(FIRST_BODY_LINE + 1);
  }

  @Test
  void differentiableMethodsInLocalAndAnonymousClassesAreErrors() {
    // javac does not show these classes to processors: without the check they get no gradient.
    JavaFileObject source = file(
        "@Differentiable static double visible(double x) { return x * x; }",
        "static double local(double y) {",
        "  class Local { @Differentiable static double f(double x) { return x; } }",
        "  return Local.f(y);",
        "}",
        "Object anonymous = new Object() {",
        "  @Differentiable double g(double x) { return x; }",
        "};");
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorCount(2);
    assertThat(c).hadErrorContaining("[AdjointHiddenClass] @Differentiable has no effect in a "
        + "local or anonymous class").inFile(source).onLine(FIRST_BODY_LINE + 2);
    assertThat(c).hadErrorContaining("Move the method to a top-level or nested").inFile(source)
        .onLine(FIRST_BODY_LINE + 6);
  }

  /**
   * Regression: the processor once made javac attribute the class early, which crashed javac
   * (TransTypes) when the class also used an implicitly typed lambda next to the generated class.
   */
  @Test
  void classUsingItsGeneratedGradientNextToALambdaCompiles() {
    JavaFileObject source = Compiled.source("p.Repro",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import java.util.function.ToDoubleFunction;",
        "public final class Repro {",
        "  @Differentiable static double square(double x) { return x * x; }",
        "  static double apply(ToDoubleFunction<double[]> f, double x) {",
        "    return f.applyAsDouble(new double[] {x});",
        "  }",
        "  static double check() { return apply(v -> v[0], ReproGrad.square(3).x()); }",
        "}");
    Compiled c = Compiled.of(source);
    assertEquals(6.0, c.value("p.Repro", "check"));
  }

  @Test
  void internalFailureIsAnErrorOnTheMethodNotACrash() {
    JavaFileObject source = file(
        "@Differentiable static double f(double x) { return x * x; }",
        "@Differentiable static double g(double x) { return x + 1; }");
    Compilation c = Compiled.compile(List.of("-Aadjoint.internal.failOn=f"), source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[AdjointInternalError] ").inFile(source)
        .onLine(FIRST_BODY_LINE);
    assertThat(c).hadErrorContaining("internal error").inFile(source).onLine(FIRST_BODY_LINE);
    assertThat(c).hadErrorCount(1);
  }
}
