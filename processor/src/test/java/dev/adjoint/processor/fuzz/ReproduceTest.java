package dev.adjoint.processor.fuzz;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A tool for minimising fuzz failures by hand: checks every {@code @Differentiable} method of a
 * Java file (for example a program from {@code target/fuzz-failures/}, edited) the way the fuzz
 * test does, at {@code adjoint.fuzz.points} random points (default 20), without the branch
 * trace (so a failure at a point where a branch flips within the step may be a false alarm).
 *
 * <pre>
 * mvn -B -q test -pl runtime,processor -Dtest=ReproduceTest -Dadjoint.fuzz.repro=/tmp/Fuzz7.java
 * </pre>
 */
@EnabledIfSystemProperty(named = "adjoint.fuzz.repro", matches = ".+")
class ReproduceTest {
  @Test
  void reproduce() throws IOException {
    String source = Files.readString(Path.of(System.getProperty("adjoint.fuzz.repro")));
    Matcher pkg = Pattern.compile("package\\s+([\\w.]+);").matcher(source);
    Matcher cls = Pattern.compile("class\\s+(\\w+)").matcher(source);
    if (!pkg.find() || !cls.find()) {
      throw new AssertionError("no package or class in the file");
    }
    if (!pkg.group(1).equals(FuzzProgram.PACKAGE)) {
      throw new AssertionError("the file must be in package " + FuzzProgram.PACKAGE);
    }
    String name = pkg.group(1) + "." + cls.group(1);
    Compiled on = Compiled.of(Compiled.source(name, source.split("\n", -1)));
    Compiled off = Compiled.of(List.of("-Aadjoint.analyses=off"),
        Compiled.source(name, source.split("\n", -1)));
    List<FuzzProgram.Function> functions = new ArrayList<>();
    for (Method m : on.load(name).getDeclaredMethods()) {
      if (!m.isAnnotationPresent(Differentiable.class)) {
        continue;
      }
      List<FuzzProgram.Param> params = new ArrayList<>();
      for (Parameter p : m.getParameters()) {
        Ty t = type(p.getType());
        if (t == null) {
          throw new AssertionError("unsupported parameter type " + p.getType());
        }
        params.add(new FuzzProgram.Param(p.getName(), t,
            p.isAnnotationPresent(NoDerivative.class)));
      }
      // Coarse: float anywhere in the file checks with float steps and tolerance.
      functions.add(new FuzzProgram.Function(m.getName(), params, type(m.getReturnType()),
          source.contains("float")));
    }
    FuzzProgram program = new FuzzProgram(0, Long.getLong("adjoint.fuzz.seed", 1),
        cls.group(1), source, "", functions, Map.of());
    FuzzChecker.Stats stats = new FuzzChecker.Stats();
    List<FuzzChecker.Failure> failures = new FuzzChecker(on, off).check(program,
        Integer.getInteger("adjoint.fuzz.points", 20), stats);
    System.out.println("reproduce: " + stats);
    if (!failures.isEmpty()) {
      throw new AssertionError(failures.get(0).describe(0));
    }
  }

  /** The fuzz type of a parameter or result type, or null when there is none. */
  static Ty type(Class<?> c) {
    if (c == double.class) {
      return Ty.D;
    }
    if (c == float.class) {
      return Ty.F;
    }
    if (c == int.class) {
      return Ty.I;
    }
    if (c == boolean.class) {
      return Ty.Z;
    }
    if (c == double[].class) {
      return Ty.D1;
    }
    if (c == float[].class) {
      return Ty.F1;
    }
    if (c == double[][].class) {
      return Ty.D2;
    }
    if (c == float[][].class) {
      return Ty.F2;
    }
    if (c == java.math.RoundingMode.class) {
      return Ty.E;
    }
    if (c == String.class) {
      return Ty.S;
    }
    return null;
  }
}
