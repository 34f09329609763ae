package dev.adjoint.processor.calls;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.Compiled;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code @Differentiable} method compiled earlier (a library on the classpath) is called from
 * new code: its generated {@code ...Grad} class is reused, not derived again.
 */
class ClasspathReuseTest {
  @TempDir Path library;

  @Test
  void callsIntoAPrecompiledLibraryReuseItsGradient() throws Exception {
    buildLibrary(Compiled.source("lib.Activations",
        "package lib;",
        "import dev.adjoint.Differentiable;",
        "public final class Activations {",
        "  @Differentiable public static double softplus(double x) {",
        "    return Math.log1p(Math.exp(x));",
        "  }",
        "}"));

    JavaFileObject user = Compiled.source("app.Model",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "import lib.Activations;",
        "class Model {",
        "  @Differentiable static double f(double w, double x) {",
        "    return Activations.softplus(w * x) * w;",
        "  }",
        "}");
    Compilation app = compileAgainstLibrary(user);
    // The library's gradient is called, not generated again.
    assertFalse(app.generatedSourceFiles().stream()
        .anyMatch(f -> f.getName().endsWith("ActivationsGrad.java")));
    assertThat(app).generatedSourceFile("app.ModelGrad").contentsAsUtf8String()
        .contains("ActivationsGrad.softplus(w * x)");

    try (URLClassLoader loader = loader(app)) {
      Object record = loader.loadClass("app.ModelGrad")
          .getMethod("f", double.class, double.class).invoke(null, 0.5, 2.0);
      double w = 0.5;
      double x = 2.0;
      double s = Math.log1p(Math.exp(w * x));
      double sig = 1 / (1 + Math.exp(-w * x));
      double[] expected = {s * w, sig * x * w + s};
      Object[] actual = components(record);
      assertArrayEquals(expected, new double[] {(double) actual[0], (double) actual[1]}, 1e-12);
    }
  }

  @Test
  void aDifferentiableLibraryMethodWithoutItsGradClassIsAClearError() throws Exception {
    Compilation lib = com.google.testing.compile.Compiler.javac().compile(
        Compiled.source("lib.Plain",
            "package lib;",
            "import dev.adjoint.Differentiable;",
            "public final class Plain {",
            "  @Differentiable public static double twice(double x) { return 2 * x; }",
            "}"));
    assertThat(lib).succeeded();
    Compiled.writeClasses(lib, library);
    JavaFileObject user = Compiled.source("app.Use",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "class Use {",
        "  @Differentiable static double f(double x) {",
        "    return lib.Plain.twice(x);",
        "  }",
        "}");
    Compilation app = com.google.testing.compile.Compiler.javac()
        .withProcessors(new AdjointProcessor()).withClasspath(classpath()).compile(user);
    assertThat(app).hadErrorContaining("[AdjointGradientClassMissing] ").inFile(user).onLine(5);
    assertThat(app).hadErrorContaining("its generated gradient class lib.PlainGrad is not on the "
        + "classpath").inFile(user).onLine(5);
  }

  @Test
  void aTailCallIntoAPrecompiledLibraryUsesItsAccumulatingForm() throws Exception {
    buildLibrary(Compiled.source("lib.Norms",
        "package lib;",
        "import dev.adjoint.Differentiable;",
        "public final class Norms {",
        "  @Differentiable public static double weightedSquares(double[] w, double[] x) {",
        "    double s = 0;",
        "    for (int i = 0; i < w.length; i++) {",
        "      s += w[i] * x[i] * x[i];",
        "    }",
        "    return s;",
        "  }",
        "}"));

    JavaFileObject user = Compiled.source("app.Fit",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "class Fit {",
        "  @Differentiable static double f(double[] w, double[] x) {",
        "    return lib.Norms.weightedSquares(w, x);",
        "  }",
        "}");
    Compilation app = compileAgainstLibrary(user);
    assertThat(app).generatedSourceFile("app.FitGrad").contentsAsUtf8String()
        .contains("NormsGrad.weightedSquares(w, x, "
            + "new NormsGrad.WeightedSquaresAccumulator(dW, dX))");

    try (URLClassLoader loader = loader(app)) {
      double[] w = {0.5, -1.5, 2.0};
      double[] x = {1.0, 0.25, -3.0};
      Object record = loader.loadClass("app.FitGrad")
          .getMethod("f", double[].class, double[].class).invoke(null, w, x);
      Object[] actual = components(record);
      // sum w x^2: d/dw = x^2, d/dx = 2 w x
      assertEquals(0.5 - 1.5 / 16 + 18, (double) actual[0], 1e-12);
      assertArrayEquals(new double[] {1.0, 1.0 / 16, 9.0}, (double[]) actual[1], 1e-12);
      assertArrayEquals(new double[] {1.0, -0.75, -12.0}, (double[]) actual[2], 1e-12);
    }
  }

