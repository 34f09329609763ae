package dev.adjoint.processor.statements;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code System.out.println}, {@code print}, {@code printf} and {@code format} (and on
 * {@code System.err}) in {@code @Differentiable} methods: every generated form that computes the
 * function's value (gradient, JVP, HVP) prints exactly what the function prints, once, in its
 * order (the reverse sweep prints nothing), with the analyses on and off; in loops and branches,
 * fused and recomputed loops, early returns and inlined callees. The gradients are checked
 * against finite differences, so a print changes no derivative.
 */
class PrintTest {
  private static final String CLS = "p.Pr";

  private static JavaFileObject source() {
    return Compiled.source(CLS, """
        package p;
        import dev.adjoint.*;
        import java.math.RoundingMode;
        class Pr {
          static final String TAG = "tag";
          @Differentiable(forward = true, hessian = true)
          static double loop(double x, int n) {
            double s = 0;
            System.out.println("start " + x);
            for (int i = 0; i < n; i++) {
              s += Math.sin(x * i);
              if (s > 0.5) System.out.printf("i=%d s=%.6f%n", i, s);
              else System.err.print(i + "," + s + ";");
            }
            System.out.println(s);
            return s * x;
          }
          @Differentiable
          static double fused(double[] w, double x) {
            double s = 0;
            for (int i = 0; i < w.length; i++) {
              double t = w[i] * x;
              System.out.print(t + " ");
              s += t * t;
            }
            System.out.println();
            return s;
          }
          @Differentiable(forward = true)
          static double early(double x) {
            double y = x;
            while (true) {
              y = y * 0.5;
              System.out.println("y " + y);
              if (y < 1) return y * x;
            }
          }
          @Differentiable static double helper(double a) {
            System.out.println("helper " + a);
            return a * a;
          }
          @Differentiable(forward = true)
          static double callsHelper(double x) {
            double s = 0;
            for (int i = 0; i < 3; i++) s += helper(x + i);
            System.out.println("after " + s);
            return s;
          }
          @Differentiable
          static double kinds(String s, RoundingMode m, double x, int k) {
            System.out.println(s + ":" + m + " " + (x > 0) + 'c' + 1 + 2);
            System.out.println(1 + 2 + TAG + (x + 1) + "/" + (float) x * 2f + (char) (k + 'a'));
            System.out.println(k++);
            System.out.format("%s %d%n", s, k);
            System.out.println(m);
            System.out.println(x * x);
            return x * k;
          }
          @Differentiable(forward = true, hessian = true)
          static float floats(float x) {
            float y = x * x;
            System.out.println(y);
            return y * x;
          }
          @Differentiable static void fill(double[] x, double c, double[] out) {
            for (int i = 0; i < out.length; i++) {
              out[i] = Math.tanh(c * x[i]);
              System.out.println("out " + i + " " + out[i]);
            }
          }
          @Differentiable
          static double nested(double[] x, double c, int k) {
            double[] h = new double[x.length];
            double s = 0;
            for (int r = 0; r < 2; r++) {
              fill(x, c + r, h);
              for (int i = 0; i < h.length; i++) {
                switch (k) {
                  case 0 -> System.out.println("zero " + h[i]);
                  default -> {
                    s += h[i];
                    System.out.printf("%d %.5f%n", i, s);
                  }
                }
                s = s * Math.sin(s + h[i]) + h[i];
                if (s > 10) break;
              }
            }
            int n = 3;
            do {
              s += c * n;
              System.out.println(n);
            } while (--n > 0);
            double t = s * s;
            return t + s;
          }
          @Differentiable(forward = true, hessian = true)
          static double update(double x, int n) {
            double s = 0;
            for (int i = 0; i < n; i++, System.out.println("i " + i)) s += Math.sin(s + x * i);
            while (s < 100) System.out.println(s = s * 2 + x);
            return s;
          }
        }
        """);
  }

  private static Compiled on;
  private static Compiled off;

