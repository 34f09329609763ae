package dev.adjoint.processor.statements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code switch} statements and expressions (the golden {@code Switches}): every case, values
 * and gradients against finite differences, with and without the analyses.
 */
class SwitchTest {
  private static final String CLASS = "golden.Switches";
  private static Compiled on;
  private static Compiled off;

  @BeforeAll
  static void compile() throws IOException {
    JavaFileObject source = Compiled.source(CLASS,
        ExpressionAssignmentTest.golden("Switches.java"));
    on = Compiled.of(source);
    off = Compiled.of(List.of("-Aadjoint.analyses=off"), source);
  }

  static Stream<Arguments> points() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (int k = -1; k <= 4; k++) {
      b.add(Arguments.of("colon", new Object[] {0.7, k}));
    }
    b.add(Arguments.of("inLoop", new Object[] {new double[] {0.3, -0.7, 1.1, 0.4, 1.3, -2.0},
        0.9}));
    for (char op : new char[] {'+', '*', '-'}) {
      b.add(Arguments.of("expression", new Object[] {0.4, op}));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("points")
  void gradientsMatchFiniteDifferences(String method, Object[] args) {
    ArrayGradientCheck.check(on, CLASS, method, args);
    ArrayGradientCheck.check(off, CLASS, method, args);
  }

  /** Over an enum and over Strings: every case, inside a loop too. */
  @Test
  void enumAndStringSwitchesMatchFiniteDifferences() {
    for (Compiled c : List.of(on, off)) {
      for (Object a : c.load(CLASS + "$Activation").getEnumConstants()) {
        for (double x : new double[] {0.7, -0.4}) {
          ArrayGradientCheck.check(c, CLASS, "activate", x, a);
        }
        for (String op : new String[] {"square", "sq", "exp", "other"}) {
          ArrayGradientCheck.check(c, CLASS, "named", new double[] {0.3, -0.7, 1.1}, op, a);
        }
      }
    }
  }

  /**
   * Enum and String parameters are handed on to callees, as are enum constants and String
   * literals; forward mode and Hessian-vector products switch the same way.
   */
  @Test
  void enumAndStringArgumentsInCallsAndForwardMode() throws Exception {
    Compiled c = Compiled.of(Compiled.source("q.Modes", """
        package q;
        import dev.adjoint.Differentiable;
        class Modes {
          enum Act { RELU, TANH }
          @Differentiable(forward = true, hessian = true)
          static double f(double x, Act a, String s) {
            double y = switch (a) { case RELU -> Math.max(0, x); case TANH -> Math.tanh(x); };
            switch (s) { case "sq": y = y * y; break; default: y = y + 1; }
            return y * x;
          }
          @Differentiable static double g(double x, Act a) {
            double r = f(x, a, "sq") + f(x * x, Act.RELU, "other");
            return a != Act.TANH ? r : a == Act.TANH && x > 0 ? r * x : -r;
          }
        }
        """));
    double h = 1e-6;
    for (Object a : c.load("q.Modes$Act").getEnumConstants()) {
      ArrayGradientCheck.check(c, "q.Modes", "g", 0.7, a);
      for (String s : new String[] {"sq", "other"}) {
        double x = 0.7;
        ArrayGradientCheck.check(c, "q.Modes", "f", x, a, s);
        Object jvp = c.invoke("q.ModesGrad", "fJvp", x, a, s, 1.0);
        double tangent = (double) jvp.getClass().getRecordComponents()[1].getAccessor()
            .invoke(jvp);
        double slope = (c.value("q.Modes", "f", x + h, a, s)
            - c.value("q.Modes", "f", x - h, a, s)) / (2 * h);
        assertEquals(slope, tangent, 1e-6);
        double curvature = (c.gradient("q.Modes", "f", x + h, a, s)[1]
            - c.gradient("q.Modes", "f", x - h, a, s)[1]) / (2 * h);
        assertEquals(curvature, c.gradient("q.Modes", "fHvp", x, a, s, 1.0)[1], 1e-5);
      }
    }
  }

  /** Java's switch throws on a null selector; so does the gradient. */
  @Test
  void aNullSelectorThrowsAsInJava() {
    Object relu = on.load(CLASS + "$Activation").getEnumConstants()[0];
    for (Object[] args : List.of(new Object[] {0.5, null},
        new Object[] {new double[] {0.5}, null, relu})) {
      String method = args.length == 2 ? "activate" : "named";
      AssertionError e = assertThrows(AssertionError.class,
          () -> on.invoke(CLASS + "Grad", method, args));
      assertInstanceOf(NullPointerException.class, e.getCause());
    }
  }

  /** Fall-through and break, by value. */
  @Test
  void valuesFollowJava() {
    double x = 0.7;
    assertEquals(x * x * x, on.value(CLASS, "colon", x, 1), 0);
    assertEquals(Math.sin(x + 1) * x, on.value(CLASS, "colon", x, 2), 0);
    assertEquals(Math.sin(x) * x, on.value(CLASS, "colon", x, 3), 0);
    assertEquals(-x * x, on.value(CLASS, "colon", x, 7), 0);
  }
}
