package dev.adjoint.processor.records;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.Compiled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What records cannot do yet is a compile error on the exact line, saying what to write instead.
 */
class RecordDiagnosticsTest {
  /** Line 1 of each snippet's body is line 5 of the file (see {@link #file}). */
  private static final int FIRST_BODY_LINE = 5;

  private static JavaFileObject file(String... body) {
    List<String> lines = new ArrayList<>(List.of(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;",
        "class Bad {"));
    lines.addAll(List.of(body));
    lines.add("  record P(double[] w, double b) {");
    lines.add("    double norm() { return b * b; }");
    lines.add("  }");
    lines.add("  record Named(double[] w, String label) {}");
    lines.add("  record Box<T>(T value, double x) {}");
    lines.add("  static final class State { double[] w; }");
    lines.add("  static P pick(P a, P b) { return a; }");
    lines.add("}");
    return Compiled.source("p.Bad", lines.toArray(String[]::new));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("record with an object component", 1, "AdjointRecordComponentType",
            "record Named has component label of type java.lang.String; a record passed to a "
                + "@Differentiable method may hold only primitives, arrays of primitives of at "
                + "most two dimensions and such records: pass label as a parameter of its own",
            new String[] {"@Differentiable static double f(Named n) { return n.w()[0]; }"}),
        Arguments.of("generic record", 1, "AdjointRecordGeneric", "record Box is generic",
            new String[] {"@Differentiable static double f(Box<double[]> n) { return n.x(); }"}),
        Arguments.of("mutable class parameter", 1, "AdjointClassParameter",
            "parameter s has type p.Bad.State, a class, whose fields can change; "
                + "@Differentiable methods take primitives, arrays of primitives and records of "
                + "them: make State a record (record State(double[] w, ...))",
            new String[] {"@Differentiable static double f(State s) { return 0; }"}),
        Arguments.of("instance method of a class", 1, "AdjointNotStatic",
            "must be static, or an instance method of a record; Bad is a class, whose fields "
                + "can change: make it a record (record Bad(double[] w, ...))",
            new String[] {"@Differentiable double f(double x) { return x; }"}),
        Arguments.of("record returned in a branch", 3, "AdjointRecordReturnPlace",
            "a method returning a record must return it once, as its last statement",
            new String[] {
              "@Differentiable static P f(P p, double x) {",
              "  if (x > 0) {",
              "    return p;",
              "  }",
              "  return new P(p.w(), x);",
              "}"}),
        Arguments.of("record result without a floating component", 1, "AdjointRecordResult",
            "returns record p.Bad.Ints, which has no double or float component to differentiate",
            new String[] {"@Differentiable static Ints f(double x) { return new Ints(1); }",
              "record Ints(int n) {}"}),
        Arguments.of("write into a component", 2, "AdjointRecordComponentWrite",
            "the arrays of a record parameter cannot be written in a @Differentiable method; "
                + "copy the component first (double[] w = p.w().clone()) and write the copy",
            new String[] {
              "@Differentiable static double f(P p) {",
              "  p.w()[0] = 1;",
              "  return p.b();",
              "}"}),
        Arguments.of("record created and dropped", 2, "AdjointRecordCreation",
            "a record P created here cannot be used",
            new String[] {
              "@Differentiable static double f(double[] w, double b) {",
              "  Object o = new P(w, b);",
              "  return b;",
              "}"}),
        Arguments.of("record created from an array expression", 2, "AdjointRecordArrayArgument",
            "component w of a record created in a @Differentiable method must be an array "
                + "variable; declare double[] w = ... first and pass the variable",
            new String[] {
              "@Differentiable static double f(double[] w, double b) {",
              "  P p = new P(new double[] {b}, b);",
              "  return p.b();",
              "}"}),
        Arguments.of("record local from a call", 2, "AdjointRecordLocalVariable",
            "local variable 'q' has record type P and must be initialised with a record "
                + "parameter, this, a component that is a record, another record local or "
                + "new P(...)",
            new String[] {
              "@Differentiable static double f(P p) {",
              "  P q = pick(p, p);",
              "  return q.b();",
              "}"}),
        Arguments.of("record as a value", 2, "AdjointRecordValue",
            "the record 'p' can be used in @Differentiable methods only through its accessors",
            new String[] {
              "@Differentiable static double f(P p) {",
              "  return p == null ? 0 : p.b();",
              "}"}),
        Arguments.of("non-differentiable method of the record", 2, "AdjointInstanceCall",
            "calls of instance methods (P.norm)",
            new String[] {
              "@Differentiable static double f(P p) {",
              "  return p.norm();",
              "}"}),
        Arguments.of("record created with a compact constructor", 2,
            "AdjointRecordCustomConstructor",
            "record Pos declares its own canonical constructor, which a record created in a "
                + "@Differentiable method would bypass",
            new String[] {"@Differentiable static double f(double x) {",
              "  Pos p = new Pos(x);",
              "  return p.a();",
              "}",
              "record Pos(double a) { Pos { a = Math.abs(a); } }"}),
        Arguments.of("receiver named self", 2, "AdjointReservedParameterName",
            "cannot be named 'self'",
            new String[] {"record R(double a) {",
              "  @Differentiable double f(double self) { return a * self; } }"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void unsupportedRecordCodeIsAnErrorAtTheLine(String name, int bodyLine, String id,
      String message, String[] body) {
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
}
