package dev.adjoint.processor.fuzz;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing of method splitting: random programs whose gradient methods are all split
 * into parts of about 100 bytes of bytecode ({@code -Aadjoint.internal.splitAbove}), as the
 * processor splits gradients too large for the JVM, so that every construct ends up in parts,
 * with variables shared between them, loop bodies and branches split inside. Their gradients
 * must pass the same checks as in {@link DifferentialFuzzTest}. A longer run:
 * {@code -Dtest=DifferentialFuzzTest -Dadjoint.fuzz.splitAbove=100}.
 */
class SplitFuzzTest {
  private static final long SEED = 20250612L;
  private static final int PROGRAMS = 20;

  @Test
  void splitGradientsPassTheFuzzChecks() {
    FuzzRun run = new FuzzRun(SEED, 2, List.of("-Aadjoint.internal.splitAbove=100"));
    for (int i = 0; i < PROGRAMS; i += 20) {
      run.batch(i, 20);
    }
    if (!run.failures.isEmpty()) {
      throw new AssertionError(run.failures.size() + " fuzz failures with splitting:\n"
          + run.failures.stream().map(f -> f.describe(SEED)).collect(Collectors.joining("\n")));
    }
  }
}
