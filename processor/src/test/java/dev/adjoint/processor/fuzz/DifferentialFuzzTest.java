package dev.adjoint.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing of the processor: random {@code @Differentiable} programs from
 * {@link ProgramGenerator}, compiled in-process with and without the optimising analyses
 * ({@code -Aadjoint.analyses=off}), their gradients compared with central finite differences
 * and with each other, and the accumulating form with the record form (see
 * {@link FuzzChecker}). Programs are compiled {@code adjoint.fuzz.batch} at a time (default 20)
 * to amortise javac's start-up.
 *
 * <p>System properties: {@code adjoint.fuzz.programs} (default {@value #DEFAULT_PROGRAMS}),
 * {@code adjoint.fuzz.seed}, {@code adjoint.fuzz.first} (index of the first program; with
 * {@code programs=1} it regenerates one program of a run), {@code adjoint.fuzz.batch},
 * {@code adjoint.fuzz.points} (points per function, default 3), {@code adjoint.fuzz.splitAbove}
 * (split every gradient method estimated above this many bytes of bytecode into parts of that
 * size, as if too large for the JVM), {@code adjoint.fuzz.large}
 * (longer, deeper functions), {@code adjoint.fuzz.idiomShare} (share of loops written in the
 * spellings of {@link ProgramGenerator#idiomLoop}, default 0.3; the coverage check below is
 * then off) and {@code adjoint.fuzz.knownBugs} (also generate the constructs
 * of the disabled tests in {@link FuzzRegressionTest}). For example
 * {@code mvn -B -q test -pl runtime,processor -Dtest=DifferentialFuzzTest
 * -Dadjoint.fuzz.programs=5000 -Dadjoint.fuzz.seed=7}. Each failure is printed with the
 * program, the point and the report, and written to {@code target/fuzz-failures/}; shrink it
 * with {@link MinimizeTest}, check an edited copy with {@link ReproduceTest}.
 */
class DifferentialFuzzTest {
  static final int DEFAULT_PROGRAMS = 400;
  static final long DEFAULT_SEED = 20250611L;

  /** Constructs every CI run must generate at least once, so coverage cannot silently shrink. */
  private static final List<String> REQUIRED_FEATURES = List.of(
      "switch:colon", "switch:arrows", "switch:fall-through", "switch:in-loop", "switch:enum",
      "switch:String", "switch-expression:arrows", "switch-expression:yield", "param:enum",
      "param:String",
      "expr-assign:chain", "expr-assign:compound-value", "expr-assign:in-condition",
      "loop:while-post-decrement", "param:double", "param:float", "param:int", "param:boolean", "param:double[]",
      "param:float[]", "param:double[][]", "param:float[][]", "param:@NoDerivative",
      "param:@NoDerivative-assigned", "result:double", "result:float", "result:double[]",
      "result:float[]", "local:double", "local:float", "local:int-counter", "local:int-data",
      "cast:float->double", "cast:int->double", "cast:double->float", "cast:floating->int",
      "expr:+", "expr:-", "expr:*", "expr:/", "expr:unary-minus", "expr:int-division",
      "math:sin", "math:cos", "math:tanh", "math:atan", "math:exp", "math:log", "math:log1p",
      "math:sqrt", "math:pow", "math:hypot", "math:max", "math:min", "math:abs",
      "math:max-float", "math:abs-float", "ternary", "ternary:mixed-types", "if", "if-else",
      "if-else-if", "return:early", "return:in-loop", "return:tail-call", "loop:for", "loop:for-down",
      "loop:for-step-2", "loop:for-data-condition", "loop:while", "loop:while-data-condition",
      "loop:do-while", "loop:for-each", "loop:for-each-row", "loop:nested", "jump:break",
      "loop:while-true", "loop:for-ever", "loop:forever-with-return",
      "param:array-written-in-place", "param:2d-array-written-in-place",
      "jump:continue", "array:new-1d", "array:new-2d", "array:initialiser",
      "array:row-alias-of-local", "array:row-alias-of-param", "element:write-1d",
      "element:write-2d", "element:write-in-loop", "assign:overwrite-in-loop",
      "assign:parameter", "op:=", "op:+=", "op:-=", "op:*=", "op:/=", "op:++", "op:--",
      "op:recurrence", "index:direct", "index:modulo", "call:scalar", "call:scalar-in-loop",
      "call:array-result", "call:array-call-as-argument", "call:@NoDerivative-argument",
      "call:void-out-parameter", "call:void-out-parameter-in-loop",
      "call:void-out-parameter-in-branch",
      "condition:data", "condition:int", "condition:and", "condition:or", "condition:not",
      "condition:boolean-variable", "local:boolean", "assign:boolean",
      "expr:%", "op:%=", "expr:constant", "math:tan", "math:asin", "math:acos", "math:sinh",
      "math:cosh", "math:expm1", "math:log10", "math:cbrt", "math:atan2", "math:fma",
      "math:floor", "math:signum", "math:StrictMath", "loop:for-inclusive", "loop:for-step-3",
      "loop:for-down-step-2", "loop:for-down-exclusive", "array:row-alias-in-loop",
      "loop:for-each-over-call", "function:float-mode", "function:double-mode",
      // The loop spellings of issue 9 (ProgramGenerator.idiomLoop).
      "idiom:i+k<n", "idiom:i<n-k", "idiom:n>i", "idiom:i!=n", "idiom:step-up",
      "idiom:index-declared-before", "idiom:down-from-n-1-k", "idiom:down-greater",
      "idiom:down-step", "idiom:while-counter-at-end", "idiom:for-ever-counter",
      "idiom:while-true-test-first", "idiom:while-true-test-last",
      "idiom:post-increment-twice", "idiom:second-counter-in-for",
      "idiom:triangular-nest", "idiom:triangular-below", "idiom:triangular-above",
      "idiom:dot-product-relu", "idiom:dot-product-squash", "idiom:strided-layer",
      "idiom:index-local",
      "idiom:accumulate-locals",
      // Arrays allocated in loops and branches, given new arrays, shared (issue 17).
      "array:new-in-loop", "array:new-in-branch", "call:array-result-in-loop",
      "array:reassign-new-in-loop", "array:reassign-new-in-branch",
      "array:reassign-call-in-loop", "array:alias", "array:alias-in-loop",
      "index:offset");

  @Test
  void generatedProgramsHaveTheSameGradientsAsFiniteDifferencesWithAndWithoutAnalyses()
      throws IOException {
    long seed = Long.getLong("adjoint.fuzz.seed", DEFAULT_SEED);
    int programs = Integer.getInteger("adjoint.fuzz.programs", DEFAULT_PROGRAMS);
    int first = Integer.getInteger("adjoint.fuzz.first", 0);
    int batch = Integer.getInteger("adjoint.fuzz.batch", 20);
    int points = Integer.getInteger("adjoint.fuzz.points", 3);
    long start = System.nanoTime();
    String splitAbove = System.getProperty("adjoint.fuzz.splitAbove");
    FuzzRun run = new FuzzRun(seed, points, splitAbove == null ? List.of()
        : List.of("-Aadjoint.internal.splitAbove=" + splitAbove));
    for (int i = first; i < first + programs; i += batch) {
      run.batch(i, Math.min(batch, first + programs - i));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("fuzz: seed %d, programs %d-%d, %.1f s: %s%n", seed, first,
        first + programs - 1, seconds, run.stats);
    StringBuilder coverage = new StringBuilder("fuzz coverage:");
    for (Map.Entry<String, Integer> e : run.stats.features.entrySet()) {
      coverage.append(' ').append(e.getKey()).append('=').append(e.getValue());
    }
    System.out.println(coverage);

    if (!run.failures.isEmpty()) {
      Path dir = Path.of("target", "fuzz-failures");
      Files.createDirectories(dir);
      StringBuilder summary = new StringBuilder();
      for (FuzzChecker.Failure f : run.failures) {
        String text = f.describe(seed);
        System.out.println(text);
        Files.writeString(dir.resolve(seed + "-" + f.program().className() + ".txt"), text);
        summary.append("\n  ").append(f.program().className()).append('.').append(f.function())
            .append(": ").append(f.kind());
      }
      throw new AssertionError(run.failures.size() + " fuzz failures (each printed above, and "
          + "written to " + dir.toAbsolutePath() + "):" + summary + "\nthe first:\n"
          + run.failures.get(0).describe(seed));
    }
    // A run with another share of loop idioms (adjoint.fuzz.idiomShare) shifts the mix.
    if (programs >= 100 && System.getProperty("adjoint.fuzz.idiomShare") == null) {
      List<String> missing = new ArrayList<>();
      for (String f : REQUIRED_FEATURES) {
        if (!run.stats.features.containsKey(f)) {
          missing.add(f);
        }
      }
      assertTrue(missing.isEmpty(), "constructs never generated: " + missing);
      // The oracle must not be skipped so often that the run proves little.
      assertTrue(run.stats.oracleChecked >= run.stats.attempts / 2,
          "too few points checked against finite differences: " + run.stats);
    }
  }
}
