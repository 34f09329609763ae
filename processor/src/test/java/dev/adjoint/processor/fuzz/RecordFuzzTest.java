package dev.adjoint.processor.fuzz;

import static dev.adjoint.processor.testing.ArrayValues.deepCopy;
import static dev.adjoint.processor.testing.ArrayValues.randomLike;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.RecordGradientCheck;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of records and record methods: each function {@code fN} of a generated program (see
 * {@link ProgramGenerator}) gets a twin, an instance method of a record {@code FNRec} whose
 * components are the function's parameters (all but the {@code @NoDerivative} ones, enums,
 * Strings and those its body assigns, which stay method parameters), with the same body: the
 * parameters become the record's fields. The twin's gradient ({@code self}'s partials and the others) must equal
 * the original's, which {@link DifferentialFuzzTest} checks against finite differences; with
 * the analyses on and off. The twin has its function's forward-mode forms too: its JVP, along a
 * tangent record for {@code self} and tangents of the other parameters, must give
 * {@code seed·(J t)} equal to {@code (Jᵀ seed)·t} of the original's gradient, and where the
 * function has {@code hessian = true}, its HVP must equal the original's along the same
 * directions.
 *
 * <p>System properties: {@code adjoint.fuzz.recordPrograms} (default 12),
 * {@code adjoint.fuzz.seed}.
 */
class RecordFuzzTest {
  private static final double TOLERANCE = 1e-9;

  @Test
  void recordMethodTwinsHaveTheGradientsOfTheirFunctions() {
    long seed = Long.getLong("adjoint.fuzz.seed", DifferentialFuzzTest.DEFAULT_SEED);
    int programs = Integer.getInteger("adjoint.fuzz.recordPrograms", 12);
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (int first = 0; first < programs; first += 20) {
      List<FuzzProgram> batch = new ArrayList<>();
      List<Twin> twins = new ArrayList<>();
      List<JavaFileObject> sources = new ArrayList<>();
      for (int i = first; i < Math.min(programs, first + 20); i++) {
        FuzzProgram p = ProgramGenerator.generate(seed, i);
        batch.add(p);
        Twin t = twin(p);
        twins.add(t);
        sources.add(Compiled.source(FuzzProgram.PACKAGE + "." + t.className, t.source));
      }
      for (List<String> options : List.of(List.<String>of(),
          List.of("-Aadjoint.analyses=off"))) {
        Compiled c = Compiled.of(options, sources.toArray(JavaFileObject[]::new));
        for (int k = 0; k < batch.size(); k++) {
          for (TwinFunction tf : twins.get(k).functions) {
            try {
              checked += check(c, batch.get(k), twins.get(k), tf, options);
            } catch (ReflectiveOperationException | RuntimeException | AssertionError e) {
              failures.add(batch.get(k).className() + "." + tf.f.name() + " " + options + ": "
                  + e + "\n" + twins.get(k).source);
            }
          }
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " failures, the first:\n"
        + (failures.isEmpty() ? "" : failures.get(0)));
    assertTrue(checked >= programs, "too few points checked: " + checked);
  }

  /**
   * A function's twin: which parameters went into the record; {@code via} when the record also
   * has {@code fNVia}, which calls the twin method (see {@link #via}).
   */
  private record TwinFunction(FuzzProgram.Function f, List<FuzzProgram.Param> components,
      List<FuzzProgram.Param> methodParams, boolean via) {}

  private record Twin(String className, String source, List<TwinFunction> functions) {}

  /** The twin class: the program's functions, and a record per function with its twin. */
  private static Twin twin(FuzzProgram p) {
    String className = p.className() + "R";
    // Forward-mode forms are DifferentialFuzzTest's to check: leaving them out halves the time.
    String src = p.source().replace("final class " + p.className() + " {",
        "final class " + className + " {")
        .replace("@Differentiable(forward = true)", "@Differentiable")
        // the program's prints are DifferentialFuzzTest's to check
        .replaceAll("(?m)^ *System\\.out\\.print.*\n", "");
    StringBuilder records = new StringBuilder();
    List<TwinFunction> functions = new ArrayList<>();
    for (FuzzProgram.Function f : p.functions()) {
      String body = body(src, f.name());
      List<FuzzProgram.Param> components = new ArrayList<>();
      List<FuzzProgram.Param> methodParams = new ArrayList<>();
      for (FuzzProgram.Param q : f.params()) {
        // Enums and Strings may be parameters but not record components.
        if (q.noDerivative() || assigned(body, q.name()) || q.type() == Ty.E
            || q.type() == Ty.S) {
          methodParams.add(q);
        } else {
          components.add(q);
        }
      }
      if (components.isEmpty()) {
        continue;
      }
      // A method passing its array parameters on must not write them (the callee would).
      boolean via = methodParams.stream().noneMatch(q -> q.type().dims > 0
          && (q.writtenInPlace() || assigned(body, q.name())));
      functions.add(new TwinFunction(f, components, methodParams, via));
      boolean hessian = Pattern.compile("hessian = true\\)\\s*static [a-z\\[\\]]+ "
          + Pattern.quote(f.name()) + "\\(").matcher(src).find();
      String signature = String.join(", ", methodParams.stream().map(q -> (q.noDerivative()
          ? "@NoDerivative " : "") + q.type().java + " " + q.name()).toList());
      records.append("  record ").append(recordName(f)).append('(')
          .append(String.join(", ", components.stream().map(q -> q.type().java + " " + q.name())
              .toList())).append(") {\n")
          .append(hessian ? "    @Differentiable(forward = true, hessian = true)\n    "
              : "    @Differentiable(forward = true)\n    ").append(f.result().java).append(' ')
          .append(f.name()).append('(').append(signature).append(") ").append(body)
          .append("\n");
      if (via) {
        records.append(via(f, signature, methodParams));
      }
      records.append("  }\n");
    }
    int end = src.lastIndexOf('}');
    return new Twin(className, src.substring(0, end) + records + "}\n", functions);
  }

  /**
   * {@code fNVia}, a method of the same record calling the twin: for a scalar result once in a
   * loop ({@code s += this.fN(...)}) and once after it ({@code s += fN(...)}), so its value and
   * partials are twice the function's; for an array result once, returned as it is. The calls between the
   * record's methods are inlined unless {@code -Aadjoint.inline=off}.
   */
  private static String via(FuzzProgram.Function f, String signature,
      List<FuzzProgram.Param> methodParams) {
    String args = String.join(", ", methodParams.stream().map(FuzzProgram.Param::name).toList());
    String t = f.result().java;
    StringBuilder sb = new StringBuilder("    @Differentiable\n    ").append(t).append(' ')
        .append(f.name()).append("Via(").append(signature).append(") {\n");
    if (f.result().dims > 0) {
      sb.append("      ").append(t).append(" viaResult = this.").append(f.name()).append('(')
          .append(args).append(");\n      return viaResult;\n");
    } else {
      sb.append("      ").append(t).append(" viaSum = 0;\n")
          .append("      for (int viaK = 0; viaK < 1; viaK++) {\n")
          .append("        viaSum += this.").append(f.name()).append('(').append(args)
          .append(");\n")
          .append("      }\n")
          .append("      viaSum += ").append(f.name()).append('(').append(args).append(");\n")
          .append("      return viaSum;\n");
    }
    return sb.append("    }\n").toString();
  }

  private static String recordName(FuzzProgram.Function f) {
    return Character.toUpperCase(f.name().charAt(0)) + f.name().substring(1) + "Rec";
  }

  /** The block of method {@code name} in {@code src}, braces included. */
  private static String body(String src, String name) {
    Matcher m = Pattern.compile("static [a-z\\[\\]]+ " + name + "\\(").matcher(src);
    if (!m.find()) {
      throw new IllegalStateException("no " + name);
    }
    int open = src.indexOf('{', src.indexOf(')', m.end()));
    int depth = 0;
    for (int i = open; i < src.length(); i++) {
      char ch = src.charAt(i);
      depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
      if (depth == 0) {
        return src.substring(open, i + 1);
      }
    }
    throw new IllegalStateException("unbalanced " + name);
  }

  /** True when {@code body} assigns {@code name} or writes its elements. */
  private static boolean assigned(String body, String name) {
    String n = Pattern.quote(name);
    return Pattern.compile("\\b" + n + "\\s*(\\[[^\\]]*\\]\\s*)*(=(?!=)|\\+=|-=|\\*=|/=|%=|"
        + "\\+\\+|--)").matcher(body).find()
        || Pattern.compile("(\\+\\+|--)\\s*" + n + "\\b").matcher(body).find();
  }

  /** Checks one point; returns the number of points checked (0 or 1). */
  private static int check(Compiled c, FuzzProgram p, Twin t, TwinFunction tf,
      List<String> options) throws ReflectiveOperationException {
    FuzzProgram.Function f = tf.f;
    SplittableRandom rnd = new SplittableRandom(p.seed() ^ f.name().hashCode());
    Object[] args = FuzzChecker.sample(f, rnd);
    Object seed = null;
    // The twin's class holds the original functions too (renamed class, same bodies).
    String originalClass = FuzzProgram.PACKAGE + "." + t.className;
    Object value = c.invoke(originalClass, f.name(), deepCopy(args));
    if (value != null && value.getClass().isArray()) {
      seed = randomLike(value, () -> rnd.nextDouble(-1, 1));
    }
    Object[] originalArgs = deepCopy(args);
    if (seed != null) {
      originalArgs = java.util.Arrays.copyOf(originalArgs, args.length + 1);
      originalArgs[args.length] = copy(seed);
    }
    Object expected;
    try {
      expected = c.invoke(originalClass + "Grad", f.name(), originalArgs);
    } catch (AssertionError e) {
      return 0; // the original's failures are DifferentialFuzzTest's to report
    }
    // The twin: the record of the components, then the method's parameters, then the seed.
    Class<?> rec = c.load(FuzzProgram.PACKAGE + "." + t.className + "$" + recordName(f));
    Object[] components = new Object[tf.components.size()];
    Class<?>[] types = new Class<?>[components.length];
    List<Object> twinArgs = new ArrayList<>();
    for (int i = 0; i < components.length; i++) {
      int at = f.params().indexOf(tf.components.get(i));
      components[i] = copy(args[at]);
      types[i] = rec.getRecordComponents()[i].getType();
    }
    Constructor<?> k = rec.getDeclaredConstructor(types);
    k.setAccessible(true);
    twinArgs.add(k.newInstance(components));
    for (FuzzProgram.Param q : tf.methodParams) {
      twinArgs.add(copy(args[f.params().indexOf(q)]));
    }
    if (seed != null) {
      twinArgs.add(copy(seed));
    }
    Class<?> grad = c.load(FuzzProgram.PACKAGE + "." + t.className + "_"
        + recordName(f) + "Grad");
    Object actual = gradient(grad, f.name(), rec, twinArgs);
    compare(f, tf, args, expected, actual, 1);
    if (tf.via) {
      List<Object> viaArgs = new ArrayList<>();
      twinArgs.forEach(a -> viaArgs.add(copy(a)));
      // twice the function for a scalar result (two calls), the same for an array result
      compare(f, tf, args, expected, gradient(grad, f.name() + "Via", rec, viaArgs),
          f.result().dims > 0 ? 1 : 2);
    }
    boolean anyDifferentiable = tf.components.stream()
        .anyMatch(FuzzProgram.Param::differentiable);
    if (anyDifferentiable || tf.methodParams.stream().anyMatch(FuzzProgram.Param::differentiable)) {
      checkForward(c, t, tf, args, expected, seed, k, rnd, f.floatMode());
    }
    return 1;
  }

  /** The record form of the gradient {@code name} of the record {@code rec}, at {@code args}. */
  private static Object gradient(Class<?> grad, String name, Class<?> rec, List<Object> args)
      throws ReflectiveOperationException {
    Method m = null;
    for (Method candidate : grad.getDeclaredMethods()) {
      if (candidate.getName().equals(name) && candidate.getParameterCount() == args.size()
          && candidate.getParameterTypes()[0] == rec) {
        m = candidate;
      }
    }
    if (m == null) {
      throw new AssertionError("no twin gradient " + name);
    }
    return m.invoke(null, args.toArray());
  }

  /**
   * Checks a twin's gradient record {@code actual} against the original's {@code expected}
   * times {@code times} (the value and every partial).
   */
  private static void compare(FuzzProgram.Function f, TwinFunction tf, Object[] args,
      Object expected, Object actual, int times) {
    String what = f.name() + (times == 1 ? "" : " (via a call, twice)");
    boolean anyDifferentiable = tf.components.stream()
        .anyMatch(FuzzProgram.Param::differentiable);
    Object self = anyDifferentiable ? RecordGradientCheck.component(actual, "self") : null;
    same(what + ": value", RecordGradientCheck.component(expected, "value"),
        RecordGradientCheck.component(actual, "value"), times, f.floatMode());
    for (FuzzProgram.Param q : f.params()) {
      if (!q.differentiable()) {
        continue;
      }
      Object want = RecordGradientCheck.component(expected, q.name());
      Object got = tf.components.contains(q) ? RecordGradientCheck.component(self, q.name())
          : RecordGradientCheck.component(actual, q.name());
      same(what + ": partial " + q.name(), want, got, times, f.floatMode());
    }
    for (FuzzProgram.Param q : tf.components) {
      if (self != null && !q.differentiable()) {
        // Components without derivative are the argument's.
        same(what + ": component " + q.name(), args[f.params().indexOf(q)],
            RecordGradientCheck.component(self, q.name()), 1, false);
      }
    }
  }

  /**
   * The twin's JVP along random tangents {@code t} ({@code self}'s a record of its type): its
   * value is the function's and {@code seed·(J t)} (the tangent for a scalar) equals
   * {@code (Jᵀ seed)·t} of the original's gradient {@code expected}; with {@code hessian = true},
   * its HVP along the same directions equals the original's.
   */
  private static void checkForward(Compiled c, Twin t, TwinFunction tf, Object[] args,
      Object expected, Object seed, Constructor<?> rec, SplittableRandom rnd, boolean floats)
      throws ReflectiveOperationException {
    FuzzProgram.Function f = tf.f;
    Object[] tangents = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      FuzzProgram.Param q = f.params().get(i);
      tangents[i] = !q.differentiable() ? args[i] : args[i] instanceof Double
          ? (Object) rnd.nextDouble(-1, 1) : args[i] instanceof Float
          ? (Object) (float) rnd.nextDouble(-1, 1) : randomLike(args[i], () -> rnd.nextDouble(-1, 1));
    }
    boolean selfTangent = tf.components.stream().anyMatch(FuzzProgram.Param::differentiable);
    List<Object> jvpArgs = twinArguments(tf, args, rec);
    if (selfTangent) {
      jvpArgs.add(twinSelf(tf, tangents, rec));
    }
    for (FuzzProgram.Param q : tf.methodParams) {
      if (q.differentiable()) {
        jvpArgs.add(copy(tangents[f.params().indexOf(q)]));
      }
    }
    String grad = FuzzProgram.PACKAGE + "." + t.className + "_" + recordName(f) + "Grad";
    Object r = invokeNamed(c, grad, f.name() + "Jvp", jvpArgs);
    Object tangent = RecordGradientCheck.component(r, "tangent");
    double forward = seed == null ? ((Number) tangent).doubleValue()
        : dev.adjoint.processor.testing.ArrayValues.dot(seed, tangent);
    double reverse = 0;
    double scale = 0;
    for (int i = 0; i < args.length; i++) {
      FuzzProgram.Param q = f.params().get(i);
      if (q.differentiable()) {
        double[] g = flatten(RecordGradientCheck.component(expected, q.name()));
        double[] ti = flatten(tangents[i]);
        for (int k = 0; k < g.length; k++) {
          reverse += g[k] * ti[k];
          scale += Math.abs(g[k] * ti[k]) + Math.abs(ti[k]);
        }
      }
    }
    if (Double.isFinite(forward) && Double.isFinite(reverse)
        && !(Math.abs(forward - reverse) <= (floats ? 1e-3 : 1e-9) * Math.max(scale, 1e-300))) {
      throw new AssertionError(f.name() + ": the twin's JVP gives seed·Jt " + forward
          + ", the original's gradient (Jᵀseed)·t " + reverse);
    }
    String originalGrad = FuzzProgram.PACKAGE + "." + t.className + "Grad";
    boolean hessian = false;
    for (Method m : c.load(grad).getDeclaredMethods()) {
      hessian |= m.getName().equals(f.name() + "Hvp");
    }
    if (!hessian) {
      return;
    }
    List<Object> originalArgs = new ArrayList<>(java.util.Arrays.asList(deepCopy(args)));
    for (int i = 0; i < args.length; i++) {
      if (f.params().get(i).differentiable()) {
        originalArgs.add(copy(tangents[i]));
      }
    }
    Object want;
    try {
      want = invokeNamed(c, originalGrad, f.name() + "Hvp", originalArgs);
    } catch (AssertionError e) {
      return; // the original's failures are DifferentialFuzzTest's to report
    }
    List<Object> hvpArgs = twinArguments(tf, args, rec);
    if (selfTangent) {
      hvpArgs.add(twinSelf(tf, tangents, rec));
    }
    for (FuzzProgram.Param q : tf.methodParams) {
      if (q.differentiable()) {
        hvpArgs.add(copy(tangents[f.params().indexOf(q)]));
      }
    }
    Object got = invokeNamed(c, grad, f.name() + "Hvp", hvpArgs);
    same(f.name() + ": HVP value", RecordGradientCheck.component(want, "value"),
        RecordGradientCheck.component(got, "value"), 1, floats);
    Object selfHv = selfTangent ? RecordGradientCheck.component(got, "self") : null;
    for (FuzzProgram.Param q : f.params()) {
      if (q.differentiable()) {
        same(f.name() + ": Hv of " + q.name(), RecordGradientCheck.component(want, q.name()),
            tf.components.contains(q) ? RecordGradientCheck.component(selfHv, q.name())
                : RecordGradientCheck.component(got, q.name()), 1, floats);
      }
    }
  }

  /** The twin's arguments: its record of {@code values}, then the method's parameters. */
  private static List<Object> twinArguments(TwinFunction tf, Object[] values, Constructor<?> rec)
      throws ReflectiveOperationException {
    List<Object> out = new ArrayList<>();
    out.add(twinSelf(tf, values, rec));
    for (FuzzProgram.Param q : tf.methodParams) {
      out.add(copy(values[tf.f.params().indexOf(q)]));
    }
    return out;
  }

  private static Object twinSelf(TwinFunction tf, Object[] values, Constructor<?> rec)
      throws ReflectiveOperationException {
    Object[] components = new Object[tf.components.size()];
    for (int i = 0; i < components.length; i++) {
      components[i] = copy(values[tf.f.params().indexOf(tf.components.get(i))]);
    }
    return rec.newInstance(components);
  }

  /** Calls the static method {@code name} of {@code cls} that takes {@code args.size()}. */
  private static Object invokeNamed(Compiled c, String cls, String name, List<Object> args)
      throws ReflectiveOperationException {
    for (Method m : c.load(cls).getDeclaredMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.size()) {
        m.setAccessible(true);
        try {
          return m.invoke(null, args.toArray());
        } catch (java.lang.reflect.InvocationTargetException e) {
          throw new AssertionError(cls + "." + name + " failed", e.getCause());
        }
      }
    }
    throw new AssertionError("no " + cls + "." + name + " taking " + args.size());
  }

  private static Object copy(Object o) {
    return deepCopy(new Object[] {o})[0];
  }

  private static double[] flatten(Object o) {
    List<Double> out = new ArrayList<>();
    if (o instanceof Boolean z) {
      out.add(z ? 1.0 : 0.0);
    } else if (o instanceof Integer n) {
      out.add((double) n);
    } else if (o instanceof int[] ns) {
      for (int n : ns) {
        out.add((double) n);
      }
    } else {
      dev.adjoint.processor.testing.ArrayValues.flatten(o, out);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Checks {@code b} against {@code times} {@code a}. Once, to {@link #TOLERANCE}; twice (two
   * calls, whose contributions the gradient adds in another order than the function's own),
   * also allowing a rounding of the float or double sums of O(1) contributions.
   */
  private static void same(String what, Object a, Object b, int times, boolean floatMode) {
    double[] x = flatten(a);
    double[] y = flatten(b);
    if (x.length != y.length) {
      throw new AssertionError(what + ": shapes differ");
    }
    for (int i = 0; i < x.length; i++) {
      double want = times * x[i];
      boolean ok = times == 1 ? FuzzChecker.close(want, y[i], TOLERANCE)
          : floatMode ? FuzzChecker.closeInFloat(want, y[i])
          : FuzzChecker.close(want, y[i], TOLERANCE)
              || Math.abs(want - y[i]) <= TOLERANCE;
      if (!ok) {
        throw new AssertionError(what + "[" + i + "]: " + want + " but the twin gives " + y[i]);
      }
    }
  }
}
