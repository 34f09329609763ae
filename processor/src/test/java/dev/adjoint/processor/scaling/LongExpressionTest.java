package dev.adjoint.processor.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.Compiled;
import org.junit.jupiter.api.Test;

/**
 * A long expression (a sum of 1,200 terms, nested 1,200 deep as javac parses it) is
 * differentiated: the processor recurses over it on a thread with a large stack, where it used to
 * overflow javac's thread and report an internal error.
 */
class LongExpressionTest {
  private static final int TERMS = 1200;

  @Test
  void sumOfManyTermsIsDifferentiated() {
    StringBuilder sum = new StringBuilder();
    for (int k = 0; k < TERMS; k++) {
      sum.append(k > 0 ? " + " : "").append("Math.sin(x * ").append(k % 7 + 1).append(")");
    }
    Compiled c = Compiled.of(Compiled.source("p.Long",
        "package p;",
        "import dev.adjoint.Differentiable;",
        "final class Long {",
        "  @Differentiable static double f(double x) {",
        "    return " + sum + ";",
        "  }",
        "}"));
    double x = 0.37;
    double value = 0;
    double derivative = 0;
    for (int k = 0; k < TERMS; k++) {
      int a = k % 7 + 1;
      value += Math.sin(x * a);
      derivative += a * Math.cos(x * a);
    }
    double[] g = c.gradient("p.Long", "f", x);
    assertEquals(value, g[0], 1e-9 * Math.abs(value));
    assertEquals(derivative, g[1], 1e-9 * Math.abs(derivative));
  }
}
