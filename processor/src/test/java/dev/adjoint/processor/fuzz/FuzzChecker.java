package dev.adjoint.processor.fuzz;

import static dev.adjoint.processor.testing.ArrayValues.component;
import static dev.adjoint.processor.testing.ArrayValues.deepCopy;
import static dev.adjoint.processor.testing.ArrayValues.deepString;
import static dev.adjoint.processor.testing.ArrayValues.dot;
import static dev.adjoint.processor.testing.ArrayValues.flatten;
import static dev.adjoint.processor.testing.ArrayValues.randomLike;
import static dev.adjoint.processor.testing.ArrayValues.unflatten;

import dev.adjoint.GradCheck;
import dev.adjoint.Tape;
import dev.adjoint.processor.testing.Compiled;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Checks the generated gradients of one program's functions at random points.
 *
 * <p>At each point, for every function:
 * <ol>
 *   <li>the value of the gradient method must equal the function's value bit for bit, and the
 *       gradient method must not modify its arguments;</li>
 *   <li>the gradients of the two compilations (with and without the optimising analyses) must
 *       agree to {@value #ANALYSES_TOLERANCE} relative, or {@value #FLOAT_ANALYSES_TOLERANCE}
 *       when the function computes in float: the analyses may run commuting reverse iterations
 *       in forward order, which sums the same terms in another order, and float sums round
 *       differently in the last bits;</li>
 *   <li>the gradient must not hold a NaN where the central differences (steps h and 2h) are
 *       finite, even where they are too inaccurate to compare with;</li>
 *   <li>the gradient must agree with central finite differences, with the step and tolerance of
 *       {@link GradCheck} ({@code 1e-5} and {@code 1e-6} in double, {@code 1e-2} and
 *       {@code 2e-2} when the function computes in float anywhere).</li>
 * </ol>
 *
 * <p>Finite differences are a fair oracle only where the function is smooth, which the checker
 * decides from the original program only, never from the generated code, so that skipping a
 * point can never hide a wrong gradient:
 * <ul>
 *   <li>the probe twin of the program records every data-dependent branch decision, max, min,
 *       abs and integer cast; it is run at the point and at every point finite differences
 *       evaluate (steps {@code h} and {@code 2h}); if any trace differs, the branch structure
 *       changes within the step and the point is skipped (another one is drawn);</li>
 *   <li>if the central differences with steps {@code h} and {@code 2h} disagree by more than a
 *       quarter of the tolerance, rounding or curvature makes the difference quotient unreliable
 *       and the finite-difference comparison (only) is skipped at that point;</li>
 *   <li>points where the function's value is not finite or exceeds {@code 1e8} are skipped.</li>
 * </ul>
 * The comparison of the two compilations needs no oracle and is done at every point that has a
 * finite value.
 */
final class FuzzChecker {
  static final double ANALYSES_TOLERANCE = 1e-12;
  static final double FLOAT_ANALYSES_TOLERANCE = 1e-5;
  /** Below this magnitude float-mode gradients are compared absolutely (1e-7: float rounding). */
  static final double FLOAT_SCALE_FLOOR = 0.01;
  private static final double DOUBLE_STEP = 1e-5;
  private static final double FLOAT_STEP = 1e-2;
  private static final double LARGEST_VALUE = 1e8;

  /** One failed check, with everything needed to reproduce it. */
  record Failure(FuzzProgram program, String function, String kind, String point,
      String details, String generated) {

    String describe(long runSeed) {
      return "=== fuzz failure: " + kind + " ===\n"
          + "program #" + program.index() + " (run seed " + runSeed + "), class "
          + program.qualifiedName() + ", function " + function + "\n"
          + "reproduce: -Dadjoint.fuzz.seed=" + runSeed + " -Dadjoint.fuzz.first="
          + program.index() + " -Dadjoint.fuzz.programs=1\n"
          + (point.isEmpty() ? "" : "point: " + point + "\n")
          + details + "\n"
          + "--- program source ---\n" + program.source()
          + (generated.isEmpty() ? "" : "--- generated gradient (analyses on) ---\n" + generated);
    }
  }

  /** Counts over a run. */
  static final class Stats {
    int programs;
    int functions;
    int attempts;
    int compared;
    int oracleChecked;
    int skippedBranch;
    int skippedOracle;
    int skippedNonFinite;
    final Map<String, Integer> features = new java.util.TreeMap<>();

    @Override
    public String toString() {
      return String.format("programs %d, functions %d, points tried %d: compared (analyses on "
          + "vs off) %d, checked against finite differences %d; skipped: branch structure "
          + "changes within the step %d, unreliable difference quotient %d, non-finite or huge "
          + "value %d", programs, functions, attempts, compared, oracleChecked, skippedBranch,
          skippedOracle, skippedNonFinite);
    }
  }

  private final Compiled optimised;
  private final Compiled unoptimised;
  private final Map<String, Method> methods = new HashMap<>();

  FuzzChecker(Compiled optimised, Compiled unoptimised) {
    this.optimised = optimised;
    this.unoptimised = unoptimised;
  }

  /** Checks every function of {@code program} at {@code points} points; returns failures. */
  List<Failure> check(FuzzProgram program, int points, Stats stats) {
    List<Failure> failures = new ArrayList<>();
    stats.programs++;
    program.features().forEach((k, v) -> stats.features.merge(k, v, Integer::sum));
    for (int fi = 0; fi < program.functions().size(); fi++) {
      FuzzProgram.Function f = program.functions().get(fi);
      stats.functions++;
      SplittableRandom rnd = new SplittableRandom(program.seed() * 31 + fi);
      int done = 0;
      for (int attempt = 0; attempt < points * 4 && done < points; attempt++) {
        stats.attempts++;
        Object[] args = sample(f, rnd);
        try {
          Outcome o = checkPoint(program, f, args, rnd, stats, failures);
          if (o == Outcome.FAILED) {
            return failures;
          }
          if (o != Outcome.SKIPPED) {
            done++;
          }
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
          failures.add(new Failure(program, f.name(), "exception", describe(f, args),
              stackTrace(e), generated(program)));
          return failures;
        }
      }
    }
    return failures;
  }

  private enum Outcome { CHECKED, COMPARED_ONLY, SKIPPED, FAILED }

  private Outcome checkPoint(FuzzProgram program, FuzzProgram.Function f, Object[] args,
      SplittableRandom rnd, Stats stats, List<Failure> failures) {
    String cls = program.qualifiedName();
    Object value;
    try {
      value = invoke(optimised, cls, f.name(), deepCopy(args));
    } catch (AssertionError e) {
      failures.add(new Failure(program, f.name(), "the original function throws (a generator "
          + "bug)", describe(f, args), stackTrace(e), ""));
      return Outcome.FAILED;
    }
    if (!finite(value)) {
      stats.skippedNonFinite++;
      return Outcome.SKIPPED;
    }
    boolean arrayResult = f.result().dims > 0;
    Object seed = arrayResult ? randomLike(value, () -> rnd.nextDouble(-1, 1)) : null;
    Probe center = probe(program, f, args, seed);
    if (!Arrays.deepEquals(new Object[] {center.result}, new Object[] {value})) {
      failures.add(new Failure(program, f.name(), "probe class differs from the program (a "
          + "generator bug)", describe(f, args), "program " + deepString(value) + ", probe "
          + deepString(center.result), ""));
      return Outcome.FAILED;
    }

    // The differentiable inputs, flattened.
    List<Integer> diff = new ArrayList<>();
    for (int i = 0; i < f.params().size(); i++) {
      if (f.params().get(i).differentiable()) {
        diff.add(i);
      }
    }
    List<Double> flat = new ArrayList<>();
    for (int i : diff) {
      flatten(args[i], flat);
    }
    double[] x = flat.stream().mapToDouble(Double::doubleValue).toArray();

    // Finite differences at steps h and 2h, and the branch structure at every evaluated point.
    boolean floatMode = f.floatMode();
    double[] fd1 = new double[x.length];
    double[] fd2 = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int factor = 1; factor <= 2; factor++) {
        double[] up = x.clone();
        double[] down = x.clone();
        double denominator;
        if (floatMode) {
          float xi = (float) x[i];
          float u = (float) (xi + FLOAT_STEP * factor * Math.max(1.0, Math.abs(xi)));
          float d = (float) (xi - FLOAT_STEP * factor * Math.max(1.0, Math.abs(xi)));
          up[i] = u;
          down[i] = d;
          denominator = (double) u - (double) d;
        } else {
          double h = (x[i] + DOUBLE_STEP * factor * Math.max(1.0, Math.abs(x[i]))) - x[i];
          up[i] = x[i] + h;
          down[i] = x[i] - h;
          denominator = 2 * h;
        }
        Probe pu = probe(program, f, withInputs(args, diff, up), seed);
        Probe pd = probe(program, f, withInputs(args, diff, down), seed);
        if (!center.sameBranches(pu) || !center.sameBranches(pd)) {
          stats.skippedBranch++;
          return Outcome.SKIPPED;
        }
        double q = (pu.objective - pd.objective) / denominator;
        if (factor == 1) {
          fd1[i] = q;
        } else {
          fd2[i] = q;
        }
      }
    }

    // The two gradients.
    Object[] gradArgs = args;
    if (arrayResult) {
      gradArgs = Arrays.copyOf(args, args.length + 1);
      gradArgs[args.length] = seed;
    }
    double[] gOpt;
    double[] gUnopt;
    try {
      gOpt = gradient(optimised, program, f, gradArgs, value);
      gUnopt = gradient(unoptimised, program, f, gradArgs, value);
    } catch (CheckFailed e) {
      failures.add(new Failure(program, f.name(), e.kind, describe(f, args), e.getMessage(),
          generated(program)));
      return Outcome.FAILED;
    }
    if (gOpt.length != x.length) {
      failures.add(new Failure(program, f.name(), "gradient has the wrong size",
          describe(f, args), gOpt.length + " components for " + x.length + " inputs",
          generated(program)));
      return Outcome.FAILED;
    }
    stats.compared++;
    for (int i = 0; i < x.length; i++) {
      if (!(f.floatMode() ? closeInFloat(gOpt[i], gUnopt[i])
          : close(gOpt[i], gUnopt[i], ANALYSES_TOLERANCE))) {
        failures.add(new Failure(program, f.name(), "the analyses change the gradient",
            describe(f, args), "input " + i + ": analyses on " + gOpt[i] + ", off " + gUnopt[i]
            + "\nanalyses on:  " + Arrays.toString(gOpt) + "\nanalyses off: "
            + Arrays.toString(gUnopt) + "\nfinite differences: " + Arrays.toString(fd1)
            + seedText(seed), generated(program)));
        return Outcome.FAILED;
      }
    }
    // (programs with a void out-parameter helper have no forward-mode forms: see ProgramGenerator)
    for (Compiled c : program.source().contains("forward = true") ? List.of(optimised,
        unoptimised) : List.<Compiled>of()) {
      String jvp = jvpProblem(c, program, f, args, value, seed, gOpt, rnd);
      if (jvp != null) {
        failures.add(new Failure(program, f.name(), "the JVP (forward mode) disagrees with the "
            + "gradient (reverse mode)", describe(f, args), (c == optimised ? "analyses on: "
            : "analyses off: ") + jvp + seedText(seed), generated(program)));
        return Outcome.FAILED;
      }
    }
    if (!arrayResult) {
      for (Compiled c : List.of(optimised, unoptimised)) {
        String hvp = hvpProblem(c, program, f, args, diff, x, center, value, rnd);
        if (hvp != null) {
          failures.add(new Failure(program, f.name(), "the Hessian-vector product disagrees "
              + "with finite differences of the gradient", describe(f, args),
              (c == optimised ? "analyses on: " : "analyses off: ") + hvp, generated(program)));
          return Outcome.FAILED;
        }
      }
    }
    String accumulated = accumulatorProblem(program, f, gradArgs, value, gOpt, rnd);
    if (accumulated != null) {
      failures.add(new Failure(program, f.name(), "the accumulating form does not add the "
          + "gradient to the buffers it is given", describe(f, args), accumulated
          + seedText(seed), generated(program)));
      return Outcome.FAILED;
    }
    // No NaN where the function is smooth: whatever the accuracy of the difference quotients,
    // finite ones mean the derivative exists (values that do not reach the result, computed
    // outside their domain, must not poison it).
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(fd1[i]) && Double.isFinite(fd2[i])
          && (Double.isNaN(gOpt[i]) || Double.isNaN(gUnopt[i]))) {
        failures.add(new Failure(program, f.name(), "NaN in the gradient where finite "
            + "differences are finite", describe(f, args), "input " + i + ": analyses on "
            + Arrays.toString(gOpt) + ", off " + Arrays.toString(gUnopt)
            + "\nfinite differences: " + Arrays.toString(fd1) + seedText(seed),
            generated(program)));
        return Outcome.FAILED;
      }
    }
    if (Math.abs(center.objective) > LARGEST_VALUE) {
      stats.skippedNonFinite++;
      return Outcome.COMPARED_ONLY;
    }
    double tolerance = floatMode ? GradCheck.FLOAT_TOLERANCE : GradCheck.DOUBLE_TOLERANCE;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(fd1[i]) || !(GradCheck.error(fd1[i], fd2[i]) <= tolerance / 4)) {
        stats.skippedOracle++;
        return Outcome.COMPARED_ONLY;
      }
    }
    double max = 0;
    int worst = x.length == 0 ? -1 : 0;
    for (int i = 0; i < x.length; i++) {
      double e = GradCheck.error(gOpt[i], fd1[i]);
      if (!(e <= max)) {
        max = e;
        worst = i;
      }
    }
    stats.oracleChecked++;
    if (!(max <= tolerance)) {
      GradCheck.Report report = new GradCheck.Report(x, gOpt, fd1, max, worst);
      failures.add(new Failure(program, f.name(), "gradient differs from finite differences",
          describe(f, args), report + "(difference quotients with step 2h: "
          + Arrays.toString(fd2) + ")" + seedText(seed), generated(program)));
      return Outcome.FAILED;
    }
    return Outcome.CHECKED;
  }

  /** Gradient checks that fail with a kind and message. */
  private static final class CheckFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String kind;

    CheckFailed(String kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }
  }

  /** Calls the gradient method of {@code c}, checks value and arguments, returns the gradient. */
  private double[] gradient(Compiled c, FuzzProgram program, FuzzProgram.Function f,
      Object[] gradArgs, Object value) {
    String which = c == optimised ? "analyses on" : "analyses off";
    Object[] copy = deepCopy(gradArgs);
    String expectedPrint = null;
    if (program.source().contains("System.out.")) {
      invoke(c, program.qualifiedName(), f.name(), deepCopy(f.result().dims > 0
          ? Arrays.copyOf(gradArgs, gradArgs.length - 1) : gradArgs));
      expectedPrint = printed;
    }
    int tapeBefore = Tape.get().size();
    Object record = invoke(c, program.qualifiedName() + "Grad", f.name(), copy);
    if (expectedPrint != null && !printed.equals(expectedPrint)) {
      throw new CheckFailed("the gradient prints other than the function",
          which + ": the function printed\n" + expectedPrint + "the gradient printed\n"
          + printed);
    }
    int tapeAfter = Tape.get().size();
    if (tapeAfter != tapeBefore) {
      throw new CheckFailed("the gradient leaves the tape unbalanced",
          which + ": " + tapeBefore + " entries before the call, " + tapeAfter + " after");
    }
    for (int i = 0; i < gradArgs.length; i++) {
      if (!Arrays.deepEquals(new Object[] {gradArgs[i]}, new Object[] {copy[i]})) {
        throw new CheckFailed("the gradient modifies its argument",
            which + ": argument " + i + " was " + deepString(gradArgs[i]) + ", is "
            + deepString(copy[i]));
      }
    }
    RecordComponent[] comps = record.getClass().getRecordComponents();
    Object v = component(record, comps[0]);
    if (!Arrays.deepEquals(new Object[] {v}, new Object[] {value})) {
      throw new CheckFailed("the gradient's value differs from the function's",
          which + ": gradient's value " + deepString(v) + ", function's " + deepString(value));
    }
    List<Double> g = new ArrayList<>();
    int k = 1;
    for (FuzzProgram.Param p : f.params()) {
      if (!p.differentiable()) {
        continue;
      }
      if (k >= comps.length || !comps[k].getName().equals(p.name())) {
        throw new CheckFailed("the gradient record does not match the contract",
            which + ": components " + Arrays.toString(comps) + ", parameter " + p.name());
      }
      flatten(component(record, comps[k]), g);
      k++;
    }
    if (k != comps.length) {
      throw new CheckFailed("the gradient record does not match the contract",
          which + ": extra components " + Arrays.toString(comps));
    }
    return g.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Checks {@code fJvp} along a random tangent {@code t}: its value must be the function's bit
   * for bit, its arguments unchanged, and {@code seed · (J t)} (the tangent itself for a scalar
   * result) must equal {@code (Jᵀ seed) · t} from the reverse-mode gradient. Returns a
   * description of the problem, or null.
   */
  private String jvpProblem(Compiled c, FuzzProgram program, FuzzProgram.Function f,
      Object[] args, Object value, Object seed, double[] gradient, SplittableRandom rnd) {
    List<Object> all = new ArrayList<>(Arrays.asList(deepCopy(args)));
    List<Double> t = new ArrayList<>();
    for (int i = 0; i < f.params().size(); i++) {
      if (f.params().get(i).differentiable()) {
        Object ti = args[i] instanceof Double ? (Object) rnd.nextDouble(-1, 1)
            : args[i] instanceof Float ? (Object) (float) rnd.nextDouble(-1, 1)
            : randomLike(args[i], () -> rnd.nextDouble(-1, 1));
        all.add(ti);
        flatten(ti, t);
      }
    }
    Object[] jvpArgs = all.toArray();
    Object[] before = deepCopy(jvpArgs);
    String expectedPrint = null;
    if (program.source().contains("System.out.")) {
      invoke(c, program.qualifiedName(), f.name(), deepCopy(args));
      expectedPrint = printed;
    }
    Object record = invoke(c, program.qualifiedName() + "Grad", f.name() + "Jvp", jvpArgs);
    if (expectedPrint != null && !printed.equals(expectedPrint)) {
      return "the JVP prints other than the function: the function printed\n" + expectedPrint
          + "the JVP printed\n" + printed;
    }
    for (int i = 0; i < jvpArgs.length; i++) {
      if (!Arrays.deepEquals(new Object[] {jvpArgs[i]}, new Object[] {before[i]})) {
        return "the JVP modifies its argument " + i;
      }
    }
    RecordComponent[] comps = record.getClass().getRecordComponents();
    Object v = component(record, comps[0]);
    if (!Arrays.deepEquals(new Object[] {v}, new Object[] {value})) {
      return "the JVP's value " + deepString(v) + " differs from the function's "
          + deepString(value);
    }
    Object tangent = component(record, comps[1]);
    double forward = seed == null ? ((Number) tangent).doubleValue() : dot(seed, tangent);
    double reverse = 0;
    double scale = 0;
    for (int k = 0; k < gradient.length; k++) {
      reverse += gradient[k] * t.get(k);
      scale += Math.abs(gradient[k] * t.get(k));
    }
    if (!Double.isFinite(reverse) || !Double.isFinite(forward)) {
      return Double.isFinite(reverse) == Double.isFinite(forward) ? null
          : "seed·Jt " + forward + ", (Jᵀseed)·t " + reverse;
    }
    // The two modes round differently: relative to the terms, plus the tangent's size for the
    // roundings of tangents stored in narrower variables (a float local's tangent is a float).
    for (double tk : t) {
      scale += Math.abs(tk);
    }
    double tolerance = f.floatMode() ? 1e-3 : 1e-9;
    if (!(Math.abs(forward - reverse) <= tolerance * Math.max(scale, 1e-300))) {
      return "seed·Jt " + forward + ", (Jᵀseed)·t " + reverse + " (tangent " + t + ")";
    }
    return null;
  }

  /**
   * For a function with {@code hessian = true}: checks {@code fHvp} along a random direction
   * {@code v} (its value must be the function's bit for bit, its arguments unchanged) against
   * central finite differences of the generated gradient along {@code v}, at steps h and 2h;
   * skipped (null) where the branch structure changes within the step or the two difference
   * quotients disagree (no reliable oracle). Returns a description of the problem, or null.
   */
  private String hvpProblem(Compiled c, FuzzProgram program, FuzzProgram.Function f,
      Object[] args, List<Integer> diff, double[] x, Probe center, Object value,
      SplittableRandom rnd) {
    String grad = program.qualifiedName() + "Grad";
    boolean has = false;
    for (Method m : c.load(grad).getDeclaredMethods()) {
      has |= m.getName().equals(f.name() + "Hvp");
    }
    if (!has) {
      return null;
    }
    boolean floatMode = f.floatMode();
    double[] v = new double[x.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = floatMode ? (float) rnd.nextDouble(-1, 1) : rnd.nextDouble(-1, 1);
    }
    Object[] directions = withInputs(args, diff, v);
    List<Object> all = new ArrayList<>(Arrays.asList(deepCopy(args)));
    for (int i : diff) {
      all.add(directions[i]);
    }
    Object[] hvpArgs = all.toArray();
    Object[] before = deepCopy(hvpArgs);
    Object record = invoke(c, grad, f.name() + "Hvp", hvpArgs);
    for (int i = 0; i < hvpArgs.length; i++) {
      if (!Arrays.deepEquals(new Object[] {hvpArgs[i]}, new Object[] {before[i]})) {
        return "the HVP modifies its argument " + i;
      }
    }
    RecordComponent[] comps = record.getClass().getRecordComponents();
    if (!Arrays.deepEquals(new Object[] {component(record, comps[0])}, new Object[] {value})) {
      return "the HVP's value " + deepString(component(record, comps[0]))
          + " differs from the function's " + deepString(value);
    }
    List<Double> flatHv = new ArrayList<>();
    for (int k = 1; k < comps.length; k++) {
      flatten(component(record, comps[k]), flatHv);
    }
    double[] hv = flatHv.stream().mapToDouble(Double::doubleValue).toArray();
    if (hv.length != x.length) {
      return "the HVP has " + hv.length + " components for " + x.length + " inputs";
    }
    double size = 1;
    for (double xi : x) {
      size = Math.max(size, Math.abs(xi));
    }
    double[][] fd = new double[2][];
    for (int factor = 1; factor <= 2; factor++) {
      double h = (floatMode ? FLOAT_STEP : DOUBLE_STEP) * factor * size;
      double[] up = new double[x.length];
      double[] down = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        up[i] = floatMode ? (float) (x[i] + h * v[i]) : x[i] + h * v[i];
        down[i] = floatMode ? (float) (x[i] - h * v[i]) : x[i] - h * v[i];
      }
      Object[] upArgs = withInputs(args, diff, up);
      Object[] downArgs = withInputs(args, diff, down);
      if (!center.sameBranches(probe(program, f, upArgs, null))
          || !center.sameBranches(probe(program, f, downArgs, null))) {
        return null;
      }
      double[] gUp;
      double[] gDown;
      try {
        gUp = gradient(c, program, f, upArgs,
            invoke(c, program.qualifiedName(), f.name(), deepCopy(upArgs)));
        gDown = gradient(c, program, f, downArgs,
            invoke(c, program.qualifiedName(), f.name(), deepCopy(downArgs)));
      } catch (CheckFailed e) {
        return e.kind + ": " + e.getMessage();
      }
      fd[factor - 1] = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        fd[factor - 1][i] = (gUp[i] - gDown[i]) / (2 * h);
      }
    }
    double tolerance = floatMode ? GradCheck.FLOAT_TOLERANCE : GradCheck.DOUBLE_TOLERANCE;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(fd[0][i]) || !(GradCheck.error(fd[0][i], fd[1][i]) <= tolerance / 4)) {
        return null; // no reliable oracle here
      }
    }
    for (int i = 0; i < x.length; i++) {
      if (!(GradCheck.error(hv[i], fd[0][i]) <= tolerance)) {
        return "input " + i + ": Hv " + Arrays.toString(hv) + "\nfinite differences of the "
            + "gradient along v: " + Arrays.toString(fd[0]) + " (step 2h: "
            + Arrays.toString(fd[1]) + ")\nv " + Arrays.toString(v);
      }
    }
    return null;
  }

  /**
   * For a function with an accumulating form (array parameters or an array result): calls it
   * with an accumulator holding random values b and checks it returns the value and leaves
   * b + gradient, then that {@code clear()} zeroes it. Returns a description of the problem, or
   * null.
   */
  private String accumulatorProblem(FuzzProgram program, FuzzProgram.Function f,
      Object[] gradArgs, Object value, double[] gradient, SplittableRandom rnd) {
    String accName = Character.toUpperCase(f.name().charAt(0)) + f.name().substring(1)
        + "Accumulator";
    Class<?> grad = optimised.load(program.qualifiedName() + "Grad");
    Class<?> accClass = null;
    for (Class<?> c : grad.getDeclaredClasses()) {
      if (c.getSimpleName().equals(accName)) {
        accClass = c;
      }
    }
    if (accClass == null) {
      return null;
    }
    try {
      List<Object> buffers = new ArrayList<>();
      for (int i = 0; i < f.params().size(); i++) {
        FuzzProgram.Param p = f.params().get(i);
        if (p.differentiable() && p.type().dims > 0) {
          buffers.add(randomLike(gradArgs[i], () -> rnd.nextDouble(-1, 1)));
        }
      }
      Object acc = accClass.getConstructors()[0].newInstance(buffers.toArray());
      for (FuzzProgram.Param p : f.params()) {
        if (p.differentiable() && p.type().dims == 0) {
          Field field = accClass.getField(p.name());
          if (p.type() == Ty.F) {
            field.setFloat(acc, (float) rnd.nextDouble(-1, 1));
          } else {
            field.setDouble(acc, rnd.nextDouble(-1, 1));
          }
        }
      }
      double[] before = accumulatorContents(accClass, acc, f);
      Object[] args = Arrays.copyOf(deepCopy(gradArgs), gradArgs.length + 1);
      args[gradArgs.length] = acc;
      int tapeBefore = Tape.get().size();
      Object v = invoke(optimised, program.qualifiedName() + "Grad", f.name(), args);
      if (Tape.get().size() != tapeBefore) {
        return "the tape is unbalanced after the accumulating form";
      }
      if (!Arrays.deepEquals(new Object[] {v}, new Object[] {value})) {
        return "it returns " + deepString(v) + ", the function " + deepString(value);
      }
      double[] after = accumulatorContents(accClass, acc, f);
      for (int i = 0; i < after.length; i++) {
        double expected = before[i] + gradient[i];
        double scale = Math.max(1, Math.max(Math.abs(before[i]), Math.abs(gradient[i])));
        double tolerance = f.floatMode() ? 1e-5 : 1e-12;
        if (!(Math.abs(after[i] - expected) <= tolerance * scale)) {
          return "component " + i + ": buffer held " + before[i] + ", gradient " + gradient[i]
              + ", buffer after " + after[i] + "\nbefore: " + Arrays.toString(before)
              + "\nafter: " + Arrays.toString(after) + "\ngradient: "
              + Arrays.toString(gradient);
        }
      }
      accClass.getMethod("clear").invoke(acc);
      for (double d : accumulatorContents(accClass, acc, f)) {
        if (d != 0) {
          return "clear() leaves " + Arrays.toString(accumulatorContents(accClass, acc, f));
        }
      }
      return null;
    } catch (ReflectiveOperationException e) {
      return "cannot use " + accClass.getName() + ": " + e;
    }
  }

  /** The accumulator's fields, flattened in parameter order like the gradient. */
  private static double[] accumulatorContents(Class<?> accClass, Object acc,
      FuzzProgram.Function f) throws ReflectiveOperationException {
    List<Double> out = new ArrayList<>();
    for (FuzzProgram.Param p : f.params()) {
      if (p.differentiable()) {
        flatten(accClass.getField(p.name()).get(acc), out);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The probe's result at a point: the objective, and the trace of branch decisions. */
  private static final class Probe {
    Object result;
    double objective;
    long trace;
    int events;

    boolean sameBranches(Probe o) {
      return trace == o.trace && events == o.events;
    }
  }

  private Probe probe(FuzzProgram program, FuzzProgram.Function f, Object[] args, Object seed) {
    if (program.probeSource().isEmpty()) {
      // A hand-written program (see ReproduceTest): no branch trace, the function itself.
      Probe p = new Probe();
      p.result = invoke(optimised, program.qualifiedName(), f.name(),
          deepCopy(args));
      p.objective = seed == null ? ((Number) p.result).doubleValue() : dot(seed, p.result);
      return p;
    }
    Class<?> cls = optimised.load(program.probeName());
    try {
      Field trace = cls.getDeclaredField("trace");
      Field events = cls.getDeclaredField("events");
      trace.setAccessible(true);
      events.setAccessible(true);
      trace.setLong(null, 0);
      events.setInt(null, 0);
      Probe p = new Probe();
      p.result = invoke(optimised, program.probeName(), f.name(),
          deepCopy(args));
      p.trace = trace.getLong(null);
      p.events = events.getInt(null);
      p.objective = seed == null ? ((Number) p.result).doubleValue() : dot(seed, p.result);
      return p;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** What the last {@link #invoke} printed on System.out (programs may print). */
  private String printed = "";

  private Object invoke(Compiled c, String cls, String name, Object[] args) {
    String key = (c == optimised ? "on/" : "off/") + cls + "." + name + "/" + args.length;
    Method m = methods.computeIfAbsent(key, k -> {
      Method found = c.method(cls, name, args);
      found.setAccessible(true);
      return found;
    });
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      return m.invoke(null, args);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    } catch (InvocationTargetException e) {
      throw new AssertionError("call failed: " + cls + "." + name, e.getCause());
    } finally {
      System.setOut(out);
      printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  // ------------------------------------------------------------------ points

  /**
   * A random point: scalars in [-1.5, 1.5], ints in [0, 4], arrays of 1-4 elements, matrices of
   * 1-3 rows of 1-3 elements (a quarter of them ragged).
   */
  static Object[] sample(FuzzProgram.Function f, SplittableRandom rnd) {
    Object[] args = new Object[f.params().size()];
    for (int i = 0; i < args.length; i++) {
      FuzzProgram.Param p = f.params().get(i);
      args[i] = sample(p.type(), f.floatMode(), rnd);
      if (p.writtenInPlace() && p.type().dims == 2) {
        // The gradient's copy of a 2-D parameter written in place is rectangular, and a ragged
        // one makes it throw (README, contract): give it rows of the first row's length.
        Object[] m = (Object[]) args[i];
        for (int row = 1; row < m.length; row++) {
          m[row] = m[row] instanceof double[] d ? Arrays.copyOf(d, ((double[]) m[0]).length)
              : Arrays.copyOf((float[]) m[row], ((float[]) m[0]).length);
        }
      }
    }
    return args;
  }

  private static Object sample(Ty t, boolean floatMode, SplittableRandom rnd) {
    switch (t) {
      case D: {
        double v = rnd.nextDouble(-1.5, 1.5);
        return floatMode ? (double) (float) v : v;
      }
      case F:
        return (float) rnd.nextDouble(-1.5, 1.5);
      case I:
        return rnd.nextInt(5);
      case Z:
        return rnd.nextBoolean();
      case E:
        return java.math.RoundingMode.values()[rnd.nextInt(4)];
      case S:
        return ProgramGenerator.WORDS.get(rnd.nextInt(ProgramGenerator.WORDS.size()));
      case D1: {
        double[] a = new double[1 + rnd.nextInt(4)];
        for (int i = 0; i < a.length; i++) {
          a[i] = (Double) sample(Ty.D, floatMode, rnd);
        }
        return a;
      }
      case F1: {
        float[] a = new float[1 + rnd.nextInt(4)];
        for (int i = 0; i < a.length; i++) {
          a[i] = (Float) sample(Ty.F, floatMode, rnd);
        }
        return a;
      }
      case D2: {
        // Sometimes ragged: rows of a matrix may differ in length.
        boolean ragged = rnd.nextInt(4) == 0;
        int cols = 1 + rnd.nextInt(3);
        double[][] m = new double[1 + rnd.nextInt(3)][];
        for (int i = 0; i < m.length; i++) {
          m[i] = new double[ragged ? 1 + rnd.nextInt(3) : cols];
          for (int j = 0; j < m[i].length; j++) {
            m[i][j] = (Double) sample(Ty.D, floatMode, rnd);
          }
        }
        return m;
      }
      default: {
        boolean ragged = rnd.nextInt(4) == 0;
        int cols = 1 + rnd.nextInt(3);
        float[][] m = new float[1 + rnd.nextInt(3)][];
        for (int i = 0; i < m.length; i++) {
          m[i] = new float[ragged ? 1 + rnd.nextInt(3) : cols];
          for (int j = 0; j < m[i].length; j++) {
            m[i][j] = (Float) sample(Ty.F, floatMode, rnd);
          }
        }
        return m;
      }
    }
  }

  private static Object[] withInputs(Object[] args, List<Integer> diff, double[] x) {
    Object[] a = deepCopy(args);
    int[] pos = {0};
    for (int i : diff) {
      a[i] = unflatten(a[i], x, pos);
    }
    return a;
  }





  private static boolean finite(Object value) {
    List<Double> flat = new ArrayList<>();
    flatten(value, flat);
    for (double v : flat) {
      if (!Double.isFinite(v) || Math.abs(v) > LARGEST_VALUE) {
        return false;
      }
    }
    return true;
  }

  /** Equal to {@code tolerance} relative (NaN equals NaN). */
  /**
   * Whether two float-mode gradients agree: relatively, and absolutely to within about one
   * float rounding of contributions of order 1. The analyses may order a float adjoint's updates
   * differently (a value kept in a local splits one statement's contributions), and contributions
   * {@code t' - 1f + 1f} then round to 0 in one order and keep a tiny {@code t'} in the other;
   * both are what float arithmetic gives (finite differences accept both).
   */
  static boolean closeInFloat(double a, double b) {
    double scale = Math.max(FLOAT_SCALE_FLOOR, Math.max(Math.abs(a), Math.abs(b)));
    return Double.compare(a, b) == 0 || a == b
        || Math.abs(a - b) <= FLOAT_ANALYSES_TOLERANCE * scale;
  }

  static boolean close(double a, double b, double tolerance) {
    if (Double.compare(a, b) == 0 || a == b) {
      return true;
    }
    return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
  }

  // ------------------------------------------------------------------ reporting

  static String describe(FuzzProgram.Function f, Object[] args) {
    StringBuilder sb = new StringBuilder(f.name()).append('(');
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(f.params().get(i).name()).append(" = ").append(literal(args[i]));
    }
    return sb.append(')').toString();
  }

  /** Java source for a value, so a failing point can be pasted into a regression test. */
  static String literal(Object o) {
    if (o instanceof Double d) {
      return Double.toString(d);
    }
    if (o instanceof Float f) {
      return f + "f";
    }
    if (o instanceof double[] d) {
      StringBuilder sb = new StringBuilder("new double[] {");
      for (int i = 0; i < d.length; i++) {
        sb.append(i > 0 ? ", " : "").append(d[i]);
      }
      return sb.append('}').toString();
    }
    if (o instanceof float[] d) {
      StringBuilder sb = new StringBuilder("new float[] {");
      for (int i = 0; i < d.length; i++) {
        sb.append(i > 0 ? ", " : "").append(d[i]).append('f');
      }
      return sb.append('}').toString();
    }
    if (o instanceof Object[] rows) {
      StringBuilder sb = new StringBuilder("new " + rows.getClass().getComponentType()
          .getSimpleName() + "[] {");
      for (int i = 0; i < rows.length; i++) {
        sb.append(i > 0 ? ", " : "").append(literal(rows[i]).replaceFirst("new \\w+\\[\\] ", ""));
      }
      return sb.append('}').toString();
    }
    if (o instanceof String s) {
      return '"' + s + '"';
    }
    if (o instanceof Enum<?> e) {
      return e.getDeclaringClass().getName() + "." + e.name();
    }
    return String.valueOf(o);
  }

  private static String seedText(Object seed) {
    return seed == null ? "" : "\nseed: " + literal(seed);
  }

  private String generated(FuzzProgram program) {
    try {
      return optimised.generatedSource(program.qualifiedName() + "Grad");
    } catch (AssertionError e) {
      return "";
    }
  }


  private static String stackTrace(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    String s = w.toString();
    return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
  }

}
