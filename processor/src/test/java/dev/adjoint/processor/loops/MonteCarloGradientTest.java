package dev.adjoint.processor.loops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Monte Carlo pricers as a quant writes them (a loop over paths, an inner loop over steps):
 * their gradients against finite differences with and without the analyses, and what the cost
 * model keeps: each transcendental call once per path and step, each path's reverse right
 * after it (the tape holds one path at most).
 */
class MonteCarloGradientTest {
  private static final String P = "p.Pricers";
  private static Compiled c;
  private static Compiled unoptimised;

  @BeforeAll
  static void compile() {
    javax.tools.JavaFileObject programs = Compiled.source(P,
        "package p;",
        "import dev.adjoint.Differentiable;",
        "import dev.adjoint.NoDerivative;",
        "final class Pricers {",
        "  @Differentiable static double european(double spot, double vol, double rate,",
        "      @NoDerivative double strike, @NoDerivative double t, @NoDerivative double[] z) {",
        "    double sum = 0;",
        "    for (int p = 0; p < z.length; p++) {",
        "      double st = spot * Math.exp((rate - 0.5 * vol * vol) * t + vol * Math.sqrt(t) * z[p]);",
        "      sum += Math.max(st - strike, 0);",
        "    }",
        "    return Math.exp(-rate * t) * sum / z.length;",
        "  }",
        // Up-and-out barrier, a log-Euler Heston-like variance and a geometric average.
        "  @Differentiable static double barrier(double spot, double vol, double rate,",
        "      @NoDerivative double barrier, @NoDerivative double dt, @NoDerivative double[][] z) {",
        "    double total = 0;",
        "    for (int p = 0; p < z.length; p++) {",
        "      double s = spot;",
        "      double alive = 1;",
        "      for (int k = 0; k < z[p].length; k++) {",
        "        s *= Math.exp((rate - vol * vol / 2) * dt + vol * Math.sqrt(dt) * z[p][k]);",
        "        if (s > barrier) {",
        "          alive = 0;",
        "        }",
        "      }",
        "      total += alive * s;",
        "    }",
        "    return total / z.length;",
        "  }",
        "  @Differentiable static double stochasticVol(double spot, double v0, double kappa,",
        "      double xi, @NoDerivative double dt, @NoDerivative double[][] z) {",
        "    double total = 0;",
        "    for (int p = 0; p < z.length; p++) {",
        "      double logS = Math.log(spot);",
        "      double v = v0;",
        "      for (int k = 0; k < z[p].length; k++) {",
        "        double sd = Math.sqrt(v * dt);",
        "        logS += -0.5 * v * dt + sd * z[p][k];",
        "        v = Math.max(v + kappa * (0.04 - v) * dt + xi * sd * 0.5 * z[p][k], 1e-4);",
        "      }",
        "      total += Math.exp(logS);",
        "    }",
        "    return total / z.length;",
        "  }",
        "  @Differentiable static double geometric(double spot, double vol, @NoDerivative double[][] z) {",
        "    double sum = 0;",
        "    double sumSquares = 0;",
        "    for (int p = 0; p < z.length; p++) {",
        "      double s = spot;",
        "      double logs = 0;",
        "      for (int k = 0; k < z[p].length; k++) {",
        "        s = s * Math.exp(-0.5 * vol * vol / 16 + vol / 4 * z[p][k]);",
        "        logs += Math.log(s);",
        "      }",
        "      double g = Math.exp(logs / z[p].length);",
        "      sum += g;",
        "      sumSquares += g * g;",
        "    }",
        "    double mean = sum / z.length;",
        "    return Math.sqrt(sumSquares / z.length - mean * mean) + mean;",
        "  }",
        // A path array allocated per path, in a while loop: each path's reverse runs right after
        // it, the array's elements restored within the path.
        "  @Differentiable static double asianPathArray(double spot, double vol, double rate,",
        "      @NoDerivative double strike, @NoDerivative double t, @NoDerivative double[][] z) {",
        "    int steps = z[0].length;",
        "    double dt = t / steps;",
        "    double sum = 0;",
        "    int p = 0;",
        "    while (p < z.length) {",
        "      double[] path = new double[steps + 1];",
        "      path[0] = spot;",
        "      for (int k = 1; k <= steps; k++) {",
        "        path[k] = path[k - 1] * Math.exp((rate - 0.5 * vol * vol) * dt",
        "            + vol * Math.sqrt(dt) * z[p][k - 1]);",
        "      }",
        "      double avg = 0;",
        "      for (int k = 1; k <= steps; k++) avg += path[k];",
        "      avg /= steps;",
        "      sum += avg > strike ? avg - strike : 0.0;",
        "      p++;",
        "    }",
        "    return Math.exp(-rate * t) * sum / z.length;",
        "  }",
        // The per-path arrays add into an array read non-linearly after the loop: the paths'
        // adjoints need its final values, so the paths run backwards after all of them.
        "  @Differentiable static double profile(double spot, double vol, @NoDerivative double[][] z) {",
        "    int steps = z[0].length;",
        "    double[] mean = new double[steps];",
        "    for (int p = 0; p < z.length; p++) {",
        "      double[] path = new double[steps];",
        "      double s = spot;",
        "      for (int k = 0; k < steps; k++) {",
        "        s = s * Math.exp(vol * z[p][k]);",
        "        path[k] = s;",
        "        path[k] = path[k] * path[k] / spot;",
        "      }",
        "      for (int k = 0; k < steps; k++) mean[k] += path[k] / z.length;",
        "    }",
        "    double r = 0;",
        "    for (int k = 0; k < steps; k++) r += mean[k] * mean[k];",
        "    return r;",
        "  }",
        "}");
    c = Compiled.of(programs);
    unoptimised = Compiled.of(List.of("-Aadjoint.analyses=off"), programs);
  }

