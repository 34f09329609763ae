package dev.adjoint.processor.forward;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.Compiled;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JVPs and Hessian-vector products of code calling a library compiled earlier (two compilations,
 * the second against the first's classes): the library's forward-mode forms, directional
 * derivatives and hand-written JVPs are reused from its classes, and a library compiled without
 * them is a compile error naming what to recompile.
 */
class PrecompiledForwardTest {
  @TempDir Path library;

  private static JavaFileObject lib() {
    return Compiled.source("lib.Lib",
        "package lib;",
        "import dev.adjoint.*;",
        "public final class Lib {",
        "  @Differentiable(forward = true, hessian = true)",
        "  public static double energy(double[] x, double c) {",
        "    double s = 0;",
        "    for (int i = 0; i + 1 < x.length; i++) {",
        "      double a = x[i + 1] - x[i] * x[i];",
        "      s += c * a * a + (1 - x[i]) * (1 - x[i]);",
        "    }",
        "    return s;",
        "  }",
        "  @Differentiable public static double plain(double a) { return a * a; }",
        "  @Differentiable(forward = true)",
        "  public static double[] twice(double[] x) {",
        "    double[] y = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) y[i] = 2 * x[i] * x[i];",
        "    return y;",
        "  }",
        "  @Differentiable(forward = true, hessian = true)",
        "  public static double[] squash(double[] x, double c) {",
        "    double[] y = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) y[i] = Math.tanh(c * x[i]) * x[i];",
        "    return y;",
        "  }",
        "  @Differentiable(forward = true, hessian = true)",
        "  public static void mix(double[] x, double[] w, double[] out) {",
        "    for (int j = 0; j < out.length; j++) {",
        "      double s = 0;",
        "      for (int i = 0; i < x.length; i++) s += w[j * x.length + i] * x[i];",
        "      out[j] = Math.sin(s);",
        "    }",
        "  }",
        "  @Differentiable(forward = true, hessian = true)",
        "  public static double pick(String s, java.math.RoundingMode m, double x) {",
        "    switch (s) { case \"cube\": return x * x * x; default: break; }",
        "    return m == java.math.RoundingMode.UP ? Math.sin(x) * x : -x;",
        "  }",
        "  public record P(double[] w, double b) {",
        "    @Differentiable(forward = true, hessian = true)",
        "    public double dot(double[] x) {",
        "      double s = b;",
        "      for (int i = 0; i < x.length; i++) s += w[i] * x[i];",
        "      return Math.sin(s);",
        "    }",
        "  }",
        "  @Differentiable(forward = true, hessian = true)",
        "  public static double scaled(P p, double s) { return p.dot(p.w()) * s * p.b(); }",
        "  public static double soft(double x) { return Math.log1p(Math.exp(x)); }",
        "  @DerivativeOf(\"soft\") public static double softPullback(double x, double seed) {",
        "    return seed / (1 + Math.exp(-x));",
        "  }",
        "  @JvpOf(\"soft\") @Differentiable",
        "  public static double softJvp(double x, double y, double tX) {",
        "    return tX / (1 + Math.exp(-x));",
        "  }",
        "}");
  }

  private ClassLoader buildLibrary() throws IOException {
    Compiled.of(lib()).writeClassesTo(library);
    return new URLClassLoader(new URL[] {library.toUri().toURL()},
        PrecompiledForwardTest.class.getClassLoader());
  }

  private List<String> classpath() {
    return List.of("-classpath",
        library + File.pathSeparator + System.getProperty("java.class.path"));
  }

  @Test
  void jvpAndHvpThroughAPrecompiledLibrary() throws Exception {
    ClassLoader loader = buildLibrary();
    JavaFileObject user = Compiled.source("app.Use",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "import lib.Lib;",
        "class Use {",
        "  @Differentiable(forward = true, hessian = true)",
        "  static double f(double[] x, double y) {",
        "    return Lib.energy(x, y * y) * Lib.soft(y) + Lib.soft(x[0] * y);",
        "  }",
        "}");
    Compiled app = Compiled.of(classpath(), loader, user);
    String generated = app.generatedSource("app.UseGrad");
    if (!generated.contains("LibGrad.energyJvp(") || !generated.contains("LibGrad.energy"
        + "Directional(") || !generated.contains("Lib.softJvp(")) {
      throw new AssertionError("the library's forms are not reused:\n" + generated);
    }
    ForwardCheck check = new ForwardCheck(app, "app.Use", "f");
    Random random = new Random(5);
    Object[] args = {new double[] {0.3, -0.8, 1.2, 0.5}, 0.7};
    for (int k = 0; k < 3; k++) {
      check.jvp(args, random);
      check.hvp(args, random);
    }
  }

  /** The library's forms of a function taking a String and an enum are found (not an error). */
  @Test
  void jvpAndHvpThroughAPrecompiledFunctionWithSelectorParameters() throws Exception {
    ClassLoader loader = buildLibrary();
    JavaFileObject user = Compiled.source("app.Use",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "import java.math.RoundingMode;",
        "import lib.Lib;",
        "class Use {",
        "  @Differentiable(forward = true, hessian = true)",
        "  static double f(double x, double y) {",
        "    return Lib.pick(\"cube\", RoundingMode.DOWN, x * y)",
        "        + Lib.pick(\"other\", RoundingMode.UP, y) * x;",
        "  }",
        "}");
    Compiled app = Compiled.of(classpath(), loader, user);
    String generated = app.generatedSource("app.UseGrad");
    if (!generated.contains("LibGrad.pickJvp(") || !generated.contains("LibGrad.pick"
        + "Directional(")) {
      throw new AssertionError("the library's forms are not reused:\n" + generated);
    }
    ForwardCheck check = new ForwardCheck(app, "app.Use", "f");
    Random random = new Random(6);
    for (Object[] args : new Object[][] {{0.7, -0.3}, {-1.2, 0.9}}) {
      check.jvp(args, random);
      check.hvp(args, random);
    }
  }

  /**
   * A library's array-valued function and void out-parameter helper, compiled with
   * {@code hessian = true}: their directional forms (they have no HVP of their own) are in the
   * library's classes, and a caller's HVP compiled against them chains through them.
   */
  @Test
  void hvpThroughPrecompiledArrayValuedAndVoidCallees() throws Exception {
    ClassLoader loader = buildLibrary();
    for (java.lang.reflect.Method m : loader.loadClass("lib.LibGrad").getMethods()) {
      if (m.getName().equals("squashHvp") || m.getName().equals("mixHvp")) {
        throw new AssertionError("an array-valued function got an HVP: " + m);
      }
    }
    JavaFileObject user = Compiled.source("app.UseArrays",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "import lib.Lib;",
        "class UseArrays {",
        "  @Differentiable(forward = true, hessian = true)",
        "  static double f(double[] x, double[] w, double c) {",
        "    double[] y = Lib.squash(x, c);",
        "    double[] h = new double[2];",
        "    Lib.mix(y, w, h);",
        "    return h[0] * h[1] + y[0] * c;",
        "  }",
        "}");
    for (List<String> analyses : List.of(List.<String>of(), List.of("-Aadjoint.analyses=off"))) {
      List<String> options = new java.util.ArrayList<>(classpath());
      options.addAll(analyses);
      Compiled app = Compiled.of(options, loader, user);
      String generated = app.generatedSource("app.UseArraysGrad");
      if (!generated.contains("LibGrad.squashDirectional(")
          || !generated.contains("LibGrad.mixDirectional(")) {
        throw new AssertionError("the library's directional forms are not reused:\n"
            + generated);
      }
      ForwardCheck check = new ForwardCheck(app, "app.UseArrays", "f");
      Random random = new Random(8);
      Object[] args = {new double[] {0.3, -0.8, 1.2}, new double[] {0.5, 1.5, -0.25, 0.2, -0.4,
          0.8}, 0.7};
      for (int k = 0; k < 3; k++) {
        check.jvp(args, random);
        check.hvp(args, random);
      }
    }
  }

  @Test
  void jvpAndHvpThroughPrecompiledRecordMethods() throws Exception {
    ClassLoader loader = buildLibrary();
    JavaFileObject user = Compiled.source("app.UseRecords",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "import lib.Lib;",
        "class UseRecords {",
        "  @Differentiable(forward = true, hessian = true)",
        "  static double g(Lib.P p, double b) {",
        "    return Lib.scaled(p, b) + p.dot(p.w()) * b;",
        "  }",
        "}");
    Compiled app = Compiled.of(classpath(), loader, user);
    String generated = app.generatedSource("app.UseRecordsGrad");
    if (!generated.contains("LibGrad.scaledJvp(") || !generated.contains("Lib_PGrad.dotJvp(")
        || !generated.contains("Lib_PGrad.dotDirectional(")) {
      throw new AssertionError("the library's record forms are not reused:\n" + generated);
    }
    ForwardCheck check = new ForwardCheck(app, "app.UseRecords", "g");
    Random random = new Random(7);
    // (a record of a class file cannot be created in a @Differentiable method: javac does not
    // know its constructor is the implicit one, AdjointRecordCustomConstructor)
    var ctor = loader.loadClass("lib.Lib$P").getDeclaredConstructor(double[].class, double.class);
    Object[] args = {ctor.newInstance(new double[] {0.3, -0.8, 1.2}, 0.4), 0.7};
    for (int k = 0; k < 3; k++) {
      check.jvp(args, random);
      check.hvp(args, random);
    }
  }

  @Test
  void aLibraryCompiledWithoutTheFormsIsAnErrorNamingIt() throws Exception {
    buildLibrary();
    JavaFileObject user = Compiled.source("app.Use",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "import lib.Lib;",
        "class Use {",
        "  @Differentiable(forward = true)",
        "  static double f(double x) {",
        "    return Lib.plain(x);",
        "  }",
        "  @Differentiable(hessian = true)",
        "  static double g(double x) {",
        "    return Lib.plain(x * x);",
        "  }",
        "  @Differentiable(hessian = true)",
        "  static double h(double[] x) {",
        "    double[] y = Lib.twice(x);",
        "    return y[0];",
        "  }",
        "}");
    Compilation c = Compiled.compile(classpath(), user);
    assertThat(c).hadErrorContaining("[AdjointForwardNoJvpForm] lib.LibGrad has no forward-mode "
        + "form plainJvp").inFile(user).onLine(7);
    assertThat(c).hadErrorContaining("[AdjointHessianCall] hessian = true chains a call of "
        + "Lib.plain through its directional derivative plainDirectional, which it does not "
        + "have: compile Lib with @Differentiable(hessian = true) on plain").inFile(user)
        .onLine(11);
    assertThat(c).hadErrorContaining("[AdjointHessianCall] hessian = true chains a call of "
        + "Lib.twice through its directional derivative twiceDirectional, which it does not "
        + "have: compile Lib with @Differentiable(hessian = true) on twice (for a method "
        + "returning an array or writing an out-parameter, that generates the directional forms "
        + "only), or compile it together with this class").inFile(user).onLine(15);
    assertThat(c).hadErrorCount(3);
  }
}
