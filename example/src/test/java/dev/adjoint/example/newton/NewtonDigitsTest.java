package dev.adjoint.example.newton;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Newton-CG example: a convex fit that must reach the minimum the first-order fit approaches. */
class NewtonDigitsTest {
  @Test
  void newtonCgReachesTheMinimumInFewIterations() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    NewtonDigits.Fit[] fits = NewtonDigits.run(new PrintStream(bytes, true,
        StandardCharsets.UTF_8));
    NewtonDigits.Fit newton = fits[0];
    NewtonDigits.Fit adam = fits[1];
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(newton.loss() <= adam.loss(), table);
    assertTrue(newton.iterations() <= 20, table);
    assertTrue(newton.testAccuracy() >= 0.93, table);
    assertTrue(table.contains("Newton-CG"), table);
  }
}