  private static Compiled compiled(boolean analyses) {
    if (on == null) {
      on = Compiled.of(source());
      off = Compiled.of(List.of("-A" + AdjointProcessor.ANALYSES_OPTION + "=off"), source());
    }
    return analyses ? on : off;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("loop", new Object[] {0.7, 6}),
        Arguments.of("loop", new Object[] {-0.3, 4}),
        Arguments.of("fused", new Object[] {new double[] {0.5, -1.5, 2.0}, 0.75}),
        Arguments.of("early", new Object[] {9.0}),
        Arguments.of("callsHelper", new Object[] {0.4}),
        Arguments.of("kinds", new Object[] {"up", RoundingMode.FLOOR, 0.25, 3}),
        Arguments.of("floats", new Object[] {0.3f}),
        Arguments.of("nested", new Object[] {new double[] {0.5, -1.5, 2.0}, 0.75, 0}),
        Arguments.of("nested", new Object[] {new double[] {0.5, -1.5, 2.0}, 0.75, 1}),
        Arguments.of("update", new Object[] {0.3, 3}));
  }

  /** What {@code run} prints to System.out and System.err, interleaved as printed. */
  private static String printed(Runnable run) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      run.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Object[] copy(Object[] args) {
    Object[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof double[] a) {
        out[i] = a.clone();
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void theGradientPrintsWhatTheFunctionPrintsOnce(String method, Object[] args) {
    for (boolean analyses : new boolean[] {true, false}) {
      Compiled c = compiled(analyses);
      String expected = printed(() -> c.invoke(CLS, method, copy(args)));
      assertFalse(expected.isEmpty());
      String actual = printed(() -> c.invoke(CLS + "Grad", method, copy(args)));
      assertEquals(expected, actual, method + ", analyses " + analyses);
      printed(() -> ArrayGradientCheck.check(c, CLS, method, copy(args)));
    }
  }

  static Stream<Arguments> forwardCases() {
    return Stream.of(
        Arguments.of("loop", new Object[] {0.7, 6}, new Object[] {0.7, 6, 1.0}, true),
        Arguments.of("early", new Object[] {9.0}, new Object[] {9.0, 1.0}, false),
        Arguments.of("callsHelper", new Object[] {0.4}, new Object[] {0.4, -2.0}, false),
        Arguments.of("floats", new Object[] {0.3f}, new Object[] {0.3f, 1f}, true),
        Arguments.of("update", new Object[] {0.3, 3}, new Object[] {0.3, 3, 1.0}, true));
  }

  /** The JVP and the HVP compute the value once, and print as the function does. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("forwardCases")
  void jvpAndHvpPrintWhatTheFunctionPrintsOnce(String method, Object[] args,
      Object[] withDirection, boolean hessian) {
    for (boolean analyses : new boolean[] {true, false}) {
      Compiled c = compiled(analyses);
      String expected = printed(() -> c.invoke(CLS, method, args));
      assertEquals(expected, printed(() -> c.invoke(CLS + "Grad", method + "Jvp",
          withDirection)), method + "Jvp, analyses " + analyses);
      if (hessian) {
        assertEquals(expected, printed(() -> c.invoke(CLS + "Grad", method + "Hvp",
            withDirection)), method + "Hvp, analyses " + analyses);
      }
    }
  }

  @Test
  void theGeneratedCodePrintsInTheForwardSweepOnly() {
    String generated = compiled(true).generatedSource(CLS + "Grad");
    // in loop's gradient and JVP; the HVP calls loop itself for its value, which prints, and
    // its directional forms (for callers' HVPs) print nothing
    assertEquals(2, count(generated, "System.out.println(\"start \" + x);"), generated);
    assertEquals(1, count(generated, "double loopValue = Pr.loop(x, n);"), generated);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  /**
   * A callee that prints and stays a call would print again in the reverse sweep: an error, at
   * the call (with inlining off; a Hessian-vector product calls its callees' directional forms).
   */
  @Test
  void aPrintingCalleeThatIsNotInlinedIsAnError() {
    JavaFileObject src = source();
    Compilation c = Compiled.compile(List.of("-Aadjoint.inline=off"), src);
    assertThat(c).hadErrorContaining("[AdjointPrintingCallee] Pr.helper prints, and this call "
        + "of it is not inlined").inFile(src).onLine(45);
    JavaFileObject hvp = Compiled.source("p.Hv",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Hv {",
        "  @Differentiable static double noisy(double a) {",
        "    System.out.println(a);",
        "    return a * a;",
        "  }",
        "  @Differentiable(hessian = true) static double f(double x) {",
        "    double y = noisy(x) * x;",
        "    return y;",
        "  }",
        "  @Differentiable static double g(double x) {",
        "    return noisy(x) * x;",
        "  }",
        "}");
    Compilation h = Compiled.compile(List.of(), hvp);
    assertThat(h).hadErrorContaining("[AdjointPrintingCallee] Hv.noisy prints, and this call of "
        + "it is not inlined").inFile(hvp).onLine(9);
    assertThat(h).hadErrorCount(1); // g inlines noisy
    JavaFileObject out = Compiled.source("p.Out",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Out {",
        "  @Differentiable static void fill(double[] x, double[] out) {",
        "    for (int i = 0; i < out.length; i++) out[i] = x[i] * x[i];",
        "    System.out.println(out[0]);",
        "  }",
        "  @Differentiable static double f(double[] x) {",
        "    double[] h = new double[x.length];",
        "    fill(x, h);",
        "    return h[0];",
        "  }",
        "}");
    assertThat(Compiled.compile(List.of(), out)).hadErrorContaining("[AdjointPrintingCallee] "
        + "Out.fill prints, and this call of it is not inlined (it is too large or recursive, a "
        + "void method called at the top level").inFile(out).onLine(10);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("System.out.flush();", "[AdjointPrintMethod] System.out.flush is not "
            + "supported in @Differentiable methods; print with println, print, printf or "
            + "format"),
        Arguments.of("System.out.println(new double[] {x});", "[AdjointPrintArgument] cannot "
            + "print new double[]{x} in a @Differentiable method: a print's arguments may be "
            + "primitive values, String literals and constants, String and enum parameters, and + "
            + "concatenations of them; print an array element by element (x[i]), and anything "
            + "else in the caller"),
        Arguments.of("System.err.println(java.util.Arrays.toString(new double[] {x}));",
            "[AdjointPrintArgument] cannot print java.util.Arrays.toString(new double[]{x})"),
        Arguments.of("Math.sin(x);", "[AdjointDiscardedCall] the result of this call is "
            + "discarded; use its value (double y = ...) or remove the call (only a void "
            + "@Differentiable method, which writes its array out-parameter, and "
            + "System.out.println, print, printf and format may be called as statements)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void unsupportedPrintsAreErrorsAtTheirLine(String statement, String message) {
    JavaFileObject bad = Compiled.source("p.Bad",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "class Bad {",
        "  @Differentiable static double f(double x) {",
        "    double y = x * x;",
        "    " + statement,
        "    return y;",
        "  }",
        "}");
    assertThat(Compiled.compile(List.of(), bad)).hadErrorContaining(message).inFile(bad)
        .onLine(6);
  }
}
