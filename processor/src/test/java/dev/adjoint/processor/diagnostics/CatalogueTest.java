package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.Compiled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Messages of the catalogue that no other test reaches: each one's id, key words and line.
 */
class CatalogueTest {
  /** Line 1 of each snippet is line 9 of the file. */
  private static final int FIRST_LINE = 9;

  private static JavaFileObject file(String... body) {
    List<String> lines = new ArrayList<>(List.of(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Bad {",
        "  static final Double BOXED = 2.0;",
        "  private static int index(double x) { return 1; }",
        "  static double plain(double x) { return x; }",
        "  enum Act { RELU, TANH }",
        "  private static final double[] TABLE = {1, 2};"));
    lines.addAll(List.of(body));
    lines.add("}");
    return Compiled.source("p.Bad", lines.toArray(String[]::new));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("AdjointNoBody", 1, "@Differentiable method f must have a body",
            new String[] {"@Differentiable static native double f(double x);"}),
        Arguments.of("AdjointSwitchSelector", 3,
            "switch in @Differentiable methods is supported over int, char, short, byte, enum and "
                + "String values",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  long n = 3;",
              "  switch (n) { default: return x; }",
              "}"}),
        Arguments.of("AdjointArrayLocalUninitialised", 2,
            "array local 'a' must be initialised where it is declared",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  double[] a;",
              "  a = new double[2];",
              "  return x;",
              "}"}),
        Arguments.of("AdjointInstanceof", 2, "instanceof is not supported",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x instanceof Double ? x : 0;",
              "}"}),
        Arguments.of("AdjointCast", 2, "only casts between primitive numeric types are",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x + (double) (Object) x;",
              "}"}),
        Arguments.of("AdjointShiftOperands", 2, "shifts need integral operands",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x + (x > 0 ? 1 : 0) << 1;",
              "}"}),
        Arguments.of("AdjointUnresolvedCall", 2, "no method Objects.hash accepts arguments",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x + java.util.Objects.hash(x);",
              "}"}),
        Arguments.of("AdjointPrivateMethod", 2,
            "the generated gradient class cannot call private method Bad.index; make it "
                + "package-private",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x * index(x);",
              "}"}),
        Arguments.of("AdjointLibraryResultType", 2,
            "Double.valueOf returns java.lang.Double, which cannot be used",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x + Double.valueOf(x);",
              "}"}),
        Arguments.of("AdjointEqualityOperands", 2,
            "operator == is supported only on primitive values and enum constants",
            new String[] {
              "@Differentiable static double f(double x, String s, String t) {",
              "  return s == t ? x : 2 * x;",
              "}"}),
        Arguments.of("AdjointPrivateField", 2,
            "the generated gradient class cannot read private field 'TABLE'; make it "
                + "package-private",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x * TABLE[0];",
              "}"}),
        Arguments.of("AdjointArraysCall", 3,
            "Arrays.fill is not supported in @Differentiable methods; write the loop it stands for",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  double[] a = {x, x};",
              "  java.util.Arrays.fill(a, 0);",
              "  return a[0];",
              "}"}),
        Arguments.of("AdjointSwitchExpressionType", 2,
            "switch expressions in @Differentiable methods must have a number or boolean value "
                + "in every case",
            new String[] {
              "@Differentiable static double f(double x, int k) {",
              "  double y = switch (k) { case 1 -> 1.0; default -> x > 0; } ? 1 : 0;",
              "  return y * x;",
              "}"}),
        Arguments.of("AdjointArrayStore", 3,
            "only elements can be assigned; array variables and rows cannot be reassigned",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  double[][] m = new double[2][2];",
              "  m[0] = new double[2];",
              "  return x;",
              "}"}),
        Arguments.of("AdjointBooleanElementStore", 3,
            "elements of boolean arrays cannot be assigned in @Differentiable methods; keep the "
                + "flags in an int[]",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  boolean[] b = new boolean[2];",
              "  b[0] = x > 0;",
              "  return b[0] ? x : 0;",
              "}"}),
        Arguments.of("AdjointSwitchSelector", 2,
            "switch in @Differentiable methods is supported over int, char, short, byte, enum and "
                + "String values",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  switch (Math.round(x)) { case 1: return x; default: return -x; }",
              "}"}),
        Arguments.of("AdjointConditionalArray", 4,
            "?: choosing between double[] or float[] arrays is not supported",
            new String[] {
              "@Differentiable static double f(double x, boolean b) {",
              "  double[] a = {x};",
              "  double[][] m = {{x * x}};",
              "  return (b ? a : m[0])[0];",
              "}"}),
        Arguments.of("AdjointFieldType", 2,
            "field 'BOXED' has type java.lang.Double; @Differentiable methods can read only "
                + "primitive constants",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x + BOXED;",
              "}"}),
        Arguments.of("AdjointUpdateNeedsTemporary", 3,
            "this update needs a temporary value (a floating-point x++ whose value is used)",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  double y = 0, z = x;",
              "  for (int i = 0; i < 3; y += z++) { i++; }",
              "  return y;",
              "}"}),
        Arguments.of("AdjointEnhancedForOverNonArray", 3,
            "enhanced for loops are supported over arrays only",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  double y = 0;",
              "  for (double v : java.util.List.of(x)) y += v;",
              "  return y;",
              "}"}),
        Arguments.of("AdjointObjectCreation", 2,
            "object creation is not supported in @Differentiable methods, which compute with "
                + "primitive values, arrays and records: use the object in the caller and pass "
                + "the numbers it gives as parameters",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  new Object();",
              "  return x;",
              "}"}),
        Arguments.of("AdjointParameterWrite", 3,
            "writing to the elements of the parameter array 'k' here is not supported",
            new String[] {
              "@Differentiable static double f(double x, double[][] k) {",
              "  double[] y = (k[0]);",
              "  y[0] = x;",
              "  return x * k[0][0];",
              "}"}),
        Arguments.of("AdjointConditionalTypes", 2,
            "both branches of ?: must have the same type",
            new String[] {
              "@Differentiable static double f(double x, boolean b, String s, Act a) {",
              "  return (b ? s : a) == a ? x : -x;",
              "}"}),
        Arguments.of("AdjointArrayOfObjects", 2,
            "only arrays of primitives are supported",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return x * new Act[] {Act.RELU}.length;",
              "}"}),
        Arguments.of("AdjointArithmeticOperands", 2,
            "operator + is supported only on primitive numbers; strings and objects cannot be used",
            new String[] {
              "@Differentiable static double f(double x, String s) {",
              "  switch (s + s) { default: return x; }",
              "}"}),
        Arguments.of("AdjointMember", 3,
            "'e.w' cannot be used in a @Differentiable method; only array lengths and static "
                + "final constants can",
            new String[] {
              "enum E { A; final double w = 1; }",
              "@Differentiable static double f(double x, E e) {",
              "  return x * e.w;",
              "}"}),
        Arguments.of("AdjointJdkNoDerivative", 2,
            "call of Point2D.distance has no known derivative, and JDK methods other than Math's "
                + "cannot be annotated",
            new String[] {
              "@Differentiable static double f(double x) {",
              "  return java.awt.geom.Point2D.distance(x, 0, 0, 0);",
              "}"}),
        Arguments.of("AdjointCallResultType", 3,
            "calls returning java.lang.Object are not supported in @Differentiable methods",
            new String[] {
              "@Differentiable static Object g(double x) { return null; }",
              "@Differentiable static double f(double x) {",
              "  return g(x) == g(x) ? x : 0;",
              "}"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void errorWithItsIdTextAndLine(String id, int line, String text, String[] body) {
    JavaFileObject source = file(body);
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorContaining("[" + id + "] ").inFile(source)
        .onLine(FIRST_LINE + line - 1);
    assertThat(c).hadErrorContaining(text).inFile(source).onLine(FIRST_LINE + line - 1);
  }

  @Test
  void splitOptionTakesANumber() {
    JavaFileObject source = file("@Differentiable static double f(double x) { return x * x; }");
    Compilation c = Compiled.compile(List.of("-Aadjoint.internal.splitAbove=lots"), source);
    assertThat(c).hadErrorContaining("[AdjointSplitOption] -Aadjoint.internal.splitAbove takes "
        + "a number of bytes, not 'lots'");
  }

  @Test
  void writeFailsWhenTheGradientClassAlreadyExists() {
    JavaFileObject source = file("@Differentiable static double f(double x) { return x * x; }");
    JavaFileObject clash = Compiled.source("p.BadGrad", "package p;", "final class BadGrad {}");
    Compilation c = Compiled.compile(List.of(), source, clash);
    assertThat(c).hadErrorContaining("[AdjointWriteFailed] Adjoint could not write p.BadGrad")
        .inFile(source).onLine(3);
  }
}
