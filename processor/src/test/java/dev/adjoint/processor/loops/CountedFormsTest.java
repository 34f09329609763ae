package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.adjoint.processor.forward.ForwardCheck;
import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loop spellings that {@code normalize/CountedForms} gives their plain form: {@code while
 * (true)} with its exit test first or last, {@code x[i++]} twice per iteration, and a second
 * counter stepped inside a {@code for} or {@code while} loop ({@code s += w[k] * x[i++]}). Each
 * method of {@code p.Construct} has a twin of the same name in {@code p.Plain}, written the plain
 * way; with the analyses on and off, every generated form (gradient, accumulating form, JVP, HVP,
 * directional derivative) of a construct is its twin's, and both match finite differences.
 */
class CountedFormsTest {
  private static final String CONSTRUCT = """
      package p;
      import dev.adjoint.Differentiable;
      class Construct {
        @Differentiable(forward = true, hessian = true)
        static double first(double[] x) {
          double s = 0;
          int i = 0;
          while (true) {
            if (i >= x.length) {
              break;
            }
            s = 0.5 * s + x[i] * x[i];
            i++;
          }
          return s;
        }
        @Differentiable(forward = true, hessian = true)
        static double last(double[] x) {
          double s = 0;
          int i = 0;
          while (true) {
            double v = i < x.length ? x[i] : 1.5;
            s = 0.5 * s + v * v;
            i++;
            if (i >= x.length) {
              break;
            }
          }
          return s;
        }
        @Differentiable(forward = true, hessian = true)
        static double pairs(double[] x) {
          double s = 0;
          int i = 0;
          while (i + 1 < x.length) {
            double a = x[i++];
            double b = x[i++];
            s = 0.5 * s + a * b;
          }
          return s;
        }
        @Differentiable(forward = true, hessian = true)
        static double secondInFor(double[] w, double[] x) {
          double s = 0;
          int i = 1;
          for (int k = 0; k + 1 < x.length; k++) {
            double a = x[i++];
            s = 0.5 * s + w[k] * a * a;
          }
          return s;
        }
        @Differentiable(forward = true, hessian = true)
        static double secondInWhile(double[] w, double[] x) {
          double s = 0;
          int i = 0;
          int k = 0;
          while (k < x.length) {
            s += w[k] * x[i++] * x[k];
            k++;
          }
          return s;
        }
      }
      """;

  private static final String PLAIN = """
      package p;
      import dev.adjoint.Differentiable;
      class Plain {
        @Differentiable(forward = true, hessian = true)
        static double first(double[] x) {
          double s = 0;
          int i = 0;
          while (i < x.length) {
            s = 0.5 * s + x[i] * x[i];
            i++;
          }
          return s;
        }
        @Differentiable(forward = true, hessian = true)
        static double last(double[] x) {
          double s = 0;
          int i = 0;
          do {
            double v = i < x.length ? x[i] : 1.5;
            s = 0.5 * s + v * v;
            i++;
          } while (i < x.length);
          return s;
        }
        @Differentiable(forward = true, hessian = true)
        static double pairs(double[] x) {
          double s = 0;
          int i = 0;
          while (i + 1 < x.length) {
            double a = x[i];
            double b = x[i + 1];
            s = 0.5 * s + a * b;
            i += 2;
          }
          return s;
        }
        @Differentiable(forward = true, hessian = true)
        static double secondInFor(double[] w, double[] x) {
          double s = 0;
          int i = 1;
          for (int k = 0; k + 1 < x.length; k++) {
            double a = x[i];
            s = 0.5 * s + w[k] * a * a;
            i++;
          }
          return s;
        }
        @Differentiable(forward = true, hessian = true)
        static double secondInWhile(double[] w, double[] x) {
          double s = 0;
          int i = 0;
          int k = 0;
          while (k < x.length) {
            s += w[k] * x[i] * x[k];
            i++;
            k++;
          }
          return s;
        }
      }
      """;

  private static Compiled on;
  private static Compiled off;

  @BeforeAll
  static void compile() {
    JavaFileObject construct = Compiled.source("p.Construct", CONSTRUCT.split("\n"));
    JavaFileObject plain = Compiled.source("p.Plain", PLAIN.split("\n"));
    on = Compiled.of(construct, plain);
    off = Compiled.of(List.of("-Aadjoint.analyses=off"), construct, plain);
  }

  private static Object[] args(String method, int n, long seed) {
    Random r = new Random(seed);
    double[] x = r.doubles(n, -1.5, 1.5).toArray();
    double[] w = r.doubles(n, -1.5, 1.5).toArray();
    return method.startsWith("second") ? new Object[] {w, x} : new Object[] {x};
  }

  @ParameterizedTest
  @ValueSource(strings = {"first", "last", "pairs", "secondInFor", "secondInWhile"})
  void gradientsJvpsAndHvpsMatchFiniteDifferences(String method) {
    for (Compiled c : List.of(on, off)) {
      for (String cls : List.of("p.Construct", "p.Plain")) {
        for (int n : new int[] {1, 2, 3, 6}) {
          Object[] args = args(method, n, 31L * n + method.hashCode());
          ArrayGradientCheck.check(c, cls, method, args);
          ForwardCheck check = new ForwardCheck(c, cls, method);
          check.jvp(args, new Random(n));
          check.hvp(args, new Random(n + 1));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void everyFormOfAConstructIsItsPlainTwinsAndCountsItsLoops(boolean analyses) {
    Compiled c = analyses ? on : off;
    String construct = code(c.generatedSource("p.ConstructGrad")).replace("Construct", "Plain");
    String plain = code(c.generatedSource("p.PlainGrad"));
    assertEquals(plain, construct);
    // Counted: no trip counts replayed, in any form.
    assertFalse(plain.contains("iterations"), plain);
    if (analyses) {
      assertFalse(plain.contains("Tape"), plain);
    }
  }

  /** Generated source without its comments, which quote the source lines. */
  private static String code(String src) {
    return src.lines().filter(l -> {
      String t = l.trim();
      return !t.startsWith("//") && !t.startsWith("*") && !t.startsWith("/*");
    }).collect(Collectors.joining("\n"));
  }
}