  private static void check(String method, Object... args) {
    ArrayGradientCheck.check(c, P, method, args);
    ArrayGradientCheck.check(unoptimised, P, method, args);
  }

  private static double[][] normals(int paths, int steps, long seed) {
    Random r = new Random(seed);
    double[][] z = new double[paths][steps];
    for (double[] path : z) {
      for (int k = 0; k < steps; k++) {
        path[k] = r.nextGaussian();
      }
    }
    return z;
  }

  @Test
  void europeanKeepsOneExpPerPathAndFusesThePaths() {
    // Deep in the money: no path near the kink.
    check("european", 100.0, 0.2, 0.03, 40.0, 1.0, normals(1, 8, 1)[0]);
    String g = gradientSource("european");
    assertEquals(1, count(g, "= Math.exp((rate"), g);
    assertFalse(g.contains("tape."), g);
    assertTrue(g.contains("reverse of this iteration"), g);
  }

  @Test
  void barrierAndStochasticVolatilityAndGeometricAverage() {
    check("barrier", 100.0, 0.2, 0.03, 1e9, 0.1, normals(4, 5, 2));
    check("stochasticVol", 100.0, 0.04, 1.5, 0.3, 0.1, normals(4, 5, 3));
    check("geometric", 100.0, 0.3, normals(5, 4, 4));
    // The geometric pricer's standard deviation makes the paths' adjoint depend on their sum:
    // its paths run backwards after all of them, as they must.
    for (String m : List.of("barrier", "stochasticVol")) {
      String g = gradientSource(m);
      // Each path's reverse runs right after it: nothing of one path is on the tape during the
      // next.
      assertTrue(g.contains("reverse of this iteration, right after it"), g);
    }
    // The per-step exp and sqrt are computed once per step, in the forward sweep.
    assertEquals(1, count(gradientSource("barrier"), "Math.exp("), gradientSource("barrier"));
    assertEquals(1, count(gradientSource("stochasticVol"), "Math.sqrt(v * dt)"),
        gradientSource("stochasticVol"));
  }

  @Test
  void aPathArrayAllocatedPerPathKeepsOnePathOnTheTape() {
    check("asianPathArray", 100.0, 0.2, 0.03, 80.0, 1.0, normals(4, 6, 5));
    check("profile", 100.0, 0.2, normals(3, 4, 6));
    String g = gradientSource("asianPathArray");
    assertTrue(g.contains("reverse of this iteration, right after it"), g);
    assertEquals(1, count(g, "Math.exp((rate"), g);
    // Fused or not, the profile's paths must see the final mean: checked by the values above.
  }

  /** The generated source of {@code method}'s accumulating form, without its comments. */
  private static String gradientSource(String method) {
    String src = c.generatedSource(P + "Grad");
    Matcher m = Pattern.compile("public static \\w+ " + method + "\\([^)]*Accumulator gradient\\)")
        .matcher(src);
    if (!m.find()) {
      m = Pattern.compile("public static \\w+ " + method + "\\(").matcher(src);
      assertTrue(m.find(), method);
    }
    int end = src.indexOf("\n    }\n", m.end());
    return src.substring(m.start(), end).replaceAll("(?m)^\\s*//.*line \\d+:.*$", "");
  }

  private static int count(String haystack, String needle) {
    return haystack.split(Pattern.quote(needle), -1).length - 1;
  }
}
