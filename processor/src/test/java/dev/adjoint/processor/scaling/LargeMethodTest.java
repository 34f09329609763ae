package dev.adjoint.processor.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.GradCheck;
import dev.adjoint.processor.testing.ArrayGradientCheck;
import dev.adjoint.processor.testing.ClassFileCode;
import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.GeneratedSources;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions whose gradient is too large for one JVM method (64 KB of bytecode, javac's "code too
 * large"): the processor splits the gradient into parts, which must compile without warnings
 * and compute what the unsplit gradient would, checked against the function's value and
 * central finite differences at random points.
 */
class LargeMethodTest {
  /** The JVM's limit on the code of a method. */
  private static final int MAX_CODE = 65_535;

  @Test
  void aFunctionOf1500StatementsIsSplitAndItsGradientIsRight() {
    Compiled c = Compiled.of(JavaFileObjects.forSourceString("p.Big",
        ProcessorScaling.source(1500)));
    String generated = c.generatedSource("p.BigGrad");
    assertTrue(generated.contains("private static final class FParts"), "not split");
    checkPartSizes(c, generated, "p.BigGrad$FParts");
    Random random = new Random(1500);
    for (int k = 0; k < 3; k++) {
      ArrayGradientCheck.check(c, "p.Big", "f", random.nextDouble() * 2 - 1,
          random.nextDouble() * 2 - 1, random.doubles(3, -1, 1).toArray());
    }
  }

  /**
   * At 5,000 statements the function itself exceeds 64 KB, which javac rejects, so here javac
   * only runs the processor: the generated gradient must compile on its own, and is checked
   * against {@link #reference}, the same function written with an array.
   */
  @Test
  void theGradientOfA5000StatementFunctionCompilesAndIsRight(@TempDir Path dir) {
    int n = 5000;
    GeneratedSources.Result all = GeneratedSources.generate(dir, List.of("-proc:only"),
        JavaFileObjects.forSourceString("p.Big", ProcessorScaling.source(n)));
    assertTrue(all.problemsBesidesCodeTooLarge().isEmpty(),
        () -> "unexpected: " + all.problemsBesidesCodeTooLarge());
    String generated = all.source("p.BigGrad");
    Compiled c = Compiled.of(List.of("-proc:none"), JavaFileObjects.forSourceString("p.BigGrad",
        generated));
    assertTrue(c.compilation().diagnostics().stream()
        .noneMatch(d -> d.getKind() != Diagnostic.Kind.NOTE), () -> "generated code warned: "
        + c.compilation().diagnostics());
    checkPartSizes(c, generated, "p.BigGrad$FParts");

    Random random = new Random(n);
    for (int k = 0; k < 3; k++) {
      double[] w = random.doubles(3, -1, 1).toArray();
      double[] point = {random.nextDouble() * 2 - 1, random.nextDouble() * 2 - 1, w[0], w[1], w[2]};
      Object record = c.invoke("p.BigGrad", "f", point[0], point[1], w.clone());
      RecordComponent[] parts = record.getClass().getRecordComponents();
      double value = (double) component(record, parts[0]);
      double[] dW = (double[]) component(record, parts[3]);
      double[] gradient = {(double) component(record, parts[1]),
          (double) component(record, parts[2]), dW[0], dW[1], dW[2]};
      assertEquals(reference(n, point), value, 0.0, "value");
      GradCheck.assertGradient(v -> reference(n, v), point, gradient);
    }
  }

  /** {@link ProcessorScaling#source}'s function of {@code (x, y, w[0], w[1], w[2])}. */
  private static double reference(int n, double[] point) {
    double x = point[0];
    double s = x;
    double t = point[1];
    double[] a = new double[n];
    for (int k = 0; k < n; k++) {
      switch (k % 5) {
        case 0 -> a[k] = s * t + x;
        case 1 -> s = s * 0.99 + Math.sin(a[k - 1]) * 0.01;
        case 2 -> t = t + Math.exp(-a[k - 2] * a[k - 2]) * 0.001;
        case 3 -> {
          if (k % 50 == 3) {
            for (int i = 2; i < point.length; i++) {
              s += point[i] * t * 0.001;
            }
          } else {
            s = s / (1 + t * t);
          }
        }
        default -> t = Math.tanh(t + s * a[k - 4]);
      }
    }
    return s + t;
  }

  @Test
  void branchesEarlyReturnsAndALargeLoopBodyAreSplitInside() {
    Compiled c = Compiled.of(JavaFileObjects.forSourceString("p.Branchy", branchy(240)));
    String generated = c.generatedSource("p.Branchy" + "Grad");
    assertTrue(generated.contains("private static final class GParts"), "not split");
    checkPartSizes(c, generated, "p.BranchyGrad$GParts");
    // Parts called from inside a loop or a branch of another part.
    assertTrue(Pattern.compile("\n {12,}part\\d+\\(").matcher(generated).find(),
        "no nested part");
    Random random = new Random(240);
    for (int k = 0; k < 8; k++) {
      ArrayGradientCheck.check(c, "p.Branchy", "g", random.nextDouble() * 2 - 1,
          random.nextDouble() * 2 - 1, random.doubles(4, -1, 1).toArray());
    }
  }

  /**
   * A function of about {@code 5 n} statements: blocks of {@code n} statements before a branch,
   * in both branches (one with an early return), and in the body of a loop that may
   * {@code continue} or {@code break}.
   */
  static String branchy(int n) {
    StringBuilder sb = new StringBuilder();
    sb.append("package p;\nimport dev.adjoint.Differentiable;\nfinal class Branchy {\n");
    sb.append("  @Differentiable static double g(double x, double y, double[] w) {\n");
    sb.append("    double s = x;\n    double t = y;\n");
    block(sb, "a", n, "    ");
    sb.append("    if (s > t) {\n");
    block(sb, "b", n, "      ");
    sb.append("      if (s * t > 0.05) {\n");
    block(sb, "c", n / 4, "        ");
    sb.append("        return s + 2 * t;\n      }\n");
    block(sb, "d", n, "      ");
    sb.append("    } else {\n");
    block(sb, "e", n, "      ");
    sb.append("    }\n");
    sb.append("    for (int i = 0; i < w.length; i++) {\n");
    sb.append("      double u = w[i] * s;\n");
    block(sb, "f", n / 2, "      ");
    sb.append("      if (u < -0.5) {\n        continue;\n      }\n");
    block(sb, "g", n / 2, "      ");
    sb.append("      if (u > 0.6) {\n        break;\n      }\n");
    sb.append("      s = s + 0.01 * u;\n");
    sb.append("    }\n");
    sb.append("    return s * t;\n  }\n}\n");
    return sb.toString();
  }

  /** {@code n} statements reading and updating {@code s} and {@code t}. */
  private static void block(StringBuilder sb, String prefix, int n, String indent) {
    for (int k = 0; k < n; k++) {
      sb.append(indent);
      switch (k % 4) {
        case 0 -> sb.append("double ").append(prefix).append(k).append(" = s * t + x;\n");
        case 1 -> sb.append("s = s * 0.99 + Math.sin(").append(prefix).append(k - 1)
            .append(") * 0.01;\n");
        case 2 -> sb.append("t = Math.tanh(t + s * ").append(prefix).append(k - 2)
            .append(");\n");
        default -> sb.append("s = s / (1 + t * t);\n");
      }
    }
  }

  /**
   * One statement that the estimate puts above what a method may hold (an array initialiser of
   * 2,000 conditionals, about 44 KB of real bytecode) cannot be split: a clear error on the
   * function, and no generated file.
   */
  @Test
  void aSingleStatementTooLargeToSplitIsACompileErrorOnTheFunction() {
    StringBuilder sb = new StringBuilder();
    sb.append("package p;\nimport dev.adjoint.Differentiable;\nfinal class Huge {\n");
    sb.append("  @Differentiable static double h(double x) {\n    double[] a = {");
    for (int k = 0; k < 2000; k++) {
      sb.append(k == 0 ? "" : ", ").append(k % 5 == 4 ? "\n        " : "").append("x > ")
          .append(k).append(" ? ").append(k).append(".5 : -").append(k).append(".25");
    }
    sb.append("};\n    return a[0] * x + a[1999];\n  }\n}\n");
    Compilation c = Compiled.compile(List.of(), JavaFileObjects.forSourceString("p.Huge",
        sb.toString()));
    assertEquals(Compilation.Status.FAILURE, c.status());
    // Only the error on the function: no generated file that javac rejects.
    List<String> errors = new ArrayList<>();
    c.errors().forEach(e -> errors.add(e.getMessage(Locale.ROOT)));
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(errors.get(0).startsWith("[AdjointGradientTooLarge] ")
        && errors.get(0).contains("too large for the JVM")
        && errors.get(0).contains("smaller @Differentiable functions"), errors.get(0));
  }

  /**
   * Every method of the parts' class and of the generated class fits the JVM, and each part's
   * real size is at most the estimate its Javadoc states.
   */
  private static void checkPartSizes(Compiled c, String source, String partsClass) {
    Map<String, Integer> real = ClassFileCode.of(c.classFile(partsClass)).codeLengths();
    Matcher m = Pattern.compile("Part (\\d+) of \\d+ \\(at most (\\d+) bytes").matcher(source);
    int parts = 0;
    long estimated = 0;
    long actual = 0;
    while (m.find()) {
      String name = "part" + m.group(1);
      Integer length = real.entrySet().stream().filter(e -> e.getKey().startsWith(name + "("))
          .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError(name));
      int estimate = Integer.parseInt(m.group(2));
      assertTrue(length <= estimate, name + ": " + length + " bytes, estimated " + estimate);
      estimated += estimate;
      actual += length;
      parts++;
    }
    assertFalse(parts == 0, "no parts");
    String outer = partsClass.substring(0, partsClass.indexOf('$'));
    for (int length : ClassFileCode.of(c.classFile(outer)).codeLengths().values()) {
      assertTrue(length < MAX_CODE, outer + ": a method of " + length + " bytes");
    }
    System.out.printf(Locale.ROOT, "%s: %d parts, %d bytes of code, estimated %d (%.0f%%)%n",
        partsClass, parts, actual, estimated, 100.0 * actual / estimated);
  }

  private static Object component(Object record, RecordComponent c) {
    try {
      c.getAccessor().setAccessible(true);
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
