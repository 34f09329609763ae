package dev.adjoint.processor.forward;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What forward mode and Hessians cannot do yet is a compile error on the line, never a zero. */
class ForwardDiagnosticsTest {
  private static JavaFileObject file(String... lines) {
    return Compiled.source("p.Bad", String.join("\n", lines));
  }

  /** (An array result gets the directional forms only: see PrecompiledForwardTest.) */
  @Test
  void hessianOfARecordResult() {
    JavaFileObject source = file(
        "package p;",
        "import dev.adjoint.*;",
        "class Bad {",
        "  record R(double[] a, double b) {}",
        "  @Differentiable(hessian = true)",
        "  static R f(double[] x, double b) { return new R(x, b * b); }",
        "}");
    Compilation c = Compiled.compile(List.of(), source);
    assertThat(c).hadErrorContaining("[AdjointHessianArrayResult] hessian = true needs a scalar "
        + "result (double or float), or an array one").inFile(source).onLine(6);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void callsInForUpdates() {
    JavaFileObject source = file(
        "package p;",
        "import dev.adjoint.*;",
        "class Bad {",
        "  @Differentiable static double sq(double x) { return x * x; }",
        "  @Differentiable(hessian = true)",
        "  static double f(double x) {",
        "    double y = x + 1;",
        "    return sq(y);",
        "  }",
        "  @Differentiable(forward = true)",
        "  static double g(double x) {",
        "    double y = 0;",
        "    for (int i = 0; i < 3; i++, y += sq(x)) { }",
        "    return y;",
        "  }",
        "}");
    Compilation c = Compiled.compile(List.of(), source);
    // the call in the Hessian method is chained through sq's directional derivative
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[AdjointForwardCallPosition] forward mode evaluates a call "
        + "of sq once").inFile(source).onLine(13);
  }
}
