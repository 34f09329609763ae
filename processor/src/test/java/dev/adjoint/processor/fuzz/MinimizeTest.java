package dev.adjoint.processor.fuzz;

import com.google.testing.compile.Compilation;
import dev.adjoint.Differentiable;
import dev.adjoint.NoDerivative;
import dev.adjoint.processor.testing.Compiled;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A tool that shrinks a failing program (a file in package {@code fuzz}, such as a program from
 * {@code target/fuzz-failures/}) while it keeps failing the same way: greedily deletes single
 * lines and whole brace-delimited blocks, keeping a deletion when the result still shows
 * {@code adjoint.fuzz.expect} in a compiler diagnostic or in a {@link FuzzChecker} failure (at
 * {@code adjoint.fuzz.points} random points, default 20, without the branch trace) and still is
 * valid Java (compiles without the processor). The result is written next to the input as
 * {@code .min.java}.
 *
 * <pre>
 * mvn -B -q test -pl runtime,processor -Dtest=MinimizeTest -Dadjoint.fuzz.minimize=/tmp/F.java \
 *     -Dadjoint.fuzz.expect="declared inside a branch"
 * </pre>
 */
@EnabledIfSystemProperty(named = "adjoint.fuzz.minimize", matches = ".+")
class MinimizeTest {
  @Test
  void minimize() throws IOException {
    Path in = Path.of(System.getProperty("adjoint.fuzz.minimize"));
    String expect = System.getProperty("adjoint.fuzz.expect", "");
    List<String> lines = new ArrayList<>(Files.readAllLines(in));
    if (!fails(lines, expect)) {
      throw new AssertionError("the input does not fail with \"" + expect + "\"");
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      // Blocks first (bigger steps), then single lines.
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (i >= lines.size() || !lines.get(i).trim().endsWith("{")) {
          continue;
        }
        int end = matching(lines, i);
        if (end < 0) {
          continue;
        }
        List<String> candidate = new ArrayList<>(lines.subList(0, i));
        candidate.addAll(lines.subList(end + 1, lines.size()));
        if (fails(candidate, expect)) {
          lines = candidate;
          changed = true;
        }
      }
      for (int i = lines.size() - 1; i >= 0; i--) {
        String line = i < lines.size() ? lines.get(i).trim() : "";
        if (line.isEmpty() || line.endsWith("{") || line.startsWith("}")
            || line.startsWith("package") || line.startsWith("import")) {
          continue;
        }
        List<String> candidate = new ArrayList<>(lines);
        candidate.remove(i);
        if (fails(candidate, expect)) {
          lines = candidate;
          changed = true;
        }
      }
    }
    Path out = Path.of(in.toString().replaceFirst("\\.java$", "") + ".min.java");
    Files.write(out, lines);
    System.out.println("minimised to " + out + ":\n" + String.join("\n", lines));
  }

  /**
   * The index of the line closing the statement whose block opens on line {@code start} (an
   * if/else chain up to its last brace, a do/while up to its condition), or -1.
   */
  private static int matching(List<String> lines, int start) {
    if (lines.get(start).trim().startsWith("}")) {
      return -1;
    }
    int depth = 0;
    for (int i = start; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      for (char c : line.toCharArray()) {
        if (c == '{') {
          depth++;
        } else if (c == '}') {
          depth--;
          if (depth == 0 && (line.equals("}") || line.startsWith("} while"))) {
            return i;
          }
        }
      }
    }
    return -1;
  }

  private static boolean fails(List<String> lines, String expect) {
    String source = String.join("\n", lines);
    Matcher cls = Pattern.compile("class\\s+(\\w+)").matcher(source);
    if (!cls.find()) {
      return false;
    }
    String name = FuzzProgram.PACKAGE + "." + cls.group(1);
    // Only valid Java counts: it must compile without the processor.
    Compilation plain = com.google.testing.compile.Compiler.javac().withOptions("-proc:none")
        .compile(Compiled.source(name, lines.toArray(new String[0])));
    if (plain.status() != Compilation.Status.SUCCESS) {
      return false;
    }
    Compilation c = Compiled.compile(List.of(), Compiled.source(name, lines.toArray(new String[0])));
    String diagnostics = c.diagnostics().stream().map(Object::toString)
        .collect(Collectors.joining("\n"));
    if (c.status() != Compilation.Status.SUCCESS || !c.warnings().isEmpty()) {
      return diagnostics.contains(expect);
    }
    Compiled on;
    Compiled off;
    try {
      on = Compiled.of(Compiled.source(name, lines.toArray(new String[0])));
      off = Compiled.of(List.of("-Aadjoint.analyses=off"),
          Compiled.source(name, lines.toArray(new String[0])));
    } catch (AssertionError | IllegalStateException e) {
      return String.valueOf(e.getMessage()).contains(expect);
    }
    List<FuzzProgram.Function> functions = new ArrayList<>();
    for (Method m : on.load(name).getDeclaredMethods()) {
      if (!m.isAnnotationPresent(Differentiable.class)) {
        continue;
      }
      List<FuzzProgram.Param> params = new ArrayList<>();
      for (Parameter p : m.getParameters()) {
        Ty t = ReproduceTest.type(p.getType());
        if (t == null) {
          return false;
        }
        params.add(new FuzzProgram.Param(p.getName(), t, p.isAnnotationPresent(
            NoDerivative.class)));
      }
      functions.add(new FuzzProgram.Function(m.getName(), params,
          ReproduceTest.type(m.getReturnType()), source.contains("float")));
    }
    FuzzProgram program = new FuzzProgram(0, 1, cls.group(1), source, "", functions, Map.of());
    // A fresh thread: a failing gradient may leave its thread's tape unusable.
    List<FuzzChecker.Failure> failures = new ArrayList<>();
    Thread t = new Thread(() -> failures.addAll(new FuzzChecker(on, off).check(program,
        Integer.getInteger("adjoint.fuzz.points", 20), new FuzzChecker.Stats())));
    t.setDaemon(true);
    t.start();
    try {
      t.join(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (t.isAlive()) {
      return "timeout".contains(expect);
    }
    for (FuzzChecker.Failure f : failures) {
      if ((f.kind() + "\n" + f.details()).contains(expect)) {
        return true;
      }
    }
    return false;
  }
}
