package dev.adjoint.processor.fuzz;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A seeded generator of random, well-typed {@code @Differentiable} programs in the subset the
 * processor supports (see the README), as a small grammar with depth limits.
 *
 * <p>Every program is a class of 1-3 functions {@code f0, f1, f2}; a function may call the ones
 * before it. The grammar covers double and float (and mixtures with casts), int locals and
 * constants, {@code + - * /}, unary minus, the Math functions, ternaries, if/else, early returns,
 * counted {@code for} loops (up, down, step two), {@code while} and {@code do}/{@code while} loops
 * with data-dependent trip counts, the many spellings of one counted loop ({@code i + k < n},
 * {@code n > i}, {@code i != n}, steps up and down, triangular nests, counters updated at the end
 * of a {@code while} body, dot products then a nonlinearity: see {@link #idiomLoop}), enhanced {@code for} over arrays and rows, {@code break} and
 * {@code continue}, 1-D and 2-D arrays (parameters read-only; local arrays allocated at the top
 * level, written and overwritten in loops, compound assignment to elements), row aliases, scalars
 * (locals and parameters) overwritten in loops, calls between the functions (scalar and array
 * results, an array-valued call passed straight to another call), {@code @NoDerivative}
 * parameters and {@code boolean} parameters.
 *
 * <p>Keeping the functions smooth and of moderate size, so that finite differences are a fair
 * oracle:
 * <ul>
 *   <li>inputs are sampled in [-1.5, 1.5], int parameters in [0, 4], array lengths in [1, 4];</li>
 *   <li>{@code exp} only of bounded arguments ({@code sin}, {@code tanh}, {@code -a*a}, ...),
 *       {@code log} and {@code sqrt} only of arguments at least 0.5 ({@code 1 + a*a}, ...),
 *       division only by such positive denominators or by constants, {@code pow} with small
 *       integer exponents or a positive base;</li>
 *   <li>inside loops a value that is carried from one iteration to the next is only updated
 *       through a squashing function ({@code tanh}, {@code sin}, {@code atan}) or by a factor in
 *       [0.25, 0.75], so nothing grows geometrically with the trip count;</li>
 *   <li>trip counts are bounded by small ints and array lengths, nesting by depth limits;</li>
 *   <li>every comparison of floating values, {@code max}, {@code min}, {@code abs} and integer
 *       cast of floating data is written, in the probe twin of the program, through a recorder,
 *       so the checker can see whether a finite-difference step changes the branch structure
 *       (and then samples another point; see {@link FuzzChecker}).</li>
 * </ul>
 * Array indices are always in range: a loop index over {@code a.length} indexes {@code a}
 * directly, any other non-negative int indexes as {@code (k % a.length)}, and every array has at
 * least one element.
 */
final class ProgramGenerator {
  /**
   * With the system property {@code adjoint.fuzz.large}, longer functions with deeper nesting
   * (for long runs; the CI batch uses the default sizes).
   */
  static final boolean LARGE = Boolean.getBoolean("adjoint.fuzz.large");
  private static final int MAX_LOOP_DEPTH = 2;
  private static final int MAX_NESTING = LARGE ? 4 : 3;
  /**
   * Share of loops written in one of the spellings of {@link #idiomLoop}: system property
   * {@code adjoint.fuzz.idiomShare}, default 0.3 (1 for a run of idioms only).
   */
  private static final double IDIOM_SHARE =
      Double.parseDouble(System.getProperty("adjoint.fuzz.idiomShare", "0.3"));

  /**
   * Constructs that hit known processor bugs (see FuzzRegressionTest), generated only when the
   * system property {@code adjoint.fuzz.knownBugs} is true: void calls writing an array that has
   * a second name (now a compile error, AdjointArrayAliasWritten, which the fuzzer does not
   * expect).
   */
  static final boolean KNOWN_BUGS = Boolean.getBoolean("adjoint.fuzz.knownBugs");

  private final SplittableRandom r;
  private final Map<String, Integer> features = new TreeMap<>();
  private final List<FuzzProgram.Function> done = new ArrayList<>();
  /** Functions that write a parameter array in place: callers may not call them. */
  private final java.util.Set<String> writesParameters = new java.util.HashSet<>();
  /** The program's void helper writing an out-parameter (see OUT_HELPERS), or null. */
  private String outHelper;
  private Fn fn;

  private ProgramGenerator(long seed) {
    this.r = new SplittableRandom(seed);
    this.prints = new SplittableRandom(~seed);
  }

  /**
   * Chooses where the last function of a program prints ({@code System.out.println}) and what:
   * a stream of its own, so that programs are otherwise what they were without prints. Only the
   * last function prints, which no other calls (a printing callee that stays a call is a compile
   * error, AdjointPrintingCallee); the probe copy does not print.
   */
  private final SplittableRandom prints;
  /** Whether the function being generated may print. */
  private boolean printing;

  /** Generates program {@code index} of a run with seed {@code runSeed}. */
  static FuzzProgram generate(long runSeed, int index) {
    long seed = mix(runSeed, index);
    return new ProgramGenerator(seed).program(index, seed, "Fuzz" + index);
  }

  /** A well-spread seed for program {@code index} of a run (SplitMix64 finaliser). */
  static long mix(long runSeed, long index) {
    long z = runSeed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  // ------------------------------------------------------------------ programs and functions

  private FuzzProgram program(int index, long seed, String className) {
    int count = 1 + r.nextInt(3);
    StringBuilder normal = new StringBuilder();
    StringBuilder probe = new StringBuilder();
    if (OUT_HELPERS_ENABLED && chance(0.2)) {
      // A void helper writing an out-parameter, called on local arrays (not checked itself:
      // the checker differentiates the functions that call it).
      outHelper = "fill";
      String body = pick(OUT_HELPERS);
      normal.append("  @Differentiable\n").append(body).append('\n');
      probe.append(body).append('\n');
    }
    for (int i = 0; i < count; i++) {
      printing = i == count - 1;
      Fn f = function("f" + i);
      normal.append(f.n).append('\n');
      probe.append(f.p).append('\n');
    }
    String src = "package " + FuzzProgram.PACKAGE + ";\n\n"
        + "import dev.adjoint.Differentiable;\n"
        + "import dev.adjoint.NoDerivative;\n\n"
        + "final class " + className + " {\n"
        + CONSTANTS
        + normal
        + "}\n";
    String probeSrc = "package " + FuzzProgram.PACKAGE + ";\n\n"
        + "final class " + className + "Probe {\n"
        + CONSTANTS
        + PROBE_RECORDER
        + probe
        + "}\n";
    return new FuzzProgram(index, seed, className, src, probeSrc, List.copyOf(done),
        Map.copyOf(features));
  }

  /** Void helpers with an out-parameter (they have JVP forms, but no directional derivative). */
  private static final boolean OUT_HELPERS_ENABLED = true;

  /** Bodies of void helpers that write their out-parameter {@code out} from {@code x}, {@code c}. */
  private static final List<String> OUT_HELPERS = List.of(
      "  static void fill(double[] x, double c, double[] out) {\n"
          + "    for (int i = 0; i < out.length; i++) {\n"
          + "      out[i] = Math.sin(x[i % x.length]) * c + out[i];\n"
          + "    }\n"
          + "  }\n",
      "  static void fill(double[] x, double c, double[] out) {\n"
          + "    for (int i = 0; i < out.length; i++) {\n"
          + "      out[i] = out[i] * c + x[i % x.length] * x[(i + 1) % x.length];\n"
          + "    }\n"
          + "    if (c > 1) {\n"
          + "      return;\n"
          + "    }\n"
          + "    out[0] = out[0] * out[0];\n"
          + "  }\n",
      "  static void fill(double[] x, double c, double[] out) {\n"
          + "    double s = 0;\n"
          + "    for (int i = 0; i < x.length; i++) {\n"
          + "      s += x[i] * c;\n"
          + "    }\n"
          + "    for (int i = 0; i < out.length; i++) {\n"
          + "      out[i] = Math.tanh(s - out[i]);\n"
          + "    }\n"
          + "  }\n");

  /** Constants the functions may read (static final fields are supported). */
  private static final String CONSTANTS = "  static final double SCALE = 0.75;\n"
      + "  static final double HALF = 0.5;\n\n";

  /** The recorder of the probe class: a hash of every decision, and their number. */
  private static final String PROBE_RECORDER = String.join("\n",
      "  static long trace;",
      "  static int events;",
      "",
      "  static boolean tb(boolean c) {",
      "    trace = trace * 1_000_003L + (c ? 1 : 2);",
      "    events++;",
      "    return c;",
      "  }",
      "",
      "  static int ti(int v) {",
      "    trace = trace * 1_000_003L + v + 7;",
      "    events++;",
      "    return v;",
      "  }",
      "",
      "  static double tmax(double a, double c) {",
      "    tb(a > c);",
      "    tb(a < c);",
      "    return Math.max(a, c);",
      "  }",
      "",
      "  static float tmax(float a, float c) {",
      "    tb(a > c);",
      "    tb(a < c);",
      "    return Math.max(a, c);",
      "  }",
      "",
      "  static double tmin(double a, double c) {",
      "    tb(a > c);",
      "    tb(a < c);",
      "    return Math.min(a, c);",
      "  }",
      "",
      "  static float tmin(float a, float c) {",
      "    tb(a > c);",
      "    tb(a < c);",
      "    return Math.min(a, c);",
      "  }",
      "",
      "  static double tabs(double a) {",
      "    tb(a > 0);",
      "    tb(a < 0);",
      "    return Math.abs(a);",
      "  }",
      "",
      "  static float tabs(float a) {",
      "    tb(a > 0);",
      "    tb(a < 0);",
      "    return Math.abs(a);",
      "  }",
      "",
      "  static double tstep(double v) {",
      "    trace = trace * 1_000_003L + Double.hashCode(v);",
      "    events++;",
      "    return v;",
      "  }",
      "",
      "  static float tstep(float v) {",
      "    trace = trace * 1_000_003L + Float.hashCode(v);",
      "    events++;",
      "    return v;",
      "  }",
      "",
      "  static double trem(double a, double c) {",
      "    ti((int) (a / c));",
      "    return a % c;",
      "  }",
      "",
      "  static float trem(float a, float c) {",
      "    ti((int) (a / c));",
      "    return a % c;",
      "  }",
      "",
      "");

  private void feature(String name) {
    features.merge(name, 1, Integer::sum);
  }

  private boolean chance(double p) {
    return r.nextDouble() < p;
  }

  private <T> T pick(List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  /** State of the function being generated. */
  private static final class Fn {
    final String name;
    boolean floaty;
    Ty result;
    final List<FuzzProgram.Param> params = new ArrayList<>();
    final Deque<List<Var>> scopes = new ArrayDeque<>();
    int loopDepth;
    int nesting;
    /** For each enclosing loop, innermost first: whether it declares a row alias. */
    final Deque<Boolean> aliasLoops = new ArrayDeque<>();
    int counter;
    int indent = 2;
    boolean callsFloat;
    Var resultArray;
    /** 2-D arrays that have had a row alias (in scope, or in a switch's later cases). */
    final java.util.Set<String> rowAliased = new java.util.HashSet<>();
    /** Arrays whose length an enclosing loop's condition reads. */
    final List<String> loopArrays = new ArrayList<>();
    /** Arrays an enclosing for-each iterates over. */
    final java.util.Set<String> iterated = new java.util.HashSet<>();
    /** Local names taken from GENERATED_NAMES. */
    final java.util.Set<String> usedNames = new java.util.HashSet<>();
    /** Enum and String parameters, which switches select on. */
    final List<Var> selectors = new ArrayList<>();
    /** Whether a 2-D parameter is written in place. */
    boolean writes2d;
    /**
     * The loop depth of the innermost loop whose counter is updated at the end of its body
     * (0: none): a {@code continue} there would skip the update and never end.
     */
    int counterAtEndDepth;
    /** Early returns and break/continue so far (capped: each copies code, see jump()). */
    int returns;
    int jumps;
    final StringBuilder n = new StringBuilder();
    final StringBuilder p = new StringBuilder();

    Fn(String name) {
      this.name = name;
    }

    boolean topLevel() {
      return nesting == 0 && loopDepth == 0;
    }
  }

  /** A variable in scope. */
  private static final class Var {
    final String name;
    final Ty ty;
    /** Scalars: may be assigned. Arrays: elements may be written. */
    boolean writable;
    /** No derivative can flow from it (an unassigned @NoDerivative parameter, int data). */
    boolean inactive;
    /** An int in [0, 5]: usable as a trip count or an int argument. */
    boolean small;
    /** A row of a 2-D array (an alias), not an array variable of its own. */
    boolean alias;
    /** An array that has, or had, a second name ({@code c = a}). */
    boolean shared;
    /** For a row alias: the name of the 2-D array it is a row of. */
    String rowOf;
    /** An int that is never negative: usable as an index (modulo the length). */
    boolean nonneg;
    /** For a loop index: the array expression whose length bounds it (direct indexing). */
    String bound;
    /** For a loop index: {@code name + room} is still below its bound (indexes {@code bound}). */
    int room;
    /**
     * For a loop index counting between 0 and a bound the body cannot change: the text of that
     * bound ({@code name < below}), for the inner loops of triangular nests; null otherwise.
     */
    String below;

    Var(String name, Ty ty) {
      this.name = name;
      this.ty = ty;
    }
  }

  private String fresh(String prefix) {
    return prefix + fn.counter++;
  }

  /**
   * Names the generated code uses for its own variables (adjoints dX, saved values xBefore,
   * the tape, trip counts, branch flags, ...): a local named so must not capture them.
   */
  private static final List<String> GENERATED_NAMES = List.of("value", "tape", "seed",
      "gradient", "iterations", "iteration", "branch", "result", "returned", "dValue", "dT0",
      "dX0", "x0Before", "tanhValue", "dSum", "dChoice", "t", "i");

  /** A fresh local name: usually prefix + counter, sometimes a name the generator uses. */
  private String localName(String prefix) {
    if (chance(0.06)) {
      String n = pick(GENERATED_NAMES);
      if (!fn.usedNames.contains(n) && !(n.equals("seed") && fn.result.dims > 0)) {
        fn.usedNames.add(n);
        feature("naming:generated-name");
        return n;
      }
    }
    return fresh(prefix);
  }

  private void declare(Var v) {
    fn.scopes.peek().add(v);
  }

  private List<Var> vars(Predicate<Var> p) {
    List<Var> out = new ArrayList<>();
    for (List<Var> scope : fn.scopes) {
      for (Var v : scope) {
        if (p.test(v)) {
          out.add(v);
        }
      }
    }
    return out;
  }

  private Fn function(String name) {
    fn = new Fn(name);
    fn.floaty = chance(0.3);
    fn.scopes.push(new ArrayList<>());
    // Signature.
    int nParams = 1 + r.nextInt(4);
    List<String> sig = new ArrayList<>();
    List<String> probeSig = new ArrayList<>();
    boolean anyDifferentiable = false;
    for (int i = 0; i < nParams; i++) {
      Ty t = paramType();
      if (t == Ty.E || t == Ty.S) {
        // Only switched over (switchSelector) and passed on (argument), never an operand.
        String pname = fresh(t == Ty.E ? "m" : "s");
        fn.selectors.add(new Var(pname, t));
        fn.params.add(new FuzzProgram.Param(pname, t, false));
        sig.add(t.java + " " + pname);
        probeSig.add(t.java + " " + pname);
        feature(t == Ty.E ? "param:enum" : "param:String");
        continue;
      }
      boolean noDerivative = t.differentiable() && chance(0.15);
      String prefix = t == Ty.I ? "n" : t == Ty.Z ? "b" : t.dims == 2 ? "w" : t.dims == 1 ? "a"
          : "x";
      String pname = fresh(prefix);
      Var v = new Var(pname, t);
      if (t.dims == 0) {
        v.writable = t.floating() && (!noDerivative || chance(0.3)) && chance(0.6);
      } else if (t.dims > 0 && chance(0.25)) {
        // Written in place: the gradient works on a copy; callers may not call this function.
        v.writable = true;
        writesParameters.add(name);
        feature(t.dims == 2 ? "param:2d-array-written-in-place" : "param:array-written-in-place");
      }
      v.inactive = !t.differentiable() || noDerivative && !v.writable;
      v.nonneg = t == Ty.I;
      v.small = t == Ty.I;
      declare(v);
      fn.params.add(new FuzzProgram.Param(pname, t, noDerivative, t.dims > 0 && v.writable));
      fn.writes2d |= t.dims == 2 && v.writable;
      anyDifferentiable |= t.differentiable() && !noDerivative;
      sig.add((noDerivative ? "@NoDerivative " : "") + t.java + " " + pname);
      probeSig.add(t.java + " " + pname);
      if (noDerivative) {
        feature(v.writable ? "param:@NoDerivative-assigned" : "param:@NoDerivative");
      }
      feature("param:" + t.java);
    }
    if (!anyDifferentiable) {
      feature("function:no-differentiable-param");
    }
    double u = r.nextDouble();
    if (u < 0.22) {
      fn.result = fn.floaty && chance(0.4) ? Ty.F1 : Ty.D1;
    } else if (fn.floaty && u < 0.5) {
      fn.result = Ty.F;
    } else {
      fn.result = Ty.D;
    }
    feature("result:" + fn.result.java);
    // every function also gets its forward-mode form, which the checker compares with reverse
    // mode, and a scalar one its Hessian-vector product, checked against finite differences of
    // the gradient (through the directional forms of the functions it calls, array-valued and
    // void helpers too)
    boolean hessian = fn.result.dims == 0;
    if (hessian) {
      feature("function:hessian");
    }
    both(hessian ? "  @Differentiable(forward = true, hessian = true)\n"
        : "  @Differentiable(forward = true)\n", "");
    both("  static " + fn.result.java + " " + name + "(" + String.join(", ", sig) + ") {\n",
        "  static " + fn.result.java + " " + name + "(" + String.join(", ", probeSig) + ") {\n");
    fn.indent = 4;
    if (fn.result.dims > 0) {
      String rname = fresh("r");
      line(fn.result.java + " " + rname + " = new " + fn.result.elem().java + "["
          + arrayLength() + "];");
      Var rv = new Var(rname, fn.result);
      rv.writable = true;
      declare(rv);
      fn.resultArray = rv;
    }
    int statements = LARGE ? 4 + r.nextInt(10) : 2 + r.nextInt(6);
    for (int i = 0; i < statements; i++) {
      statement();
    }
    if (fn.resultArray != null) {
      // Make the result depend on the computation: a final fill loop.
      String arr = fn.resultArray.name;
      String idx = fresh("i");
      line("for (int " + idx + " = 0; " + idx + " < " + arr + ".length; " + idx + "++) {");
      openScope();
      fn.loopDepth++;
      Var iv = loopIndex(idx, arr);
      declare(iv);
      Ex e = expr(fn.result.elem(), 2);
      line(arr + "[" + idx + "] += ", e, ";");
      fn.loopDepth--;
      closeScope();
      line("}");
      line("return " + arr + ";");
    } else {
      line("return ", finalReturn(), ";");
    }
    fn.indent = 2;
    both("  }\n", "  }\n");
    boolean floatMode = fn.callsFloat || fn.n.toString().contains("float")
        || fn.n.toString().matches("(?s).*[0-9]f\\b.*");
    done.add(new FuzzProgram.Function(name, List.copyOf(fn.params), fn.result, floatMode));
    feature(floatMode ? "function:float-mode" : "function:double-mode");
    return fn;
  }

  private Ty paramType() {
    double u = r.nextDouble();
    if (u < 0.40) {
      return fn.floaty && chance(0.4) ? Ty.F : Ty.D;
    }
    if (u < 0.52) {
      return Ty.I;
    }
    if (u < 0.56) {
      return Ty.Z;
    }
    if (u < 0.60) {
      return chance(0.5) ? Ty.E : Ty.S;
    }
    if (u < 0.86) {
      return fn.floaty && chance(0.4) ? Ty.F1 : Ty.D1;
    }
    return fn.floaty && chance(0.4) ? Ty.F2 : Ty.D2;
  }

  // ------------------------------------------------------------------ emitting

  private void both(String n, String p) {
    fn.n.append(n);
    fn.p.append(p);
  }

  private void line(String text) {
    String pad = " ".repeat(fn.indent);
    both(pad + text + "\n", pad + text + "\n");
  }

  private void line(String before, Ex e, String after) {
    String pad = " ".repeat(fn.indent);
    both(pad + before + e.n + after + "\n", pad + before + e.p + after + "\n");
  }

  private void openScope() {
    fn.scopes.push(new ArrayList<>());
    fn.indent += 2;
  }

  private void closeScope() {
    fn.scopes.pop();
    fn.indent -= 2;
  }

  // ------------------------------------------------------------------ statements

  private void statement() {
    int depth = fn.nesting + fn.loopDepth;
    List<Runnable> options = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    if (outHelper != null && !outArguments().isEmpty()) {
      // at the top level, in loops and in branches (inlined there, writing in place)
      add(options, weights, 1.2, this::outCall);
    }
    // Arrays are allocated (and array-valued calls bound) at the top level, and in loops and
    // branches too: a new array per iteration or per branch taken.
    add(options, weights, fn.topLevel() ? 1.6 : 0.6, this::allocateArray);
    if (!helpers(true).isEmpty()) {
      add(options, weights, fn.topLevel() ? 2.5 : 1.0, this::arrayCall);
    }
    if (!reassignable().isEmpty()) {
      add(options, weights, fn.loopDepth > 0 ? 2.0 : 0.8, this::reassignArray);
    }
    if (!vars(v -> v.ty.dims > 0 && !v.alias && v != fn.resultArray).isEmpty()) {
      add(options, weights, 0.4, this::aliasArray);
    }
    add(options, weights, 3, this::declareScalar);
    if (!vars(v -> v.ty.dims == 0 && v.ty.floating() && v.writable).isEmpty()) {
      add(options, weights, 3, this::assignScalar);
    }
    if (!vars(v -> v.ty.dims > 0 && v.writable).isEmpty()) {
      add(options, weights, 3, this::writeElement);
    }
    if (!vars(v -> v.ty == Ty.I && v.writable).isEmpty()) {
      add(options, weights, 1.0, this::updateInt);
    }
    if (!vars(v -> v.ty == Ty.Z && v.writable).isEmpty()) {
      add(options, weights, 0.5, () -> {
        Var c = pick(vars(v -> v.ty == Ty.Z && v.writable));
        line(c.name + " = ", cond(1), ";");
        feature("assign:boolean");
      });
    }
    if (depth < MAX_NESTING) {
      add(options, weights, 2, this::ifStatement);
      add(options, weights, 0.8, this::switchStatement);
      add(options, weights, 0.5, this::switchExpression);
      if (fn.loopDepth < MAX_LOOP_DEPTH || fn.loopDepth == MAX_LOOP_DEPTH && chance(0.15)) {
        add(options, weights, 3.5, this::loop);
      }
    }
    if (!vars(v -> v.ty.dims == 2).isEmpty()) {
      add(options, weights, 0.7, this::rowAlias);
    }
    if (fn.loopDepth > 0 && fn.jumps < (LARGE ? 6 : 3)) {
      add(options, weights, 1.5, this::jump);
    }
    if (fn.returns < (LARGE ? 4 : 2)) {
      add(options, weights, 0.6, this::earlyReturn);
    }
    add(options, weights, 1.2, this::domainValue);
    double total = weights.stream().mapToDouble(Double::doubleValue).sum();
    double u = r.nextDouble() * total;
    for (int i = 0; i < options.size(); i++) {
      u -= weights.get(i);
      if (u <= 0 || i == options.size() - 1) {
        options.get(i).run();
        break;
      }
    }
    if (printing && prints.nextDouble() < 0.08) {
      print();
    }
  }

  /** {@code System.out.println("name " + name);} of a scalar in scope (the program only). */
  private void print() {
    List<Var> scalars = vars(v -> v.ty.dims == 0 && v.ty != Ty.E && v.ty != Ty.S);
    if (scalars.isEmpty()) {
      return;
    }
    Var v = scalars.get(prints.nextInt(scalars.size()));
    String pad = " ".repeat(fn.indent);
    String text = prints.nextBoolean()
        ? "System.out.println(\"" + v.name + " \" + " + v.name + ");"
        : "System.out.printf(\"%s=%s%n\", \"" + v.name + "\", " + v.name + ");";
    both(pad + text + "\n", "");
    feature(fn.loopDepth > 0 ? "print:in-loop" : "print");
  }

  private static void add(List<Runnable> options, List<Double> weights, double w, Runnable r) {
    options.add(r);
    weights.add(w);
  }

  private void block(int count) {
    openScope();
    for (int i = 0; i < count; i++) {
      statement();
    }
    closeScope();
  }

  private Ty scalarType() {
    double u = r.nextDouble();
    if (u < 0.15) {
      return Ty.I;
    }
    if (u < 0.2) {
      return Ty.Z;
    }
    return fn.floaty && chance(0.45) ? Ty.F : Ty.D;
  }

  private void declareScalar() {
    Ty t = scalarType();
    if (t == Ty.Z) {
      // A boolean local: a branch condition held in a variable (and reassigned in loops).
      String name = fresh("c");
      line("boolean " + name + " = ", cond(1), ";");
      Var v = new Var(name, Ty.Z);
      v.writable = true;
      v.inactive = true;
      declare(v);
      feature("local:boolean");
      return;
    }
    if (t == Ty.I) {
      String name = fresh("k");
      Var v = new Var(name, Ty.I);
      boolean counter = chance(0.6);
      if (counter) {
        line("int " + name + " = " + smallInt() + ";");
        v.nonneg = true;
        v.writable = true;
        feature("local:int-counter");
      } else {
        line("int " + name + " = ", expr(Ty.I, 2), ";");
        feature("local:int-data");
      }
      v.inactive = true;
      declare(v);
      return;
    }
    String name = localName(t == Ty.D ? "t" : "u");
    // A double local may be initialised from a float or int expression (widening).
    Ty init = t == Ty.D && fn.floaty && chance(0.2) ? Ty.F : t == Ty.D && chance(0.05) ? Ty.I
        : t;
    if (init != t) {
      feature("widening:" + init.java + "->" + t.java);
    }
    line(t.java + " " + name + " = ", expr(init, 2 + r.nextInt(2)), ";");
    Var v = new Var(name, t);
    v.writable = chance(0.85);
    declare(v);
    feature("local:" + t.java);
  }

  private void assignScalar() {
    Var v = pick(vars(x -> x.ty.dims == 0 && x.ty.floating() && x.writable));
    feature(fn.loopDepth > 0 ? "assign:in-loop" : "assign:straight");
    if (fn.loopDepth > 0) {
      feature("assign:overwrite-in-loop");
    }
    assign(v.name, v.ty, fn.loopDepth > 0);
    if (fn.scopes.getLast().contains(v)) {
      feature("assign:parameter");
    }
  }

  /**
   * Emits an assignment or compound assignment to {@code target} (a scalar variable or an
   * element). In loops the update is bounded: a squashed value, a squashed increment, or a
   * factor in [0.25, 0.75].
   */
  private void assign(String target, Ty t, boolean inLoop) {
    int kind = r.nextInt(12);
    Ex e;
    List<Var> others = vars(x -> x.ty == t && x.writable && !x.name.equals(target)
        && !target.startsWith(x.name + "["));
    if (kind >= 9 && !others.isEmpty()) {
      // Assignments inside expressions and conditions.
      String other = pick(others).name;
      e = inLoop ? squash(t, expr(anyFor(t), 2)) : expr(anyFor(t), 2);
      if (kind == 9) {
        line(target + " = " + other + " = ", e, ";");
        feature("expr-assign:chain");
      } else if (kind == 10) {
        line(target + " += (" + other + " *= ", factor(t), ");");
        feature("expr-assign:compound-value");
      } else {
        line("if ((" + other + " = ", e, ") > 0) {");
        fn.indent += 2;
        line(target + " -= " + other + ";");
        fn.indent -= 2;
        line("}");
        feature("expr-assign:in-condition");
      }
      return;
    }
    kind = Math.min(kind, 8);
    switch (kind) {
      case 0:
      case 1:
        e = inLoop ? squash(t, expr(anyFor(t), 2)) : expr(anyFor(t), 2);
        line(target + " = ", e, ";");
        feature("op:=");
        return;
      case 2:
        // A loop-carried recurrence through the old value.
        e = bin(new Ex(target, target, t), "*", lit(t, "0.5"), t);
        e = bin(e, "+", inLoop ? squash(t, expr(anyFor(t), 2)) : expr(anyFor(t), 1), t);
        line(target + " = ", e, ";");
        feature("op:recurrence");
        return;
      case 3:
        e = inLoop ? squash(t, expr(anyFor(t), 2)) : expr(anyFor(t), 2);
        line(target + " += ", e, ";");
        feature("op:+=");
        return;
      case 4:
        e = inLoop ? squash(t, expr(anyFor(t), 2)) : expr(anyFor(t), 2);
        line(target + " -= ", e, ";");
        feature("op:-=");
        return;
      case 5:
        e = inLoop ? factor(t) : expr(anyFor(t), 2);
        line(target + " *= ", e, ";");
        feature("op:*=");
        return;
      case 6:
        line(target + " /= ", inLoop ? atLeastOne(t) : positive(t, 1), ";");
        feature("op:/=");
        return;
      case 7: {
        // In the probe, x %= c is written x = trem(x, c) (the same value, recorded).
        String c = t == Ty.F ? pick(List.of("1.5f", "0.75f")) : pick(List.of("1.5", "0.75"));
        String pad = " ".repeat(fn.indent);
        both(pad + target + " %= " + c + ";\n", pad + target + " = trem(" + target + ", " + c
            + ");\n");
        feature("op:%=");
        return;
      }
      default:
        if (chance(0.5)) {
          line(target + "++;");
          feature("op:++");
        } else {
          line(target + "--;");
          feature("op:--");
        }
    }
  }

  /** A type whose expressions may be assigned or compound-assigned to {@code t}, no narrowing. */
  private Ty anyFor(Ty t) {
    if (t == Ty.D) {
      return fn.floaty && chance(0.2) ? Ty.F : chance(0.08) ? Ty.I : Ty.D;
    }
    if (t == Ty.F) {
      return chance(0.1) ? Ty.I : Ty.F;
    }
    return Ty.I;
  }

  private void updateInt() {
    Var v = pick(vars(x -> x.ty == Ty.I && x.writable));
    switch (r.nextInt(3)) {
      case 0:
        line(v.name + "++;");
        break;
      case 1:
        line(v.name + " += " + smallInt() + ";");
        break;
      default:
        line(v.name + " = (" + v.name + " + " + smallInt() + ") % 3;");
    }
    feature("op:int-update");
  }

  private void allocateArray() {
    boolean twoD = chance(0.25);
    Ty base = fn.floaty && chance(0.4) ? Ty.F : Ty.D;
    Ty t = twoD ? (base == Ty.D ? Ty.D2 : Ty.F2) : (base == Ty.D ? Ty.D1 : Ty.F1);
    String name = fresh(twoD ? "m" : "h");
    if (!twoD && chance(0.3)) {
      int count = 1 + r.nextInt(3);
      List<Ex> elems = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        elems.add(expr(chance(0.1) ? Ty.I : base, 2));
      }
      String prefix = chance(0.5) ? "" : "new " + t.java + " ";
      line(t.java + " " + name + " = " + prefix + "{", list(elems), "};");
      feature("array:initialiser");
    } else if (twoD) {
      line(t.java + " " + name + " = new " + base.java + "[" + arrayLength() + "]["
          + arrayLength() + "];");
      feature("array:new-2d");
    } else {
      line(t.java + " " + name + " = new " + base.java + "[" + arrayLength() + "];");
      feature("array:new-1d");
    }
    Var v = new Var(name, t);
    v.writable = true;
    declare(v);
    if (fn.loopDepth > 0) {
      feature("array:new-in-loop");
    } else if (fn.nesting > 0) {
      feature("array:new-in-branch");
    }
  }

  /** A positive length: a literal, a parameter's length, or an int parameter plus one. */
  private String arrayLength() {
    List<String> options = new ArrayList<>();
    options.add(String.valueOf(1 + r.nextInt(4)));
    for (Var v : vars(x -> x.ty.dims > 0)) {
      options.add(v.name + ".length");
      if (v.ty.dims == 2) {
        options.add(v.name + "[0].length");
      }
    }
    for (Var v : vars(x -> x.ty == Ty.I && x.small)) {
      options.add(v.name + " + 1");
    }
    return pick(options);
  }

  private Ex list(List<Ex> elems) {
    StringBuilder n = new StringBuilder();
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < elems.size(); i++) {
      if (i > 0) {
        n.append(", ");
        p.append(", ");
      }
      n.append(elems.get(i).n);
      p.append(elems.get(i).p);
    }
    return new Ex(n.toString(), p.toString(), Ty.D);
  }

  /** {@code T[] y = g(...);} at the top level, for a helper g returning an array. */
  private void arrayCall() {
    FuzzProgram.Function g = pick(helpers(true));
    Ex call = call(g, 1);
    if (call == null) {
      declareScalar();
      return;
    }
    String name = fresh("y");
    line(g.result().java + " " + name + " = ", call, ";");
    Var v = new Var(name, g.result());
    v.writable = true;
    declare(v);
    feature(fn.loopDepth > 0 ? "call:array-result-in-loop" : "call:array-result");
  }

  /**
   * Array variables that may be given another array: not a row alias, not the result array
   * (filled at the end), none whose length bounds an index in scope (the new array may be
   * shorter) and none with a row alias in scope (which would read the new array's row).
   */
  private List<Var> reassignable() {
    return vars(a -> a.ty.dims > 0 && !a.alias && a != fn.resultArray
        && !fn.rowAliased.contains(a.name) && !fn.iterated.contains(a.name)
        && !fn.loopArrays.contains(a.name)
        && vars(x -> mentions(x.bound, a.name) || mentions(x.below, a.name)
            || a.name.equals(x.rowOf)).isEmpty());
  }

  private static boolean mentions(String text, String name) {
    return text != null && java.util.regex.Pattern.compile("\\b" + name + "\\b").matcher(text)
        .find();
  }

  /**
   * {@code a = ...;} for an array variable {@code a}: a helper's result (the layer loop,
   * {@code h = g(h, ...)}), a new array, or (see {@link #aliasArray}) another variable's array.
   */
  private void reassignArray() {
    Var a = pick(reassignable());
    String where = fn.loopDepth > 0 ? "-in-loop" : fn.nesting > 0 ? "-in-branch" : "";
    double u = r.nextDouble();
    if (u < 0.45 && a.ty.dims == 1) {
      List<FuzzProgram.Function> gs = new ArrayList<>();
      for (FuzzProgram.Function g : helpers(true)) {
        if (g.result() == a.ty) {
          gs.add(g);
        }
      }
      if (!gs.isEmpty()) {
        Ex c = call(pick(gs), 1);
        if (c != null) {
          line(a.name + " = ", c, ";");
          a.inactive = false;
          feature("array:reassign-call" + where);
          return;
        }
      }
    }
    List<Var> sources = aliasSources(a);
    if (u < 0.8 || sources.isEmpty()) {
      Ty base = a.ty.elem().dims > 0 ? a.ty.elem().elem() : a.ty.elem();
      String dims = "[" + arrayLength() + "]" + (a.ty.dims == 2 ? "[" + arrayLength() + "]" : "");
      line(a.name + " = new " + base.java + dims + ";");
      feature("array:reassign-new" + where);
      return;
    }
    Var b = pick(sources);
    line(a.name + " = " + b.name + ";");
    // Once an array has a second name, none of its elements may change (ArrayAliases).
    a.writable = false;
    a.shared = true;
    b.shared = true;
    b.writable = false;
    a.inactive = b.inactive;
    feature("array:reassign-alias" + where);
  }

  /**
   * Arrays {@code a} may be made to share: declared in the current block (so a loop body
   * declares a new one each iteration) and of the same type. {@code a} itself must never be
   * written again (or be declared here too), as an element written later, in the next
   * iteration, would change the shared array.
   */
  private List<Var> aliasSources(Var a) {
    boolean here = fn.scopes.peek().contains(a);
    if (a.writable && !here) {
      return List.of();
    }
    List<Var> out = new ArrayList<>();
    for (Var b : fn.scopes.peek()) {
      if (b != a && b.ty == a.ty && !b.alias && b != fn.resultArray) {
        out.add(b);
      }
    }
    return out;
  }

  /** {@code T[] c = a;}: a second name for an array, neither of which is written again. */
  private void aliasArray() {
    Var a = pick(vars(v -> v.ty.dims > 0 && !v.alias && v != fn.resultArray));
    if (a.writable && !fn.scopes.peek().contains(a)) {
      // Written somewhere before in an enclosing loop, perhaps: its next iteration would
      // write the shared array. Declare a new array instead.
      allocateArray();
      return;
    }
    String name = fresh("c");
    line(a.ty.java + " " + name + " = " + a.name + ";");
    Var c = new Var(name, a.ty);
    c.inactive = a.inactive;
    a.writable = false;
    a.shared = true;
    c.shared = true;
    declare(c);
    feature(fn.loopDepth > 0 ? "array:alias-in-loop" : "array:alias");
  }

  private void writeElement() {
    Var a = pick(vars(v -> v.ty.dims > 0 && v.writable));
    String target;
    if (a.ty.dims == 2) {
      String row = a.name + "[" + index(a.name) + "]";
      target = row + "[" + index(row) + "]";
      feature("element:write-2d");
    } else {
      target = a.name + "[" + index(a.name) + "]";
      feature("element:write-1d");
    }
    if (fn.loopDepth > 0) {
      feature("element:write-in-loop");
    }
    assign(target, a.ty.base(), fn.loopDepth > 0);
  }

  private void rowAlias() {
    Var m = pick(vars(v -> v.ty.dims == 2));
    String name = fresh("row");
    line(m.ty.elem().java + " " + name + " = " + m.name + "[" + index(m.name) + "];");
    Var v = new Var(name, m.ty.elem());
    v.alias = true;
    v.rowOf = m.name;
    fn.rowAliased.add(m.name);
    v.writable = m.writable;
    v.inactive = m.inactive;
    declare(v);
    feature(m.writable ? "array:row-alias-of-local" : "array:row-alias-of-param");
  }

  private void ifStatement() {
    Ex c = cond(2);
    line("if (", c, ") {");
    fn.nesting++;
    block(1 + r.nextInt(3));
    if (chance(0.5)) {
      line("} else {");
      block(1 + r.nextInt(2));
      feature("if-else");
    } else if (chance(0.3)) {
      line("} else if (", cond(1), ") {");
      block(1 + r.nextInt(2));
      feature("if-else-if");
    } else {
      feature("if");
    }
    fn.nesting--;
    line("}");
  }

  /** The words String parameters take (the checker's values, the generator's labels). */
  static final List<String> WORDS = List.of("up", "down", "left", "right", "none");

  /**
   * A selector and its labels (the last one {@code default}): a small int, or an enum or
   * String parameter.
   */
  private String switchSelector(List<String> labels) {
    List<Var> selectors = fn.selectors;
    if (!selectors.isEmpty() && chance(0.5)) {
      Var s = pick(selectors);
      if (s.ty == Ty.E) {
        labels.addAll(List.of("case UP", "case DOWN, CEILING", "case HALF_UP", "default"));
        feature("switch:enum");
      } else {
        labels.addAll(List.of("case \"up\"", "case \"down\", \"left\"", "case \"east\"",
            "default"));
        feature("switch:String");
      }
      return s.name;
    }
    labels.addAll(List.of("case 0", "case 1, 2", "case 3", "default"));
    return chance(0.5) ? smallInt() : "(" + smallInt() + " + " + smallInt() + ")";
  }

  /**
   * {@code double t = switch (...) { case ... -> e; ... }}, or with {@code case ...: yield e;}:
   * a switch expression declaring a local.
   */
  private void switchExpression() {
    List<String> labels = new ArrayList<>();
    String selector = switchSelector(labels);
    if (chance(0.3)) {
      labels.remove(r.nextInt(labels.size() - 1)); // default stays: the switch is not exhaustive
    }
    boolean arrows = chance(0.6);
    String name = localName("t");
    line("double " + name + " = switch (" + selector + ") {");
    fn.indent += 2;
    for (String label : labels) {
      line(label + (arrows ? " -> " : ": yield "), expr(Ty.D, 2), ";");
    }
    fn.indent -= 2;
    line("};");
    Var v = new Var(name, Ty.D);
    v.writable = chance(0.85);
    declare(v);
    feature(arrows ? "switch-expression:arrows" : "switch-expression:yield");
    if (fn.loopDepth > 0) {
      feature("switch-expression:in-loop");
    }
  }

  /**
   * A switch over a small int, an enum or a String: colon form with fall-through and break, or
   * arrow form. Its breaks leave the switch, not an enclosing loop.
   */
  private void switchStatement() {
    List<String> labels = new ArrayList<>();
    String selector = switchSelector(labels);
    boolean arrows = chance(0.35);
    line("switch (" + selector + ") {");
    fn.nesting++;
    fn.indent += 2;
    if (chance(0.3)) {
      labels.remove(r.nextInt(labels.size()));
    }
    for (String label : labels) {
      if (arrows) {
        line(label + " -> {");
        block(1 + r.nextInt(2));
        line("}");
      } else {
        line(label + ":");
        block(1 + r.nextInt(2));
        if (chance(0.6)) {
          fn.indent += 2;
          line("break;");
          fn.indent -= 2;
        } else {
          feature("switch:fall-through");
        }
      }
    }
    fn.indent -= 2;
    fn.nesting--;
    line("}");
    feature(arrows ? "switch:arrows" : "switch:colon");
    if (fn.loopDepth > 0) {
      feature("switch:in-loop");
    }
  }

  private void jump() {
    fn.jumps++;
    line("if (", cond(2), ") {");
    fn.nesting++;
    openScope();
    if (chance(0.4) && !vars(v -> v.ty.dims == 0 && v.ty.floating() && v.writable).isEmpty()) {
      assignScalar();
    }
    boolean isBreak = chance(0.5) || fn.loopDepth == fn.counterAtEndDepth;
    line(isBreak ? "break;" : "continue;");
    feature(isBreak ? "jump:break" : "jump:continue");
    closeScope();
    fn.nesting--;
    line("}");
  }

  /**
   * A value computed before its domain is checked: {@code sqrt}, {@code log}, {@code log10},
   * {@code acos}, {@code asin}, {@code pow} or a division of an expression of any sign, then
   * used only where the check holds (in an if, a ternary, or after a {@code continue},
   * {@code break} or {@code return} that leaves the other points), or never used at all (also as
   * a variable's last update, the issue's {@code e /= 2 + sin(log(a))}). Where the argument is
   * outside the domain the value is NaN or infinite but does not reach the result: the gradient
   * must be that of the function computed, never NaN.
   */
  private void domainValue() {
    Ty t = fn.floaty && chance(0.4) ? Ty.F : Ty.D;
    Ex a = expr(t, 2);
    Ex raw;
    String check;
    String probeCheck;
    String kind;
    switch (r.nextInt(7)) {
      case 0, 1 -> {
        kind = chance(0.5) ? "sqrt" : "log";
        raw = call("Math." + kind, Ty.D, a);
        check = "(" + a.n + " > 0.5)";
        probeCheck = "tb(" + a.p + " > 0.5)";
      }
      case 2 -> {
        kind = "log10";
        raw = call("Math.log10", Ty.D, a);
        check = "(" + a.n + " > 0.5)";
        probeCheck = "tb(" + a.p + " > 0.5)";
      }
      case 3 -> {
        kind = chance(0.5) ? "acos" : "asin";
        raw = call("Math." + kind, Ty.D, a);
        check = "(" + a.n + " > -0.9 && " + a.n + " < 0.9)";
        probeCheck = "(tb(" + a.p + " > -0.9) && tb(" + a.p + " < 0.9))";
      }
      case 4, 5 -> {
        kind = "division";
        raw = bin(expr(t, 1), "/", a, t);
        check = "(" + a.n + " < -0.5 || " + a.n + " > 0.5)";
        probeCheck = "(tb(" + a.p + " < -0.5) || tb(" + a.p + " > 0.5))";
      }
      default -> {
        kind = "pow";
        Ex y = chance(0.5) ? literal(Ty.D) : squash(Ty.D, expr(Ty.D, 1));
        raw = call("Math.pow", Ty.D, a, y);
        check = "(" + a.n + " > 0.5)";
        probeCheck = "tb(" + a.p + " > 0.5)";
      }
    }
    if (t == Ty.F && raw.t() != Ty.F) {
      raw = wrap("((float) ", raw, ")", Ty.F);
    }
    Ex ok = new Ex(check, probeCheck, Ty.Z);
    Ex notOk = new Ex("!" + check, "!" + probeCheck, Ty.Z);
    feature("domain:" + kind);
    String name = fresh("r");
    List<Var> targets = vars(v -> v.ty == t && v.writable);
    int use = r.nextInt(6);
    if (use == 0) {
      // Never used.
      line(t.java + " " + name + " = ", raw, ";");
      feature("domain:dead");
    } else if (use == 1) {
      // Used first, then overwritten by the out-of-domain value and never used again.
      line(t.java + " " + name + " = ", expr(t, 1), ";");
      if (!targets.isEmpty()) {
        Var w = pick(targets);
        line(w.name + " += ", fn.loopDepth > 0 ? squash(t, new Ex(name, name, t))
            : new Ex(name, name, t), ";");
      }
      line(name + (chance(0.5) ? " /= " : " = "), chance(0.5) ? raw
          : bin(lit(t, "2.0"), "+", wrapSin(t, raw), t), ";");
      feature("domain:dead-update");
    } else if (use == 2 && !targets.isEmpty()) {
      // Used only where the check holds.
      line(t.java + " " + name + " = ", raw, ";");
      Var w = pick(targets);
      line("if (", ok, ") {");
      fn.indent += 2;
      line(w.name + " += ", fn.loopDepth > 0 ? squash(t, new Ex(name, name, t))
          : bin(new Ex(name, name, t), "*", literal(t), t), ";");
      fn.indent -= 2;
      line("}");
      feature("domain:if");
    } else if (use == 3 && fn.loopDepth > 0 && fn.jumps < (LARGE ? 6 : 3)) {
      // The loop leaves the points outside the domain behind; the value is used after.
      fn.jumps++;
      line(t.java + " " + name + " = ", raw, ";");
      boolean isBreak = chance(0.5) || fn.loopDepth == fn.counterAtEndDepth;
      line("if (", notOk, ") {");
      line("  " + (isBreak ? "break;" : "continue;"));
      line("}");
      declareUsable(name, t);
      feature(isBreak ? "domain:break" : "domain:continue");
    } else if (use == 4 && fn.returns < (LARGE ? 4 : 2)) {
      fn.returns++;
      line(t.java + " " + name + " = ", raw, ";");
      line("if (", notOk, ") {");
      fn.nesting++;
      openScope();
      if (fn.resultArray != null) {
        line("return " + fn.resultArray.name + ";");
      } else {
        line("return ", returnExpr(2), ";");
      }
      closeScope();
      fn.nesting--;
      line("}");
      declareUsable(name, t);
      feature("domain:return");
    } else {
      // A ternary picks the value only where the check holds.
      line(t.java + " " + name + " = ", raw, ";");
      String s = fresh(t == Ty.D ? "t" : "u");
      Ex other = expr(t, 1);
      line(t.java + " " + s + " = ", new Ex("(" + ok.n() + " ? " + name + " : " + other.n() + ")",
          "(" + ok.p() + " ? " + name + " : " + other.p() + ")", t), ";");
      declareUsable(s, t);
      feature("domain:ternary");
    }
  }

  private static Ex wrapSin(Ty t, Ex e) {
    Ex s = call("Math.sin", Ty.D, e);
    return t == Ty.F ? wrap("((float) ", s, ")", Ty.F) : s;
  }

  /** Puts a new, read-only local of type {@code t} in scope. */
  private void declareUsable(String name, Ty t) {
    Var v = new Var(name, t);
    declare(v);
  }

  private void earlyReturn() {
    fn.returns++;
    line("if (", cond(2), ") {");
    fn.nesting++;
    openScope();
    if (fn.resultArray != null) {
      line("return " + fn.resultArray.name + ";");
    } else {
      Ex call = fn.loopDepth == 0 ? tailCall() : null;
      line("return ", call != null ? call : returnExpr(2), ";");
    }
    closeScope();
    fn.nesting--;
    line("}");
    feature(fn.loopDepth > 0 ? "return:in-loop" : "return:early");
  }

  /** The final return: an expression plus some of the scalars in scope, so they matter. */
  private Ex finalReturn() {
    Ex call = tailCall();
    if (call != null) {
      return call;
    }
    Ex e = returnExpr(3);
    List<Var> live = vars(v -> v.ty.dims == 0 && v.ty.floating()
        && (fn.result == Ty.D || v.ty == Ty.F));
    for (int i = 0; i < 3 && !live.isEmpty(); i++) {
      Var v = pick(live);
      Ty t = Ty.promote(e.t, v.ty);
      e = bin(e, pick(List.of("+", "-", "*", "+")), new Ex(v.name, v.name, v.ty), t);
    }
    return e;
  }

  /**
   * Sometimes a call of an earlier function of the result's type, returned as it is (which the
   * processor may chain through the callee's accumulating form), else null.
   */
  private Ex tailCall() {
    if (!chance(0.2)) {
      return null;
    }
    Ex call = helperCall(fn.result, 2);
    if (call != null) {
      feature("return:tail-call");
    }
    return call;
  }

  private Ex returnExpr(int depth) {
    Ty t = fn.result;
    if (t == Ty.D && chance(0.15) && fn.floaty) {
      feature("widening:return-float-as-double");
      return expr(Ty.F, depth);
    }
    return expr(t, depth);
  }

  // ------------------------------------------------------------------ loops

  private Var loopIndex(String name, String bound) {
    Var v = new Var(name, Ty.I);
    v.nonneg = true;
    v.small = true;
    v.inactive = true;
    v.bound = bound;
    return v;
  }

  /** An index in {@code [0, below - room)}, indexing {@code bound} (if not null) up to +room. */
  private Var loopIndex(String name, String bound, String below, int room) {
    Var v = loopIndex(name, bound);
    v.below = below;
    v.room = room;
    return v;
  }

  /** A trip count: its text, and the array whose length it is (null if none). */
  private String[] tripCount() {
    String[] trip = pickTripCount();
    if (trip[1] != null) {
      // The loop's condition reads the array's length on every test: the body must not give
      // it another array (a longer one each time would never end the loop).
      fn.loopArrays.add(trip[1].replaceAll("\\[.*", ""));
    }
    return trip;
  }

  private String[] pickTripCount() {
    List<String[]> options = new ArrayList<>();
    options.add(new String[] {String.valueOf(1 + r.nextInt(4)), null});
    for (Var v : vars(x -> x.ty.dims > 0)) {
      options.add(new String[] {v.name + ".length", v.name});
      options.add(new String[] {v.name + ".length", v.name});
      if (v.ty.dims == 2) {
        options.add(new String[] {v.name + "[0].length", v.name + "[0]"});
        for (Var i : vars(x -> v.name.equals(x.bound))) {
          options.add(new String[] {v.name + "[" + i.name + "].length",
              v.name + "[" + i.name + "]"});
        }
      }
    }
    for (Var v : vars(x -> x.ty == Ty.I && x.small && x.bound == null)) {
      options.add(new String[] {v.name, null});
    }
    return pick(options);
  }

  private void loop() {
    int arraysBefore = fn.loopArrays.size();
    try {
      loopOfAnyKind();
    } finally {
      fn.loopArrays.subList(arraysBefore, fn.loopArrays.size()).clear();
    }
  }

  private void loopOfAnyKind() {
    boolean anyArray = !vars(v -> v.ty.dims > 0).isEmpty();
    int kind = r.nextInt(anyArray ? 9 : 8);
    if (fn.topLevel() && chance(0.2)) {
      for (FuzzProgram.Function g : helpers(true)) {
        Ex c = call(g, 1);
        if (c != null) {
          // Java evaluates the array once; the processor binds it to a local first.
          String v = fresh("v");
          line("for (" + g.result().elem().java + " " + v + " : ", c, ") {");
          fn.loopDepth++;
          Var ev = new Var(v, g.result().elem());
          fn.aliasLoops.push(false);
          body(ev);
          fn.aliasLoops.pop();
          fn.loopDepth--;
          feature("loop:for-each-over-call");
          return;
        }
      }
    }
    if (chance(IDIOM_SHARE)) {
      kind = -1;
    } else if (chance(0.1)) {
      kind = -2;
    }
    fn.loopDepth++;
    try {
      switch (kind) {
        case -1:
          idiomLoop();
          break;
        case -2:
          foreverLoop();
          break;
        case 0:
        case 1:
        case 2: {
          String[] trip = tripCount();
          String i = fresh("i");
          double u = r.nextDouble();
          if (u < 0.7) {
            line("for (int " + i + " = 0; " + i + " < " + trip[0] + "; " + i + "++) {");
            feature("loop:for");
          } else if (u < 0.85) {
            line("for (int " + i + " = 0; " + i + " <= " + trip[0] + " - 1; " + i + "++) {");
            feature("loop:for-inclusive");
          } else {
            line("for (int " + i + " = 0; " + i + " < " + trip[0] + "; " + i + " += 3) {");
            feature("loop:for-step-3");
          }
          countedBody(loopIndex(i, trip[1], trip[0], 0), trip[1]);
          break;
        }
        case 3: {
          String[] trip = tripCount();
          String i = fresh("i");
          double u = r.nextDouble();
          if (u < 0.6) {
            line("for (int " + i + " = " + trip[0] + " - 1; " + i + " >= 0; " + i + "--) {");
            countedBody(loopIndex(i, trip[1], trip[0], 0), trip[1]);
            feature("loop:for-down");
          } else if (u < 0.7) {
            // Counts down in its condition: a counted loop like the for loop above.
            line("int " + i + " = " + trip[0] + ";");
            line("while (" + i + "-- > 0) {");
            countedBody(loopIndex(i, trip[1], trip[0], 0), trip[1]);
            feature("loop:while-post-decrement");
          } else if (u < 0.8) {
            line("for (int " + i + " = " + trip[0] + " - 1; " + i + " >= 0; " + i + " -= 2) {");
            countedBody(loopIndex(i, trip[1]), trip[1]);
            feature("loop:for-down-step-2");
          } else {
            // i runs from the trip count down to 1: not a direct index.
            line("for (int " + i + " = " + trip[0] + "; " + i + " > 0; " + i + "--) {");
            body(loopIndex(i, null));
            feature("loop:for-down-exclusive");
          }
          break;
        }
        case 4: {
          String[] trip = tripCount();
          String i = fresh("i");
          if (chance(0.5)) {
            line("for (int " + i + " = 1; " + i + " < " + trip[0] + "; " + i + " += 2) {");
            feature("loop:for-step-2");
          } else {
            line("for (int " + i + " = 0; " + i + " < " + trip[0] + " && ", dataCond(1),
                "; " + i + "++) {");
            feature("loop:for-data-condition");
          }
          body(loopIndex(i, trip[1]));
          break;
        }
        case 5:
        case 6: {
          String[] trip = tripCount();
          String k = fresh("k");
          line("int " + k + " = 0;");
          if (chance(0.75)) {
            line("while (" + k + " < " + trip[0] + " && ", dataCond(1), ") {");
            feature("loop:while-data-condition");
          } else {
            line("while (" + k + " < " + trip[0] + ") {");
            feature("loop:while");
          }
          Var kv = loopIndex(k, null);
          fn.indent += 2;
          line(k + "++;");
          fn.indent -= 2;
          body(kv);
          declareAfterLoop(k);
          break;
        }
        case 7: {
          String[] trip = tripCount();
          String k = fresh("k");
          line("int " + k + " = 0;");
          line("do {");
          Var kv = loopIndex(k, null);
          fn.indent += 2;
          line(k + "++;");
          fn.indent -= 2;
          bodyStatements(kv);
          line("} while (" + k + " < " + trip[0] + " && ", dataCond(1), ");");
          declareAfterLoop(k);
          feature("loop:do-while");
          break;
        }
        default: {
          Var a = pick(vars(v -> v.ty.dims > 0));
          Ty elem = a.ty.elem();
          String name = fresh(elem.dims > 0 ? "row" : "v");
          Ty declared = elem == Ty.F && chance(0.2) ? Ty.D : elem;
          if (declared != elem) {
            feature("loop:for-each-widening");
          }
          line("for (" + declared.java + " " + name + " : " + a.name + ") {");
          Var v = new Var(name, declared);
          v.alias = elem.dims > 0;
          v.rowOf = elem.dims > 0 ? a.name : null;
          fn.rowAliased.add(a.name);
          v.writable = elem.dims > 0 ? a.writable : chance(0.3);
          v.inactive = a.inactive;
          fn.aliasLoops.push(elem.dims > 0);
          fn.iterated.add(a.name);
          body(v);
          fn.iterated.remove(a.name);
          fn.aliasLoops.pop();
          feature(elem.dims > 0 ? "loop:for-each-row" : "loop:for-each");
        }
      }
    } finally {
      fn.loopDepth--;
    }
    if (fn.loopDepth > 0) {
      feature("loop:nested");
    }
  }

  /**
   * {@code while (true)} or {@code for (;;)}, left by a {@code break} once its counter passes the
   * trip count, and sometimes by a {@code return} at the end of its body. {@code fn.loopDepth}
   * already counts this loop.
   */
  private void foreverLoop() {
    String[] trip = tripCount();
    String k = fresh("k");
    line("int " + k + " = 0;");
    boolean isWhile = chance(0.5);
    line(isWhile ? "while (true) {" : "for (;;) {");
    Var kv = loopIndex(k, null);
    fn.indent += 2;
    line(k + "++;");
    line("if (" + k + " > " + trip[0] + ") {");
    line("  break;");
    line("}");
    fn.indent -= 2;
    boolean returns = chance(0.4);
    bodyStatements(kv);
    if (returns) {
      fn.indent += 2;
      earlyReturn();
      fn.indent -= 2;
    }
    line("}");
    declareAfterLoop(k);
    feature(isWhile ? "loop:while-true" : "loop:for-ever");
    if (returns) {
      feature("loop:forever-with-return");
    }
  }

  /**
   * The arrays a call of the out helper may write: double[] variables, not rows; in a loop or a
   * branch, where it writes the array in place, only those whose elements may change (an array
   * with a second name may not: ArrayAliases).
   */
  private List<Var> outArguments() {
    // A void call writing an array with a second name is AdjointArrayAliasWritten: not generated.
    return vars(v -> v.ty == Ty.D1 && !v.alias && (KNOWN_BUGS || !v.shared)
        && (fn.topLevel() || v.writable));
  }

  /** {@code fill(x, c, h);}: the void helper writes {@code h}, a separate array from {@code x}. */
  private void outCall() {
    Var h = pick(outArguments());
    List<Var> inputs = vars(v -> v.ty == Ty.D1 && v != h);
    if (inputs.isEmpty()) {
      return;
    }
    Var x = pick(inputs);
    line(outHelper + "(" + x.name + ", ", expr(Ty.D, 1), ", " + h.name + ");");
    if (fn.params.stream().anyMatch(p -> p.name().equals(h.name) || p.name().equals(x.name))) {
      // A parameter passed to a void call may be written: callers may not call this function.
      writesParameters.add(fn.name);
    }
    h.inactive = false;
    feature("call:void-out-parameter");
    if (fn.loopDepth > 0) {
      feature("call:void-out-parameter-in-loop");
    } else if (!fn.topLevel()) {
      feature("call:void-out-parameter-in-branch");
    }
  }

  /** The loop body: the loop variable in a new scope, then 1-3 statements, then the brace. */
  private void body(Var loopVar) {
    bodyStatements(loopVar);
    line("}");
  }

  /**
   * The body of a counted loop over the rows of {@code rowsOf} (null if none): sometimes starts
   * with a row alias indexed by the loop's index.
   */
  private void countedBody(Var loopVar, String rowsOf) {
    List<Var> matrices = rowsOf == null ? List.of() : vars(v -> v.ty.dims == 2
        && v.name.equals(rowsOf));
    if (matrices.isEmpty() || chance(0.5)) {
      body(loopVar);
      return;
    }
    Var m = matrices.get(0);
    fn.aliasLoops.push(true);
    openScope();
    declare(loopVar);
    String name = fresh("row");
    line(m.ty.elem().java + " " + name + " = " + m.name + "[" + loopVar.name + "];");
    Var v = new Var(name, m.ty.elem());
    v.alias = true;
    v.rowOf = m.name;
    fn.rowAliased.add(m.name);
    v.writable = m.writable;
    v.inactive = m.inactive;
    declare(v);
    feature("array:row-alias-in-loop");
    int count = 1 + r.nextInt(3);
    for (int i = 0; i < count; i++) {
      statement();
    }
    closeScope();
    fn.aliasLoops.pop();
    line("}");
  }

  private void bodyStatements(Var loopVar) {
    boolean pushed = fn.aliasLoops.size() < fn.loopDepth;
    if (pushed) {
      fn.aliasLoops.push(false);
    }
    openScope();
    declare(loopVar);
    int count = 1 + r.nextInt(3);
    for (int i = 0; i < count; i++) {
      statement();
    }
    closeScope();
    if (pushed) {
      fn.aliasLoops.pop();
    }
  }

  /** After a while/do loop, its counter stays readable (as data and as an index). */
  private void declareAfterLoop(String k) {
    Var v = new Var(k, Ty.I);
    v.nonneg = true;
    v.small = true;
    v.inactive = true;
    declare(v);
  }

  // ------------------------------------------------------------------ loop idioms

  /**
   * A loop in one of the spellings users write for the same counted loop (issue 9): offset and
   * flipped bounds, {@code !=}, constant steps up and down, triangular nests whose inner bounds
   * use the outer index, counters updated at the end of a {@code while} or {@code for (;;)}
   * body, indices declared before the loop, dot products into a scalar followed by a
   * nonlinearity, and body locals computed from the index. {@code fn.loopDepth} already counts
   * this loop.
   */
  private void idiomLoop() {
    List<Var> outer = vars(v -> v.below != null);
    double u = r.nextDouble();
    if (!outer.isEmpty() && u < 0.25) {
      triangular(pick(outer));
    } else if (fn.loopDepth < MAX_LOOP_DEPTH && u < 0.4) {
      triangularNest();
    } else if (fn.loopDepth < MAX_LOOP_DEPTH && u < 0.47
        && !vars(v -> v.ty.dims == 1).isEmpty()) {
      stridedLayer();
    } else if (u < 0.55 && !vars(v -> v.ty.dims == 1).isEmpty()) {
      dotProduct();
    } else if (u < 0.61 && !vars(v -> v.ty.dims == 1).isEmpty()) {
      postIncrements();
    } else if (u < 0.73) {
      counterAtEnd();
    } else if (u < 0.86) {
      countedUp();
    } else {
      countedDown();
    }
  }

  /** {@code i + k < n}, {@code i < n - k}, {@code n - k > i}, {@code i != n}; steps 1 to 4. */
  private void countedUp() {
    String[] trip = tripCount();
    String i = fresh("i");
    int room = 0;
    String condition;
    switch (r.nextInt(4)) {
      case 0 -> {
        room = 1 + r.nextInt(2);
        condition = i + " + " + room + " < " + trip[0];
        feature("idiom:i+k<n");
      }
      case 1 -> {
        room = 1 + r.nextInt(2);
        condition = i + " < " + trip[0] + " - " + room;
        feature("idiom:i<n-k");
      }
      case 2 -> {
        room = r.nextInt(2);
        condition = (room == 0 ? trip[0] : trip[0] + " - " + room) + " > " + i;
        feature("idiom:n>i");
      }
      default -> {
        condition = i + " != " + trip[0];
        feature("idiom:i!=n");
      }
    }
    // != reaches its bound only by steps of one.
    int step = condition.contains("!=") || chance(0.6) ? 1 : 2 + r.nextInt(3);
    String update = step == 1 ? i + "++" : i + " += " + step;
    if (step > 1) {
      feature("idiom:step-up");
    }
    if (chance(0.2)) {
      // The index declared before the loop (and still in scope after it, unused).
      if (chance(0.5)) {
        line("int " + i + ";");
        line("for (" + i + " = 0; " + condition + "; " + update + ") {");
      } else {
        line("int " + i + " = 0;");
        line("for (; " + condition + "; " + update + ") {");
      }
      feature("idiom:index-declared-before");
    } else {
      line("for (int " + i + " = 0; " + condition + "; " + update + ") {");
    }
    idiomBody(loopIndex(i, trip[1], trip[0], room), null);
    line("}");
  }

  /** {@code i = n - 1 - k; i >= 0; i--}, {@code i = n - 1; i > -1; i -= c}, {@code i >= 0; i -= c}. */
  private void countedDown() {
    String[] trip = tripCount();
    String i = fresh("i");
    int room = 0;
    switch (r.nextInt(3)) {
      case 0 -> {
        room = 1 + r.nextInt(2);
        line("for (int " + i + " = " + trip[0] + " - " + (room + 1) + "; " + i + " >= 0; " + i
            + "--) {");
        feature("idiom:down-from-n-1-k");
      }
      case 1 -> {
        int step = 1 + r.nextInt(3);
        line("for (int " + i + " = " + trip[0] + " - 1; " + i + " > -1; "
            + (step == 1 ? i + "--" : i + " -= " + step) + ") {");
        feature("idiom:down-greater");
      }
      default -> {
        line("for (int " + i + " = " + trip[0] + " - 1; " + i + " >= 0; " + i + " -= "
            + (2 + r.nextInt(3)) + ") {");
        feature("idiom:down-step");
      }
    }
    idiomBody(loopIndex(i, trip[1], trip[0], room), null);
    line("}");
  }

  /**
   * {@code int k = 0; while (k < n) { ...; k++; }}, or the same as {@code for (;;)} or
   * {@code while (true)} with a {@code break} at the top, or with the test last, after the
   * update ({@code while (true) { ...; k++; if (k >= n) break; }}, which runs its body once
   * before any test: under {@code if (n > 0)}); the body may not {@code continue} (it would skip
   * the update).
   */
  private void counterAtEnd() {
    String[] trip = tripCount();
    String k = fresh("k");
    int room = chance(0.3) ? 1 : 0;
    String limit = room == 0 ? trip[0] : trip[0] + " - " + room;
    double form = r.nextDouble();
    boolean testLast = form >= 0.25 && form < 0.4;
    if (testLast) {
      line("if (" + limit + " > 0) {");
      fn.indent += 2;
    }
    line("int " + k + " = 0;");
    if (form < 0.25) {
      boolean isWhile = form < 0.1;
      line(isWhile ? "while (true) {" : "for (;;) {");
      fn.indent += 2;
      line("if (" + k + " >= " + limit + ") {");
      line("  break;");
      line("}");
      fn.indent -= 2;
      feature(isWhile ? "idiom:while-true-test-first" : "idiom:for-ever-counter");
    } else if (testLast) {
      line(chance(0.5) ? "while (true) {" : "for (;;) {");
      feature("idiom:while-true-test-last");
    } else {
      line("while (" + (room == 0 ? k : k + " + " + room) + " < " + trip[0] + ") {");
      feature("idiom:while-counter-at-end");
    }
    int saved = fn.counterAtEndDepth;
    fn.counterAtEndDepth = fn.loopDepth;
    idiomBody(loopIndex(k, trip[1], trip[0], room), null);
    fn.counterAtEndDepth = saved;
    fn.indent += 2;
    line(chance(0.7) ? k + "++;" : k + " += 2;");
    if (testLast) {
      line("if (" + k + " >= " + limit + ") {");
      line("  break;");
      line("}");
    }
    fn.indent -= 2;
    line("}");
    if (testLast) {
      fn.indent -= 2;
      line("}");
    }
  }

  /**
   * {@code x[j++]} twice per iteration of a while loop ({@code double p = a[j++]; double q =
   * a[j++];}), or a second counter stepped in a for loop over another index
   * ({@code for (k...) s += b[k] * a[j++];}), summed into a new local.
   */
  private void postIncrements() {
    Var a = pick(vars(v -> v.ty.dims == 1));
    Ty t = a.ty == Ty.F1 ? Ty.F : Ty.D;
    String s = fresh(t == Ty.D ? "t" : "u");
    line(t.java + " " + s + " = ", chance(0.5) ? lit(t, "0.0") : expr(t, 1), ";");
    String j = fresh("j");
    line("int " + j + " = 0;");
    if (chance(0.5)) {
      line("while (" + j + " + 1 < " + a.name + ".length) {");
      openScope();
      String p = fresh(t == Ty.D ? "t" : "u");
      String q = fresh(t == Ty.D ? "t" : "u");
      line(t.java + " " + p + " = " + a.name + "[" + j + "++];");
      line(t.java + " " + q + " = " + a.name + "[" + j + "++];");
      Ex pe = new Ex(p, p, t);
      Ex qe = new Ex(q, q, t);
      line(s + " += ", squash(t, bin(bin(pe, "*", qe, t), "-", pe, t)), ";");
      closeScope();
      line("}");
      feature("idiom:post-increment-twice");
    } else {
      Var b = pick(vars(v -> v.ty.dims == 1));
      String k = fresh("k");
      line("for (int " + k + " = 0; " + k + " < Math.min(" + a.name + ".length, " + b.name
          + ".length); " + k + "++) {");
      line("  " + s + " += " + b.name + "[" + k + "] * " + a.name + "[" + j + "++];");
      line("}");
      feature("idiom:second-counter-in-for");
    }
    Var v = new Var(s, t);
    v.writable = chance(0.5);
    declare(v);
  }

  /** An outer counted loop whose body starts with a triangular inner loop over its index. */
  private void triangularNest() {
    String[] trip = tripCount();
    String i = fresh("i");
    line("for (int " + i + " = 0; " + i + " < " + trip[0] + "; " + i + "++) {");
    Var outer = loopIndex(i, trip[1], trip[0], 0);
    idiomBody(outer, () -> {
      fn.loopDepth++;
      try {
        triangular(outer);
      } finally {
        fn.loopDepth--;
      }
    });
    line("}");
    feature("idiom:triangular-nest");
  }

  /** {@code for (j = 0; j < i; j++)} or {@code for (j = i + 1; j < n; j++)} over outer index i. */
  private void triangular(Var outer) {
    String j = fresh("j");
    Var inner;
    if (chance(0.5)) {
      line("for (int " + j + " = 0; " + j + " < " + outer.name + "; " + j + "++) {");
      // j < i and i + room < length: j + room + 1 < length.
      inner = loopIndex(j, outer.bound, outer.name, outer.room + 1);
      feature("idiom:triangular-below");
    } else {
      String start = chance(0.75) ? outer.name + " + 1" : outer.name;
      line("for (int " + j + " = " + start + "; " + j + " < " + outer.below + "; " + j
          + "++) {");
      inner = loopIndex(j, outer.bound, outer.below, 0);
      feature("idiom:triangular-above");
    }
    idiomBody(inner, null);
    line("}");
  }

  /**
   * {@code double s = init; for (k...) s += a[k] * b[...]; double y = relu(s) or squash(s);}: a
   * dot product into a scalar, then a nonlinearity of it (the layer of an MLP).
   */
  private void dotProduct() {
    Var a = pick(vars(v -> v.ty.dims == 1));
    Var b = pick(vars(v -> v.ty.dims == 1));
    Ty t = a.ty == Ty.F1 && b.ty == Ty.F1 ? Ty.F : Ty.D;
    String s = fresh(t == Ty.D ? "t" : "u");
    line(t.java + " " + s + " = ", chance(0.5) ? lit(t, "0.0") : expr(t, 1), ";");
    String k = fresh("k");
    line("for (int " + k + " = 0; " + k + " < " + a.name + ".length; " + k + "++) {");
    openScope();
    declare(loopIndex(k, a.name, a.name + ".length", 0));
    line(s + " += " + a.name + "[" + k + "] * " + b.name + "[" + index(b.name) + "];");
    closeScope();
    line("}");
    Ex sum = new Ex(s, s, t);
    Ex y;
    if (chance(0.5)) {
      String zero = t == Ty.F ? "0.0f" : "0.0";
      y = new Ex("(" + s + " > " + zero + " ? " + s + " : " + zero + ")",
          "(tb(" + s + " > " + zero + ") ? " + s + " : " + zero + ")", t);
      feature("idiom:dot-product-relu");
    } else {
      y = squash(t, sum);
      feature("idiom:dot-product-squash");
    }
    String name = fresh(t == Ty.D ? "t" : "u");
    line(t.java + " " + name + " = ", y, ";");
    declare(new Var(s, t));
    Var v = new Var(name, t);
    v.writable = chance(0.5);
    declare(v);
  }

  /**
   * {@code for (j < c) { z = init; for (k...) z += a[k] * b[k * c + j]; y = relu or squash(z);
   * sum += ... }}: a layer whose weights are read with a stride, which the processor interchanges
   * (with the analyses on) into partial sums over {@code for (k) for (j)}.
   */
  private void stridedLayer() {
    Var a = pick(vars(v -> v.ty.dims == 1));
    Var b = pick(vars(v -> v.ty.dims == 1));
    Ty t = a.ty == Ty.F1 && b.ty == Ty.F1 ? Ty.F : Ty.D;
    int c = 2 + r.nextInt(3);
    String j = fresh("j");
    line("for (int " + j + " = 0; " + j + " < " + c + "; " + j + "++) {");
    openScope();
    fn.loopDepth++;
    try {
      String z = fresh(t == Ty.D ? "t" : "u");
      line(t.java + " " + z + " = ", chance(0.5) ? lit(t, "0.0") : expr(t, 1), ";");
      String k = fresh("k");
      line("for (int " + k + " = 0; " + k + " < Math.min(" + a.name + ".length, " + b.name
          + ".length / " + c + "); " + k + "++) {");
      line(z + " += " + a.name + "[" + k + "] * " + b.name + "[" + k + " * " + c + " + " + j
          + "];");
      line("}");
      Ex y = squash(t, new Ex(z, z, t));
      String name = fresh(t == Ty.D ? "t" : "u");
      line(t.java + " " + name + " = ", y, ";");
      Var v = new Var(name, t);
      declare(v);
      accumulate(List.of(v), t);
      feature("idiom:strided-layer");
    } finally {
      fn.loopDepth--;
    }
    closeScope();
    line("}");
  }

  /**
   * The body of an idiom loop: {@code first} (if any), then sometimes locals computed from the
   * elements at the index, then 1-2 statements; the caller closes the brace.
   */
  private void idiomBody(Var index, Runnable first) {
    fn.aliasLoops.push(false);
    openScope();
    declare(index);
    if (first != null) {
      first.run();
    }
    Ty elem = index.bound == null ? null : boundType(index.bound);
    if (elem != null && chance(0.6)) {
      int count = 1 + r.nextInt(2);
      List<Var> locals = new ArrayList<>();
      for (int n = 0; n < count; n++) {
        locals.add(indexLocal(index.bound, elem));
      }
      accumulate(locals, elem);
    }
    int count = 1 + r.nextInt(2);
    for (int n = 0; n < count; n++) {
      statement();
    }
    closeScope();
    fn.aliasLoops.pop();
  }

  /**
   * A local computed from elements of {@code array} at the indices over it in scope, as the
   * {@code a} and {@code b} of the Rosenbrock loop: {@code x[i + 1] - x[i] * x[i]},
   * {@code 1 - x[i]}, {@code x[i] - x[j]}, {@code x[i] * x[j + 1]}.
   */
  private Var indexLocal(String array, Ty elem) {
    Ex at = element(array, elem);
    Ex e;
    switch (r.nextInt(4)) {
      case 0 -> e = bin(element(array, elem), "-", bin(at, "*", at, elem), elem);
      case 1 -> e = bin(lit(elem, "1.0"), "-", at, elem);
      case 2 -> e = bin(element(array, elem), "-", at, elem);
      default -> e = bin(element(array, elem), "*", at, elem);
    }
    String name = fresh(elem == Ty.D ? "t" : "u");
    line(elem.java + " " + name + " = ", e, ";");
    Var v = new Var(name, elem);
    declare(v);
    feature("idiom:index-local");
    return v;
  }

  /**
   * Sometimes {@code sum += squash(a * a + b)} over body locals {@code a}, {@code b} into a
   * scalar declared before: the Rosenbrock loop's accumulation (squashed, to stay bounded).
   */
  private void accumulate(List<Var> locals, Ty elem) {
    List<Var> sums = vars(v -> v.ty.dims == 0 && v.writable && (v.ty == Ty.D
        || v.ty == Ty.F && elem == Ty.F) && !locals.contains(v));
    if (sums.isEmpty() || chance(0.4)) {
      return;
    }
    Var sum = pick(sums);
    Ex a = new Ex(locals.get(0).name, locals.get(0).name, elem);
    Ex b = new Ex(locals.get(locals.size() - 1).name, locals.get(locals.size() - 1).name, elem);
    line(sum.name + " += ", squash(sum.ty, bin(bin(a, "*", a, elem), "+", b, elem)), ";");
    feature("idiom:accumulate-locals");
  }

  /** {@code array[v]} or {@code array[v + c]} for an index v bounded by {@code array}. */
  private Ex element(String array, Ty elem) {
    List<Var> indices = vars(v -> array.equals(v.bound));
    Var v = pick(indices);
    String text = array + "[" + v.name
        + (v.room > 0 && chance(0.4) ? " + " + (1 + r.nextInt(v.room)) : "") + "]";
    if (text.contains(" + ")) {
      feature("index:offset");
    }
    return new Ex(text, text, elem);
  }

  /**
   * Element type (double or float) of a loop bound that is a 1-D array, {@code a} or a row
   * {@code m[...]}; null for the rows of a matrix {@code m}.
   */
  private Ty boundType(String bound) {
    int bracket = bound.indexOf('[');
    String name = bracket < 0 ? bound : bound.substring(0, bracket);
    int dims = bracket < 0 ? 1 : 2;
    for (Var v : vars(x -> x.name.equals(name) && x.ty.dims == dims)) {
      return v.ty.base();
    }
    return null;
  }

  // ------------------------------------------------------------------ expressions

  /** Source text of an expression, plain and in the probe class, with its static type. */
  record Ex(String n, String p, Ty t) {}

  private static Ex bin(Ex a, String op, Ex b, Ty t) {
    return new Ex("(" + a.n + " " + op + " " + b.n + ")", "(" + a.p + " " + op + " " + b.p + ")",
        t);
  }

  private static Ex wrap(String before, Ex a, String after, Ty t) {
    return new Ex(before + a.n + after, before + a.p + after, t);
  }

  private static Ex call(String name, Ty t, Ex... args) {
    return traced(name, name, t, args);
  }

  /** A call written {@code normal(...)} in the program and {@code probe(...)} in the probe. */
  private static Ex traced(String normal, String probe, Ty t, Ex... args) {
    StringBuilder n = new StringBuilder(normal).append('(');
    StringBuilder p = new StringBuilder(probe).append('(');
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        n.append(", ");
        p.append(", ");
      }
      n.append(args[i].n);
      p.append(args[i].p);
    }
    return new Ex(n.append(')').toString(), p.append(')').toString(), t);
  }

  private static Ex lit(Ty t, String text) {
    String s = t == Ty.F ? text + "f" : t == Ty.I ? text.replace(".0", "") : text;
    return new Ex(s, s, t);
  }

  private static final String[] LITERALS = {"0.5", "1.5", "2.0", "0.25", "3.0", "0.1", "1.0",
      "0.75", "1.25", "0.3"};

  private Ex literal(Ty t) {
    if (t == Ty.I) {
      String s = String.valueOf(r.nextInt(5));
      return new Ex(s, s, t);
    }
    return lit(t, LITERALS[r.nextInt(LITERALS.length)]);
  }

  /** An expression of exactly type {@code t} (D, F or I). */
  private Ex expr(Ty t, int depth) {
    if (depth <= 0 || chance(0.2)) {
      return leaf(t);
    }
    switch (t) {
      case D:
        return doubleExpr(depth);
      case F:
        return floatExpr(depth);
      default:
        return intExpr(depth);
    }
  }

  /** An operand type that, combined with {@code t}, stays of type {@code t}. */
  private Ty partner(Ty t) {
    if (t == Ty.D) {
      double u = r.nextDouble();
      return u < 0.75 ? Ty.D : u < 0.87 && fn.floaty ? Ty.F : Ty.I;
    }
    if (t == Ty.F) {
      return chance(0.8) ? Ty.F : Ty.I;
    }
    return Ty.I;
  }

  /** Any floating type allowed here (double, or float in a float-using function). */
  private Ty anyFloating() {
    return fn.floaty && chance(0.3) ? Ty.F : Ty.D;
  }

  private Ex doubleExpr(int depth) {
    int d = depth - 1;
    int k = r.nextInt(26);
    switch (k) {
      case 0:
      case 1:
      case 2:
      case 3: {
        String op = pick(List.of("+", "-", "*", "+", "*"));
        Ex a = expr(Ty.D, d);
        Ex b = expr(partner(Ty.D), d);
        feature("expr:" + op);
        return chance(0.5) ? bin(a, op, b, Ty.D) : bin(b, op, a, Ty.D);
      }
      case 4: {
        feature("expr:/");
        return bin(expr(Ty.D, d), "/", positive(anyFloating(), d), Ty.D);
      }
      case 5:
        feature("expr:unary-minus");
        return wrap("(-", expr(Ty.D, d), ")", Ty.D);
      case 6:
      case 7: {
        String f = pick(List.of("sin", "cos", "tanh", "atan"));
        feature("math:" + f);
        return call("Math." + f, Ty.D, expr(chance(0.85) ? anyFloating() : Ty.I, d));
      }
      case 8: {
        feature("math:exp");
        Ex a = expr(anyFloating(), d);
        Ex inner;
        switch (r.nextInt(4)) {
          case 0:
            inner = call("Math.sin", Ty.D, a);
            break;
          case 1:
            inner = call("Math.tanh", Ty.D, a);
            break;
          case 2:
            inner = wrap("(-", bin(a, "*", a, a.t), ")", a.t);
            break;
          default:
            inner = bin(lit(Ty.D, "0.5"), "*", call("Math.atan", Ty.D, a), Ty.D);
        }
        return call("Math.exp", Ty.D, inner);
      }
      case 9: {
        Ex a = expr(anyFloating(), d);
        if (chance(0.7)) {
          feature("math:log");
          return call("Math.log", Ty.D, chance(0.6) ? bin(lit(Ty.I, "1"), "+", bin(a, "*", a, a.t),
              a.t) : bin(lit(Ty.D, "2.0"), "+", call("Math.sin", Ty.D, a), Ty.D));
        }
        feature("math:log1p");
        return call("Math.log1p", Ty.D, bin(a, "*", a, a.t));
      }
      case 10: {
        feature("math:sqrt");
        return call("Math.sqrt", Ty.D, positive(anyFloating(), d));
      }
      case 11: {
        feature("math:pow");
        Ex a = expr(anyFloating(), d);
        if (chance(0.6)) {
          String e = pick(List.of("2", "3", "2.0", "1"));
          return call("Math.pow", Ty.D, a, new Ex(e, e, e.contains(".") ? Ty.D : Ty.I));
        }
        Ex base = bin(lit(Ty.I, "1"), "+", bin(a, "*", a, a.t), a.t);
        Ex exponent = chance(0.5) ? lit(Ty.D, pick(List.of("0.5", "1.5", "-0.5")))
            : call("Math.sin", Ty.D, expr(anyFloating(), d));
        return call("Math.pow", Ty.D, base, exponent);
      }
      case 12: {
        // Not both arguments near 0: hypot's partials x / hypot(x, y) are 0/0 at (0, 0), which
        // exact zeros (elements never written) would hit.
        feature("math:hypot");
        Ex a = expr(anyFloating(), d);
        Ex b = positive(anyFloating(), d);
        return chance(0.5) ? call("Math.hypot", Ty.D, a, b) : call("Math.hypot", Ty.D, b, a);
      }
      case 13:
      case 14: {
        String f = chance(0.5) ? "max" : "min";
        feature("math:" + f);
        Ex a = expr(Ty.D, d);
        Ex b = expr(partner(Ty.D), d);
        if (chance(0.5)) {
          Ex tmp = a;
          a = b;
          b = tmp;
        }
        return traced("Math." + f, "t" + f, Ty.D, a, b);
      }
      case 15:
        feature("math:abs");
        return traced("Math.abs", "tabs", Ty.D, expr(Ty.D, d));
      case 16: {
        Ty from = fn.floaty && chance(0.6) ? Ty.F : Ty.I;
        feature("cast:" + from.java + "->double");
        return wrap("((double) ", expr(from, d), ")", Ty.D);
      }
      case 17:
      case 18:
        return ternary(Ty.D, d);
      case 19:
      case 24:
      case 25: {
        Ex c = helperCall(Ty.D, d);
        return c != null ? c : leaf(Ty.D);
      }
      case 20:
        return moreMath(d);
      case 21:
        return moreMath(d);
      case 22: {
        // Floating remainder: derivative 1 in a, -trunc(a / b) in b; jumps where a / b crosses
        // an integer (recorded in the probe).
        feature("expr:%");
        Ex a = expr(Ty.D, d);
        Ex b = chance(0.5) ? lit(Ty.D, pick(List.of("1.5", "0.75", "2.0"))) : positive(Ty.D, d);
        return new Ex("(" + a.n + " % " + b.n + ")", "trem(" + a.p + ", " + b.p + ")", Ty.D);
      }
      case 23: {
        feature("expr:constant");
        String c = pick(List.of("Math.PI", "Math.E", "SCALE", "HALF"));
        return bin(lit(Ty.D, "0.25"), "*", new Ex(c, c, Ty.D), Ty.D);
      }
      default:
        return leaf(Ty.D);
    }
  }

  /** The rest of the Math functions, each with an argument where it is smooth and moderate. */
  private Ex moreMath(int d) {
    Ex a = expr(anyFloating(), d);
    String owner = chance(0.15) ? "StrictMath" : "Math";
    if (owner.equals("StrictMath")) {
      feature("math:StrictMath");
    }
    switch (r.nextInt(13)) {
      case 0:
        feature("math:tan");
        return call(owner + ".tan", Ty.D, bin(lit(Ty.D, "0.5"), "*",
            call("Math.tanh", Ty.D, a), Ty.D));
      case 1:
        feature("math:asin");
        return call(owner + ".asin", Ty.D, bin(lit(Ty.D, "0.5"), "*",
            call("Math.tanh", Ty.D, a), Ty.D));
      case 2:
        feature("math:acos");
        return call(owner + ".acos", Ty.D, bin(lit(Ty.D, "0.5"), "*",
            call("Math.sin", Ty.D, a), Ty.D));
      case 3:
        feature("math:sinh");
        return call(owner + ".sinh", Ty.D, call("Math.tanh", Ty.D, a));
      case 4:
        feature("math:cosh");
        return call(owner + ".cosh", Ty.D, call("Math.sin", Ty.D, a));
      case 5:
        feature("math:expm1");
        return call(owner + ".expm1", Ty.D, call("Math.tanh", Ty.D, a));
      case 6:
        feature("math:log10");
        return call(owner + ".log10", Ty.D, bin(lit(Ty.I, "1"), "+", bin(a, "*", a, a.t), a.t));
      case 7:
        feature("math:cbrt");
        return call(owner + ".cbrt", Ty.D, bin(lit(Ty.I, "1"), "+", bin(a, "*", a, a.t), a.t));
      case 8: {
        feature("math:atan2");
        // atan2(y, x) with x > 0: smooth (it jumps only across the negative x axis).
        return call(owner + ".atan2", Ty.D, a, positive(Ty.D, d));
      }
      case 9:
        feature("math:toRadians-toDegrees");
        return call(owner + (chance(0.5) ? ".toRadians" : ".toDegrees"), Ty.D, a);
      case 10:
        feature("math:fma");
        return call(owner + ".fma", Ty.D, expr(Ty.D, d), expr(Ty.D, d), expr(Ty.D, d));
      case 11: {
        // Derivative zero; the value jumps (recorded in the probe).
        String f = pick(List.of("floor", "ceil", "rint", "signum"));
        feature("math:" + f);
        Ex arg = bin(a, "*", lit(a.t, "2.0"), a.t);
        Ex v = new Ex(owner + "." + f + "(" + arg.n + ")",
            "tstep(" + owner + "." + f + "(" + arg.p + "))", Ty.D);
        if (a.t == Ty.F) {
          // floor(float) is floor(double); signum(float) is a float.
          return f.equals("signum") ? wrap("((double) ", v, ")", Ty.D) : v;
        }
        return v;
      }
      default:
        feature("math:hypot-positive");
        return call(owner + ".hypot", Ty.D, a, positive(Ty.D, d));
    }
  }

  private Ex floatExpr(int depth) {
    int d = depth - 1;
    int k = r.nextInt(14);
    switch (k) {
      case 0:
      case 1:
      case 2: {
        String op = pick(List.of("+", "-", "*"));
        Ex a = expr(Ty.F, d);
        Ex b = expr(partner(Ty.F), d);
        feature("expr:" + op);
        return chance(0.5) ? bin(a, op, b, Ty.F) : bin(b, op, a, Ty.F);
      }
      case 3:
        feature("expr:/");
        return bin(expr(Ty.F, d), "/", positive(Ty.F, d), Ty.F);
      case 4:
        feature("expr:unary-minus");
        return wrap("(-", expr(Ty.F, d), ")", Ty.F);
      case 5:
      case 6:
      case 7:
        feature("cast:double->float");
        return wrap("((float) ", expr(Ty.D, depth), ")", Ty.F);
      case 8: {
        String f = chance(0.5) ? "max" : "min";
        feature("math:" + f + "-float");
        return traced("Math." + f, "t" + f, Ty.F, expr(Ty.F, d), expr(partner(Ty.F), d));
      }
      case 9:
        feature("math:abs-float");
        return traced("Math.abs", "tabs", Ty.F, expr(Ty.F, d));
      case 10:
        return ternary(Ty.F, d);
      case 11: {
        Ex c = helperCall(Ty.F, d);
        return c != null ? c : leaf(Ty.F);
      }
      case 12:
        feature("cast:int->float");
        return wrap("((float) ", expr(Ty.I, d), ")", Ty.F);
      default:
        return leaf(Ty.F);
    }
  }

  private Ex intExpr(int depth) {
    int d = depth - 1;
    switch (r.nextInt(7)) {
      case 0:
      case 1:
        return bin(expr(Ty.I, d), pick(List.of("+", "-", "*")), expr(Ty.I, d), Ty.I);
      case 2:
        feature("expr:int-division");
        return bin(expr(Ty.I, d), pick(List.of("/", "%")), lit(Ty.I, "" + (2 + r.nextInt(2))),
            Ty.I);
      case 3: {
        feature("cast:floating->int");
        Ex a = expr(anyFloating(), d);
        Ex inner = bin(a, "*", lit(a.t, "2.0"), a.t);
        return new Ex("((int) " + inner.n + ")", "ti((int) " + inner.p + ")", Ty.I);
      }
      case 4:
        return ternary(Ty.I, d);
      default:
        return leaf(Ty.I);
    }
  }

  /** {@code c ? a : b} whose operands promote to {@code t}. */
  private Ex ternary(Ty t, int d) {
    Ty a = t;
    Ty b = partner(t);
    if (chance(0.5)) {
      Ty tmp = a;
      a = b;
      b = tmp;
    }
    if (a != b) {
      feature("ternary:mixed-types");
    }
    feature("ternary");
    Ex c = cond(1);
    Ex x = expr(a, d);
    Ex y = expr(b, d);
    return new Ex("(" + c.n + " ? " + x.n + " : " + y.n + ")",
        "(" + c.p + " ? " + x.p + " : " + y.p + ")", t);
  }

  /** A positive expression of type {@code t} (at least 0.5): for divisions, sqrt and log. */
  private Ex positive(Ty t, int d) {
    Ex a = expr(t == Ty.I ? Ty.D : t, Math.max(0, d));
    switch (r.nextInt(4)) {
      case 0:
        return bin(lit(Ty.I, "1"), "+", bin(a, "*", a, a.t), a.t);
      case 1:
        return bin(bin(a, "*", a, a.t), "+", lit(a.t, "0.5"), a.t);
      case 2:
        if (a.t == Ty.F) {
          return bin(lit(Ty.F, "2.0"), "+", wrap("((float) ", call("Math.cos", Ty.D, a), ")",
              Ty.F), Ty.F);
        }
        return bin(lit(Ty.D, "2.0"), "+", call("Math.cos", Ty.D, a), Ty.D);
      default:
        return lit(a.t, pick(List.of("2.0", "4.0", "1.5")));
    }
  }

  /** An expression of type {@code t} that is at least 1: dividing by it never grows. */
  private Ex atLeastOne(Ty t) {
    Ex a = expr(t, 1);
    return bin(lit(Ty.I, "1"), "+", bin(a, "*", a, t), t);
  }

  /** A value of type t in a bounded range: for updates of values carried around loops. */
  private Ex squash(Ty t, Ex e) {
    String f = pick(List.of("tanh", "sin", "atan", "tanh"));
    feature("squash:" + f);
    Ex s = call("Math." + f, Ty.D, e);
    return t == Ty.F ? wrap("((float) ", s, ")", Ty.F) : s;
  }

  /** A factor in [0.25, 0.75]. */
  private Ex factor(Ty t) {
    return bin(lit(t, "0.5"), "+", bin(lit(t, "0.25"), "*", squash(t, expr(t, 1)), t), t);
  }

  private Ex leaf(Ty t) {
    List<Ex> options = new ArrayList<>();
    for (Var v : vars(x -> x.ty == t)) {
      options.add(new Ex(v.name, v.name, t));
      options.add(new Ex(v.name, v.name, t));
    }
    if (t != Ty.I && t != Ty.Z) {
      for (Var a : vars(x -> x.ty.dims > 0 && x.ty.base() == t)) {
        String text;
        if (a.ty.dims == 2) {
          String row = a.name + "[" + index(a.name) + "]";
          text = row + "[" + index(row) + "]";
        } else {
          text = a.name + "[" + index(a.name) + "]";
        }
        options.add(new Ex(text, text, t));
        options.add(new Ex(text, text, t));
      }
    } else if (t == Ty.I) {
      for (Var a : vars(x -> x.ty.dims > 0)) {
        options.add(new Ex(a.name + ".length", a.name + ".length", Ty.I));
      }
    }
    if (options.isEmpty() || chance(0.15)) {
      return literal(t);
    }
    return pick(options);
  }

  /** An index into {@code array} (the text of a 1-D array expression), always in range. */
  private String index(String array) {
    List<Var> ints = vars(v -> v.ty == Ty.I && v.nonneg);
    double u = r.nextDouble();
    if (ints.isEmpty() || u < 0.12) {
      return "0";
    }
    if (u < 0.2) {
      return array + ".length - 1";
    }
    Var v = pick(ints);
    if (array.equals(v.bound)) {
      if (v.room > 0 && chance(0.4)) {
        feature("index:offset");
        return v.name + " + " + (1 + r.nextInt(v.room));
      }
      feature("index:direct");
      return v.name;
    }
    feature("index:modulo");
    if (chance(0.2)) {
      return "(" + v.name + " + 1) % " + array + ".length";
    }
    return v.name + " % " + array + ".length";
  }

  private String smallInt() {
    List<String> options = new ArrayList<>();
    options.add(String.valueOf(r.nextInt(4)));
    for (Var v : vars(x -> x.ty == Ty.I && x.small)) {
      options.add(v.name);
    }
    return pick(options);
  }

  // ------------------------------------------------------------------ conditions

  private Ex cond(int depth) {
    int k = r.nextInt(depth > 0 ? 8 : 5);
    switch (k) {
      case 0:
      case 1:
      case 2:
        return dataCond(depth);
      case 3: {
        List<Var> ints = vars(v -> v.ty == Ty.I);
        if (ints.isEmpty()) {
          return dataCond(depth);
        }
        Var v = pick(ints);
        feature("condition:int");
        String s = chance(0.5) ? "(" + v.name + " % 2 == 0)"
            : "(" + v.name + " " + pick(List.of("<", ">", ">=", "!=")) + " " + r.nextInt(4) + ")";
        return new Ex(s, s, Ty.Z);
      }
      case 4: {
        List<Var> bools = vars(v -> v.ty == Ty.Z);
        if (bools.isEmpty()) {
          return dataCond(depth);
        }
        feature("condition:boolean-variable");
        String s = pick(bools).name;
        return new Ex(s, s, Ty.Z);
      }
      case 5:
        feature("condition:and");
        return bin(cond(depth - 1), "&&", cond(depth - 1), Ty.Z);
      case 6:
        feature("condition:or");
        return bin(cond(depth - 1), "||", cond(depth - 1), Ty.Z);
      default:
        feature("condition:not");
        return wrap("!", cond(depth - 1), "", Ty.Z);
    }
  }

  /** A comparison of floating values, recorded in the probe. */
  private Ex dataCond(int depth) {
    Ty a = anyFloating();
    Ex x = expr(a, Math.max(0, depth));
    Ex y = chance(0.5) ? literal(chance(0.5) ? Ty.D : a) : expr(partner(a == Ty.F ? Ty.F : Ty.D),
        Math.max(0, depth - 1));
    String op = pick(List.of("<", ">", "<=", ">="));
    feature("condition:data");
    String n = "(" + x.n + " " + op + " " + y.n + ")";
    String p = "tb(" + x.p + " " + op + " " + y.p + ")";
    return new Ex(n, p, Ty.Z);
  }

  // ------------------------------------------------------------------ calls

  /** Earlier functions this one may call: with an array result, or with a scalar one. */
  private List<FuzzProgram.Function> helpers(boolean arrayResult) {
    List<FuzzProgram.Function> out = new ArrayList<>();
    for (FuzzProgram.Function g : done) {
      if ((g.result().dims > 0) == arrayResult && (fn.floaty || !g.floatMode())
          && !writesParameters.contains(g.name())) {
        out.add(g);
      }
    }
    return out;
  }

  private Ex helperCall(Ty t, int d) {
    List<FuzzProgram.Function> options = new ArrayList<>();
    for (FuzzProgram.Function g : helpers(false)) {
      if (g.result() == t) {
        options.add(g);
      }
    }
    if (options.isEmpty()) {
      return null;
    }
    Ex c = call(pick(options), d);
    if (c != null) {
      feature(fn.loopDepth > 0 ? "call:scalar-in-loop" : "call:scalar");
    }
    return c;
  }

  /** A call of {@code g} with fitting arguments, or null when some argument cannot be made. */
  private Ex call(FuzzProgram.Function g, int d) {
    List<Ex> args = new ArrayList<>();
    for (FuzzProgram.Param p : g.params()) {
      Ex a = argument(p, d);
      if (a == null) {
        return null;
      }
      args.add(a);
    }
    if (g.floatMode()) {
      fn.callsFloat = true;
    }
    return call(g.name(), g.result(), args.toArray(new Ex[0]));
  }

  private Ex argument(FuzzProgram.Param p, int d) {
    Ty t = p.type();
    if (t == Ty.E || t == Ty.S) {
      // a parameter of the same type, or a constant
      List<Ex> options = new ArrayList<>();
      for (Var v : fn.selectors) {
        if (v.ty == t) {
          options.add(new Ex(v.name, v.name, t));
        }
      }
      String c = t == Ty.E ? "java.math.RoundingMode." + pick(List.of("UP", "DOWN", "FLOOR"))
          : '"' + pick(WORDS) + '"';
      options.add(new Ex(c, c, t));
      feature("call:selector-argument");
      return pick(options);
    }
    if (t == Ty.I) {
      String s = smallInt();
      return new Ex(s, s, Ty.I);
    }
    if (t == Ty.Z) {
      return cond(1);
    }
    if (t.dims == 0) {
      if (p.noDerivative()) {
        List<Ex> options = new ArrayList<>();
        options.add(literal(t));
        options.add(literal(Ty.I));
        for (Var v : vars(x -> x.inactive && (x.ty == t || x.ty == Ty.I))) {
          options.add(new Ex(v.name, v.name, v.ty));
        }
        feature("call:@NoDerivative-argument");
        return pick(options);
      }
      Ty at = t == Ty.D ? partner(Ty.D) : partner(Ty.F);
      return expr(at, Math.max(0, d));
    }
    // Arrays: a variable of that type, a row of a 2-D one, or (top level) an array-valued call.
    List<Ex> options = new ArrayList<>();
    for (Var v : vars(x -> x.ty == t && (!p.noDerivative() || x.inactive))) {
      options.add(new Ex(v.name, v.name, t));
    }
    if (t.dims == 1) {
      for (Var v : vars(x -> x.ty.dims == 2 && x.ty.elem() == t
          && (!p.noDerivative() || x.inactive))) {
        String s = v.name + "[" + index(v.name) + "]";
        options.add(new Ex(s, s, t));
      }
    }
    if (d > 0 && fn.topLevel() && !p.noDerivative() && chance(0.6)) {
      for (FuzzProgram.Function g : helpers(true)) {
        if (g.result() == t) {
          Ex inner = call(g, 0);
          if (inner != null) {
            feature("call:array-call-as-argument");
            return inner;
          }
        }
      }
    }
    if (options.isEmpty()) {
      return null;
    }
    if (p.noDerivative()) {
      feature("call:@NoDerivative-array-argument");
    }
    return pick(options);
  }
}