  /**
   * A library function that sorts its parameter array in place: the gradient class records that
   * it writes it ({@code @WritesInPlace}), so a caller compiled against the class files alone
   * gets the same error as one compiled with its source, never a gradient that ignores the
   * reordering. Compiled without {@code -parameters}, so that the names come from the record.
   */
  @Test
  void aPrecompiledCalleeThatWritesItsParameterInPlaceIsAnErrorAtTheCall() throws Exception {
    JavaFileObject lib = Compiled.source("lib.Sorting",
        "package lib;",
        "import dev.adjoint.Differentiable;",
        "public final class Sorting {",
        "  @Differentiable public static double weightedSorted(double[] x, double[] w) {",
        "    for (int i = 1; i < x.length; i++) {",
        "      for (int j = i; j > 0 && x[j - 1] > x[j]; j--) {",
        "        double t = x[j]; x[j] = x[j - 1]; x[j - 1] = t;",
        "      }",
        "    }",
        "    double s = 0;",
        "    for (int i = 0; i < x.length; i++) { s += w[i] * x[i]; }",
        "    return s;",
        "  }",
        "}");
    Compilation built = com.google.testing.compile.Compiler.javac()
        .withProcessors(new AdjointProcessor()).withOptions("-Xlint:all").compile(lib);
    assertThat(built).succeededWithoutWarnings();
    assertThat(built).generatedSourceFile("lib.SortingGrad").contentsAsUtf8String()
        .contains("@WritesInPlace(0)");
    Compiled.writeClasses(built, library);

    JavaFileObject user = Compiled.source("app.Ranked",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "class Ranked {",
        "  @Differentiable static double f(double[] x, double[] w) {",
        "    double[] y = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) { y[i] = x[i] * x[i]; }",
        "    return lib.Sorting.weightedSorted(y, w) + y[0];",
        "  }",
        "}");
    Compilation app = com.google.testing.compile.Compiler.javac()
        .withProcessors(new AdjointProcessor()).withClasspath(classpath()).compile(user);
    assertThat(app).hadErrorContaining("[AdjointCalleeWritesParameter] Sorting.weightedSorted "
        + "writes the elements of its parameter 'x' in place").inFile(user).onLine(7);
  }

