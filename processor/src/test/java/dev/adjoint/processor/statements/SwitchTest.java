package dev.adjoint.processor.statements;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
