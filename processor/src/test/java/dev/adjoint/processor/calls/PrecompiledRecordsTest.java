package dev.adjoint.processor.calls;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.RecordGradientCheck;
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
 * Records compiled earlier (a library on the classpath): created inside a {@code @Differentiable}
 * method when their canonical constructor is the implicit one (read from the class file's
 * bytecode, which is all a class file says about it), an error naming the record when it is a
 * constructor of the record's own; and a recursive record method of the library, whose
 * {@code Grad} class has the seeded accumulating form, called in a loop through that form.
 */
class PrecompiledRecordsTest {
  @TempDir Path library;

  private static JavaFileObject lib() {
    return Compiled.source("lib.Shapes",
        "package lib;",
        "import dev.adjoint.Differentiable;",
        "public final class Shapes {",
        "  public record P(double[] w, double b) {}",
        "  /** Every kind of component: two-slot longs, ints, floats, 2-D arrays, records. */",
        "  public record Mixed(P inner, float s, long m, int n, boolean on, double[][] grid,",
        "      double t) {}",
        "  public record Deep(double[][] w, double[] b) {",
        "    @Differentiable",
        "    public double level(double[] h, int l) {",
        "      double s = b[l];",
        "      for (int i = 0; i < h.length; i++) {",
        "        s += w[l][i] * h[i];",
        "      }",
        "      if (l + 1 == w.length) {",
        "        return Math.sin(s);",
        "      }",
        "      double[] next = new double[h.length];",
        "      for (int i = 0; i < h.length; i++) {",
        "        next[i] = Math.tanh(s + h[i]);",
        "      }",
        "      return 0.5 * level(next, l + 1) + s * 0.1;",
        "    }",
        "  }",
        "}");
  }

  /**
   * Records with constructors of their own, compiled on their own: in the test harness's
   * in-memory compilation a compact or explicit canonical constructor is rejected in the second
   * round of annotation processing that generating a Grad class starts ("canonical constructor
   * must not contain explicit constructor invocation"); plain javac accepts it.
   */
  private static JavaFileObject own() {
    return Compiled.source("lib.Own",
        "package lib;",
        "public final class Own {",
        "  public record EmptyCompact(double a) { public EmptyCompact {} }",
        "  public record Compact(double a) { public Compact { a = Math.abs(a); } }",
        "  public record Explicit(double a) {",
        "    public Explicit(double a) { this.a = 2 * a; }",
        "  }",
        "  public record Checked(double[] w) {",
        "    public Checked { if (w.length == 0) throw new IllegalArgumentException(); }",
        "  }",
        "}");
  }

  private ClassLoader buildLibrary() throws IOException {
    Compiled.of(own()).writeClassesTo(library);
    Compiled.of(lib()).writeClassesTo(library);
    return new URLClassLoader(new URL[] {library.toUri().toURL()},
        PrecompiledRecordsTest.class.getClassLoader());
  }

  private List<String> classpath() {
    return List.of("-classpath",
        library + File.pathSeparator + System.getProperty("java.class.path"));
  }

  @Test
  void recordsOfClassFilesWithTheImplicitConstructorAreCreated() throws Exception {
    ClassLoader loader = buildLibrary();
    JavaFileObject user = Compiled.source("app.Make",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "import lib.Own;",
        "import lib.Shapes;",
        "class Make {",
        "  @Differentiable",
        "  static double make(double[] w, double b, float s, double[][] grid) {",
        "    Shapes.P p = new Shapes.P(w, b * b);",
        "    Shapes.Mixed m = new Shapes.Mixed(p, s, 3L, 2, true, grid, b);",
        "    Own.EmptyCompact e = new Own.EmptyCompact(w[0] * b);",
        "    return m.inner().w()[1] * m.inner().b() + m.s() * m.t() + m.grid()[1][0] * m.n()",
        "        + e.a() * e.a();",
        "  }",
        "}");
    Compiled app = Compiled.of(classpath(), loader, user);
    Random random = new Random(37);
    double[][] grid = {{0.2, -0.4}, {0.9, 0.1}};
    for (int k = 0; k < 3; k++) {
      RecordGradientCheck.check(app, "app.Make", "make", null, List.of(),
          new double[] {random.nextDouble() - 0.5, random.nextDouble(), 0.3},
          random.nextDouble() + 0.2, 0.6f, grid);
    }
  }

  @Test
  void recordsOfClassFilesWithAConstructorOfTheirOwnAreAnErrorAtTheCreation()
      throws Exception {
    buildLibrary();
    JavaFileObject user = Compiled.source("app.Bad",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "import lib.Own;",
        "class Bad {",
        "  @Differentiable static double compact(double x) {",
        "    Own.Compact c = new Own.Compact(x);",
        "    return c.a();",
        "  }",
        "  @Differentiable static double explicit(double x) {",
        "    Own.Explicit e = new Own.Explicit(x);",
        "    return e.a() * 2;",
        "  }",
        "  @Differentiable static double checked(double[] w) {",
        "    Own.Checked c = new Own.Checked(w);",
        "    return c.w()[0];",
        "  }",
        "}");
    Compilation c = Compiled.compile(classpath(), user);
    assertThat(c).failed();
    for (int line : new int[] {6, 10, 14}) {
      assertThat(c).hadErrorContaining("[AdjointRecordCustomConstructor]")
          .inFile(user).onLine(line);
    }
    assertThat(c).hadErrorContaining("record Compact declares its own canonical constructor, "
        + "which a record created in a @Differentiable method would bypass");
    assertThat(c).hadErrorContaining("record Explicit declares its own canonical constructor");
  }

  @Test
  void aRecursiveLibraryMethodIsCalledThroughItsSeededForm() throws Exception {
    ClassLoader loader = buildLibrary();
    JavaFileObject user = Compiled.source("app.UseDeep",
        "package app;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;",
        "import lib.Shapes;",
        "class UseDeep {",
        "  @Differentiable",
        "  static double batch(Shapes.Deep d, @NoDerivative double[][] xs, double k) {",
        "    double t = 0;",
        "    for (int i = 0; i < xs.length; i++) {",
        "      t += d.level(xs[i], 0) * k;",
        "    }",
        "    return t;",
        "  }",
        "}");
    Compiled app = Compiled.of(classpath(), loader, user);
    String generated = app.generatedSource("app.UseDeepGrad");
    assertTrue(generated.contains("Shapes_DeepGrad.level(d, xs[i], 0, "), generated);
    assertTrue(generated.contains("LevelAccumulator("), generated);
    assertFalse(generated.contains("Shapes_DeepGrad.Level "), generated);
    Random random = new Random(41);
    double[][] w = {CallsThatStayCallsTest.vector(random, 3),
        CallsThatStayCallsTest.vector(random, 3), CallsThatStayCallsTest.vector(random, 3)};
    var ctor = loader.loadClass("lib.Shapes$Deep").getDeclaredConstructors()[0];
    Object deep = ctor.newInstance(w, CallsThatStayCallsTest.vector(random, 3));
    double[][] xs = {CallsThatStayCallsTest.vector(random, 3),
        CallsThatStayCallsTest.vector(random, 3)};
    RecordGradientCheck.check(app, "app.UseDeep", "batch", null, List.of("xs"), deep, xs, 0.7);
  }
}
