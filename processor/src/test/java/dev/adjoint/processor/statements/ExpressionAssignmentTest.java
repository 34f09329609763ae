package dev.adjoint.processor.statements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Assignments, {@code ++} and {@code --} inside expressions and conditions (the golden
 * {@code ExpressionAssignments}): values and gradients against finite differences, with and
 * without the analyses.
 */
class ExpressionAssignmentTest {
  private static final String CLASS = "golden.ExpressionAssignments";
  private static Compiled on;
  private static Compiled off;

  @BeforeAll
  static void compile() throws IOException {
    JavaFileObject source = Compiled.source(CLASS, golden("ExpressionAssignments.java"));
    on = Compiled.of(source);
    off = Compiled.of(List.of("-Aadjoint.analyses=off"), source);
  }

  static String golden(String name) throws IOException {
    try (InputStream in = ExpressionAssignmentTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Stream<Arguments> points() {
    double[] x = {0.3, -0.7, 1.1, 0.4, -1.3};
    return Stream.of(
        Arguments.of("countDown", new Object[] {x, 5}),
        Arguments.of("countDown", new Object[] {x, 3}),
        Arguments.of("countDown", new Object[] {x, 0}),
        Arguments.of("countDown", new Object[] {x, -2}),
        Arguments.of("preDecrement", new Object[] {x, 0.8}),
        Arguments.of("preDecrement", new Object[] {new double[0], 0.8}),
        Arguments.of("walk", new Object[] {x}),
        Arguments.of("walk", new Object[] {new double[] {0.5}}),
        Arguments.of("chains", new Object[] {0.6, -1.2}),
        Arguments.of("compounds", new Object[] {0.6, -1.2}),
        Arguments.of("compounds", new Object[] {-0.6, 1.2}),
        Arguments.of("order", new Object[] {0.6, -1.2}),
        Arguments.of("forCondition", new Object[] {1.7, 100}),
        Arguments.of("forCondition", new Object[] {1.7, 3}),
        Arguments.of("halve", new Object[] {2.3}),
        Arguments.of("halve", new Object[] {0.3}),
        Arguments.of("helpers", new Object[] {x, 0.45, 4}),
        Arguments.of("helpers", new Object[] {x, -0.45, 7}),
        Arguments.of("copies", new Object[] {x, 3}),
        Arguments.of("copies", new Object[] {x, 7}),
        Arguments.of("tables", new Object[] {x, 0.8}));
  }

  @ParameterizedTest(name = "{0} {index}")
  @MethodSource("points")
  void gradientsMatchFiniteDifferences(String method, Object[] args) {
    ArrayGradientCheck.check(on, CLASS, method, args);
    ArrayGradientCheck.check(off, CLASS, method, args);
  }

  /** Java's order of evaluation, checked on values against hand-evaluated results. */
  @Test
  void valuesFollowJavasOrder() {
    // order: w = x * y + y, then (y = 2x) * y
    assertEquals(0.6 * -1.2 + -1.2 + 1.2 * 1.2, on.value(CLASS, "order", 0.6, -1.2), 1e-12);
    // chains: a[1] = b[2] = xy, t = u = y^2
    assertEquals(0.72 * 0.72 + Math.pow(1.44, 2) + 0.6,
        on.value(CLASS, "chains", 0.6, -1.2), 1e-12);
  }

  /** while (n-- > 0) is counted: no tape of its trip count, like the for loop. */
  @Test
  void countingWhileNeedsNoTape() {
    String generated = on.generatedSource("golden.ExpressionAssignmentsGrad");
    String countDown = generated.substring(generated.indexOf("countDown("),
        generated.indexOf("preDecrement("));
    assertFalse(countDown.contains("Tape"), countDown);
    assertTrue(countDown.contains("for (int n2 = n - 1; n2 + 1 > 0; n2--)"), countDown);
  }
}
