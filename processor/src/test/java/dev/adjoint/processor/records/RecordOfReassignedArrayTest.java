package dev.adjoint.processor.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * A record created from an array variable that is given another array afterwards keeps the
 * array the variable held when the record was created, as Java's record does (the front end
 * once bound the component to the variable itself, so the record followed the reassignment:
 * a wrong value and a zero gradient).
 */
class RecordOfReassignedArrayTest {
  private static final JavaFileObject SOURCE = Compiled.source("rec.Later",
      "package rec;",
      "import dev.adjoint.Differentiable;",
      "public final class Later {",
      "  public record P(double[] a, double c) {}",
      "  @Differentiable public static double f(double[] x, double y) {",
      "    double[] h = new double[2];",
      "    h[0] = x[0] * y;",
      "    h[1] = x[1];",
      "    P q = new P(h, y);",
      "    h = new double[2];",
      "    h[0] = 5 * y;",
      "    h[1] = 7;",
      "    return q.a()[0] * q.a()[1] + h[0] + q.c();",
      "  }",
      "}");

  @Test
  void theRecordKeepsTheArrayItWasGiven() throws ReflectiveOperationException {
    for (List<String> options : List.of(List.<String>of(), List.of("-Aadjoint.analyses=off"))) {
      Compiled c = Compiled.of(options, SOURCE);
      double[] x = {0.5, 0.25};
      // f = x0 y x1 + 5 y + y
      assertEquals(0.5 * 1.5 * 0.25 + 7.5 + 1.5, c.value("rec.Later", "f", x, 1.5), 1e-12);
      Object record = c.invoke("rec.LaterGrad", "f", x, 1.5);
      assertArrayEquals(new double[] {1.5 * 0.25, 0.5 * 1.5},
          (double[]) record.getClass().getMethod("x").invoke(record), 1e-12);
      assertEquals(0.5 * 0.25 + 6, (double) record.getClass().getMethod("y").invoke(record),
          1e-12);
      ArrayGradientCheck.check(c, "rec.Later", "f", new double[] {-0.3, 1.1}, 0.7);
    }
  }
}