  /**
   * A void library helper whose result is its out-parameter: the gradient class records which
   * parameter that is, so a caller compiled against the class files calls it as one compiled
   * with its source would; checked against finite differences.
   */
  @Test
  void aPrecompiledVoidHelperIsCalledThroughItsRecordedOutParameter() throws Exception {
    JavaFileObject lib = Compiled.source("lib.Layers",
        "package lib;",
        "import dev.adjoint.Differentiable;",
        "public final class Layers {",
        "  @Differentiable public static void dense(int n, double[] x, double[] w,",
        "      double[] out) {",
        "    for (int j = 0; j < out.length; j++) {",
        "      double s = 0;",
        "      for (int i = 0; i < n; i++) { s += w[j * n + i] * x[i]; }",
        "      out[j] = Math.tanh(s);",
        "    }",
        "  }",
        "}");
    Compilation built = com.google.testing.compile.Compiler.javac()
        .withProcessors(new AdjointProcessor()).withOptions("-Xlint:all").compile(lib);
    assertThat(built).succeededWithoutWarnings();
    assertThat(built).generatedSourceFile("lib.LayersGrad").contentsAsUtf8String()
        .containsMatch("@WritesInPlace\\(\\s*value = 3,\\s*out = 3\\s*\\)");
    Compiled.writeClasses(built, library);

    JavaFileObject user = Compiled.source("app.Net",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "class Net {",
        "  @Differentiable static double f(double[] x, double[] w1, double[] w2) {",
        "    double[] h = new double[2];",
        "    lib.Layers.dense(x.length, x, w1, h);",
        "    double[] o = new double[1];",
        "    lib.Layers.dense(2, h, w2, o);",
        "    return o[0] * o[0];",
        "  }",
        "}");
    Compilation app = compileAgainstLibrary(user);
    try (URLClassLoader loader = loader(app)) {
      double[] x = {0.3, -0.7, 1.1};
      double[] w1 = {0.2, -0.4, 0.6, 0.5, 0.1, -0.3};
      double[] w2 = {0.9, -1.2};
      var grad = loader.loadClass("app.NetGrad")
          .getMethod("f", double[].class, double[].class, double[].class);
      var value = loader.loadClass("app.Net")
          .getDeclaredMethod("f", double[].class, double[].class, double[].class);
      value.setAccessible(true);
      Object[] actual = components(grad.invoke(null, x, w1, w2));
      double[][] args = {x, w1, w2};
      assertEquals((double) value.invoke(null, x, w1, w2), (double) actual[0], 0);
      for (int k = 0; k < 3; k++) {
        int which = k;
        double[] numeric = dev.adjoint.GradCheck.numericalGradient(v -> {
          double[][] a = args.clone();
          a[which] = v;
          try {
            return (double) value.invoke(null, a[0], a[1], a[2]);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        }, args[k]);
        assertArrayEquals(numeric, (double[]) actual[k + 1], 1e-6);
      }
    }
  }

  /**
   * A void helper whose gradient class does not say which parameter is its out-parameter (as
   * one generated before {@code @WritesInPlace} existed, here written by hand): a clear error.
   */
  @Test
  void aPrecompiledVoidHelperWithoutItsRecordedOutParameterIsAClearError() throws Exception {
    Compilation lib = com.google.testing.compile.Compiler.javac().compile(
        Compiled.source("lib.Old",
            "package lib;",
            "import dev.adjoint.Differentiable;",
            "public final class Old {",
            "  @Differentiable public static void twice(double[] x, double[] out) {",
            "    for (int i = 0; i < x.length; i++) out[i] = 2 * x[i];",
            "  }",
            "}"),
        Compiled.source("lib.OldGrad",
            "package lib;",
            "public final class OldGrad {",
            "  public record Twice(double[] value, double[] x, double[] out) {}",
            "}"));
    assertThat(lib).succeeded();
    Compiled.writeClasses(lib, library);
    JavaFileObject user = Compiled.source("app.UseOld",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "class UseOld {",
        "  @Differentiable static double f(double[] x) {",
        "    double[] h = new double[x.length];",
        "    lib.Old.twice(x, h);",
        "    return h[0];",
        "  }",
        "}");
    Compilation app = com.google.testing.compile.Compiler.javac()
        .withProcessors(new AdjointProcessor()).withClasspath(classpath()).compile(user);
    assertThat(app).hadErrorContaining("[AdjointVoidCalleePrecompiled] void @Differentiable "
        + "method Old.twice is compiled elsewhere, and its gradient class does not say which "
        + "parameter is its out-parameter").inFile(user).onLine(6);
  }

  /**
   * A gradient class that lacks the record of a method, or whose record does not match it (as
   * from another version of Adjoint, here written by hand): a clear error at the call.
   */
  @Test
  void aGradientClassWithoutAMatchingRecordIsAClearError() throws Exception {
    Compilation lib = com.google.testing.compile.Compiler.javac().compile(
        Compiled.source("lib.Stale",
            "package lib;",
            "import dev.adjoint.Differentiable;",
            "public final class Stale {",
            "  @Differentiable public static double twice(double x) { return 2 * x; }",
            "  @Differentiable public static double both(double x, double y) { return x * y; }",
            "}"),
        Compiled.source("lib.StaleGrad",
            "package lib;",
            "public final class StaleGrad {",
            "  public record Both(double value, double x) {}",
            "}"));
    assertThat(lib).succeeded();
    Compiled.writeClasses(lib, library);
    JavaFileObject user = Compiled.source("app.UseStale",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "class UseStale {",
        "  @Differentiable static double f(double x) {",
        "    double a = lib.Stale.twice(x);",
        "    return a + lib.Stale.both(x, a);",
        "  }",
        "}");
    Compilation app = com.google.testing.compile.Compiler.javac()
        .withProcessors(new AdjointProcessor()).withClasspath(classpath()).compile(user);
    assertThat(app).hadErrorContaining("[AdjointGradientRecordMissing] lib.StaleGrad has no "
        + "record Twice for Stale.twice; recompile Stale").inFile(user).onLine(5);
    assertThat(app).hadErrorContaining("[AdjointGradientRecordMismatch] lib.StaleGrad.Both "
        + "does not match both; recompile Stale").inFile(user).onLine(6);
  }

  /** Compiles a library with the processor into the library directory. */
  private void buildLibrary(JavaFileObject source) throws IOException {
    Compilation lib = Compiled.compile(List.of(), source);
    assertThat(lib).succeededWithoutWarnings();
    Compiled.writeClasses(lib, library);
  }

  /** Compiles {@code user} with the processor against the library, requiring no warning. */
  private Compilation compileAgainstLibrary(JavaFileObject user) {
    Compilation app = com.google.testing.compile.Compiler.javac()
        .withProcessors(new AdjointProcessor())
        .withClasspath(classpath())
        .withOptions("-Xlint:all")
        .compile(user);
    assertThat(app).succeededWithoutWarnings();
    return app;
  }

  /** A loader of {@code app}'s classes and the library's (close it after use). */
  private URLClassLoader loader(Compilation app) throws IOException {
    Path appClasses = Files.createTempDirectory(library, "app");
    Compiled.writeClasses(app, appClasses);
    return new URLClassLoader(new URL[] {library.toUri().toURL(), appClasses.toUri().toURL()},
        getClass().getClassLoader());
  }

  /** The components of a gradient record: the value, then the derivatives. */
  private static Object[] components(Object record) throws ReflectiveOperationException {
    var components = record.getClass().getRecordComponents();
    Object[] out = new Object[components.length];
    for (int i = 0; i < out.length; i++) {
      components[i].getAccessor().setAccessible(true);
      out[i] = components[i].getAccessor().invoke(record);
    }
    return out;
  }

  /** The library directory, then the test's own class path. */
  private List<File> classpath() {
    List<File> classpath = new ArrayList<>();
    classpath.add(library.toFile());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(new File(entry));
    }
    return classpath;
  }
}
