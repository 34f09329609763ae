package dev.adjoint.processor.rules;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.constant;
import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.math;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.ir.BinaryOp;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.LibraryCall;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Derivative rules of the {@code java.lang.Math} and {@code StrictMath} functions, one table
 * entry per function (as JAX's {@code defjvp} registry): for a call, the partial derivative with
 * respect to each argument, as an expression over the arguments and the call's value. Reverse
 * mode multiplies a seed by each partial; a forward mode would multiply the tangents.
 *
 * <p>Conventions at points where a function is not differentiable: {@code abs'(0) = 0} (the
 * derivative of {@code signum}), {@code max(a, b)} and {@code min(a, b)} pass the whole gradient
 * to {@code a} on a tie, {@code sqrt'(0)} is {@code +Infinity}, {@code hypot} at {@code (0, 0)}
 * has partials 0 (as {@code abs}); {@code floor}, {@code ceil},
 * {@code rint} and {@code signum} have derivative zero everywhere; {@code pow(x, y)} has
 * partial 0 in {@code y} at {@code x = 0, y >= 0} (where {@code log x} is {@code -Infinity}), and
 * partial 0 in {@code x} when {@code y = 0}.
 */
public final class MathRules {
  private MathRules() {}

  /**
   * The partial derivatives of a function with respect to each of its arguments, null where one
   * is zero.
   */
  @FunctionalInterface
  private interface Partials {
    /**
     * @param a the call's arguments
     * @param y the call's value: the call itself, or a local holding it when the rule
     *     {@linkplain Rule#reusesValue reuses} it
     * @param t the call's type
     */
    List<Expr> of(List<Expr> a, Expr y, Type t);
  }

  /** What kind of derivative a function has. */
  private enum Kind {
    /** Partials given by the rule. */
    SMOOTH,
    /** Zero wherever it exists ({@code floor}): JAX's {@code defjvp_zero}. */
    PIECEWISE_CONSTANT,
    /** {@code max} and {@code min}: the whole derivative goes to the argument selected. */
    SELECTION
  }

  /**
   * One entry of the table.
   *
   * @param reusesValue true when the partials use the function's value more than once, so that
   *     the pullback computes it once into a local (JAX's {@code defjvp2}, whose rules see the
   *     answer)
   * @param firstWins for a selection, the comparison under which the first argument is selected
   */
  private record Rule(Kind kind, boolean reusesValue, Partials partials, BinaryOp firstWins) {
    Rule(Kind kind, boolean reusesValue, Partials partials) {
      this(kind, reusesValue, partials, null);
    }
  }

  /** The runtime class of {@code stopGradient}, which is no Math function but has a rule. */
  private static final String STOP_GRADIENT = "dev.adjoint.StopGradient";

  /** The table: every differentiable Math function, once, by name. */
  private static final Map<String, Rule> RULES = new TreeMap<>();

  static {
    defjvp("sin", (a, y, t) -> of(math("cos", t, a.get(0))));
    defjvp("cos", (a, y, t) -> of(neg(math("sin", t, a.get(0)))));
    defjvp("tan", (a, y, t) -> of(div(one(t), mul(math("cos", t, a.get(0)),
        math("cos", t, a.get(0))))));
    defjvp("asin", (a, y, t) -> of(div(one(t), math("sqrt", t, sub(one(t),
        mul(a.get(0), a.get(0)))))));
    defjvp("acos", (a, y, t) -> of(neg(div(one(t), math("sqrt", t, sub(one(t),
        mul(a.get(0), a.get(0))))))));
    defjvp("atan", (a, y, t) -> of(div(one(t), add(one(t), mul(a.get(0), a.get(0))))));
    defjvp("atan2", (a, y, t) -> {
      Expr r2 = add(mul(a.get(1), a.get(1)), mul(a.get(0), a.get(0)));
      return of(div(a.get(1), r2), neg(div(a.get(0), r2)));
    });
    defjvp("sinh", (a, y, t) -> of(math("cosh", t, a.get(0))));
    defjvp("cosh", (a, y, t) -> of(math("sinh", t, a.get(0))));
    defjvp2("tanh", (a, y, t) -> of(sub(one(t), mul(y, y))));
    defjvp("exp", (a, y, t) -> of(y));
    defjvp("expm1", (a, y, t) -> of(math("exp", t, a.get(0))));
    defjvp("log", (a, y, t) -> of(div(one(t), a.get(0))));
    defjvp("log10", (a, y, t) -> of(div(one(t), mul(a.get(0), constant(Math.log(10), t)))));
    defjvp("log1p", (a, y, t) -> of(div(one(t), add(one(t), a.get(0)))));
    defjvp("sqrt", (a, y, t) -> of(div(constant(0.5, t), y)));
    defjvp2("cbrt", (a, y, t) -> of(div(one(t), mul(constant(3, t), mul(y, y)))));
    defjvp("pow", MathRules::pow);
    // At (0, 0) the quotients are 0/0: take 0, as abs'(0) = 0 (hypot(x, 0) is |x|).
    defjvp2("hypot", (a, y, t) -> of(
        Exprs.conditional(isZero(y, t), constant(0, t), div(a.get(0), y)),
        Exprs.conditional(isZero(y, t), constant(0, t), div(a.get(1), y))));
    defjvp("abs", (a, y, t) -> of(math("signum", t, a.get(0))));
    defjvp("toRadians", (a, y, t) -> of(constant(Math.PI / 180, t)));
    defjvp("toDegrees", (a, y, t) -> of(constant(180 / Math.PI, t)));
    defjvp("fma", (a, y, t) -> of(a.get(1), a.get(0), one(t)));
    selection("max", BinaryOp.GE);
    selection("min", BinaryOp.LE);
    defjvpZero("floor");
    defjvpZero("ceil");
    defjvpZero("rint");
    defjvpZero("signum");
  }

  /**
   * The functions the cost model never evaluates twice: a call costs tens of arithmetic
   * operations (an intrinsic {@code exp} or {@code log} about twenty), so its value is kept in a
   * local, a per-iteration slot or the tape rather than computed again in the reverse sweep.
   * {@code sqrt} is one instruction, but a long-latency one, and its derivative is {@code 0.5 / value}.
   */
  private static final Set<String> COSTLY = Set.of("exp", "expm1", "log", "log10", "log1p",
      "pow", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
      "sqrt", "cbrt", "hypot");

  /** True for a floating call that the cost model computes once and keeps ({@link #COSTLY}). */
  public static boolean isCostly(LibraryCall call) {
    return call.type().isFloating() && call.type().dims() == 0
        && (call.owner().equals("Math") || call.owner().equals("StrictMath"))
        && COSTLY.contains(call.name());
  }

  /** True for a call of a Math function with a smooth rule (not a selection, not a constant). */
  public static boolean isSmooth(LibraryCall call) {
    Rule rule = RULES.get(call.name());
    return !call.owner().equals(STOP_GRADIENT) && rule != null && rule.kind() == Kind.SMOOTH;
  }

  /** JDK classes whose static methods may be called when the result is not floating-point. */
  private static final Set<String> PURE_OWNERS = Set.of(
      "java.lang.Math", "java.lang.StrictMath", "java.lang.Double", "java.lang.Float",
      "java.lang.Integer", "java.lang.Long");

  private static void defjvp(String name, Partials partials) {
    register(name, new Rule(Kind.SMOOTH, false, partials));
  }

  private static void defjvp2(String name, Partials partials) {
    register(name, new Rule(Kind.SMOOTH, true, partials));
  }

  private static void defjvpZero(String name) {
    register(name, new Rule(Kind.PIECEWISE_CONSTANT, false, (a, y, t) -> {
      List<Expr> zeros = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        zeros.add(null);
      }
      return zeros;
    }));
  }

  /** {@code max} ({@code GE}) or {@code min} ({@code LE}): the first argument wins a tie. */
  private static void selection(String name, BinaryOp firstWins) {
    register(name, new Rule(Kind.SELECTION, false, (a, y, t) -> {
      Expr first = Exprs.binary(firstWins, a.get(0), a.get(1), Type.BOOLEAN);
      return of(Exprs.conditional(first, one(t), constant(0, t)),
          Exprs.conditional(first, constant(0, t), one(t)));
    }, firstWins));
  }

  private static void register(String name, Rule rule) {
    if (RULES.putIfAbsent(name, rule) != null) {
      throw new IllegalStateException("two rules for " + name);
    }
  }

  /**
   * {@code pow(x, b)}: {@code b x^(b-1)} and {@code x^b ln x}, without the NaNs these give where
   * the function is constant.
   */
  private static List<Expr> pow(List<Expr> a, Expr y, Type t) {
    Expr u = a.get(0);
    Expr b = a.get(1);
    Expr zero = constant(0, t);
    Expr one = one(t);
    Expr base;
    if (b instanceof Expr.Const c && c.type().isNumeric()) {
      double e = c.asDouble();
      base = e == 0 ? null
          : e == 2 ? mul(constant(2, t), u)
          : e == 1 ? one
          : mul(b, math("pow", t, u, constant(e - 1, t)));
    } else {
      // b x^(b-1) would be 0 * x^-1 = NaN at x = 0 when b = 0, where x^0 = 1 is constant
      base = Exprs.conditional(
          Exprs.binary(BinaryOp.EQ, b, constant(0, b.type()), Type.BOOLEAN), zero,
          mul(b, math("pow", t, u, sub(b, one))));
    }
    if (base != null && y instanceof Expr.Read && !(b instanceof Expr.Const c
        && c.type().isNumeric() && (c.asDouble() == 1 || c.asDouble() == 2))) {
      // x^(b-1) = x^b / x, from the value kept in a local instead of a second pow, where that quotient
      // is exact to rounding: x not 0, x^b neither zero (underflow) nor infinite (overflow).
      // (x^b - x^b == 0 holds exactly when x^b is finite.)
      Expr fromValue = Exprs.binary(BinaryOp.AND, Exprs.binary(BinaryOp.AND,
          Exprs.binary(BinaryOp.NE, u, zero, Type.BOOLEAN),
          Exprs.binary(BinaryOp.NE, y, zero, Type.BOOLEAN), Type.BOOLEAN),
          Exprs.binary(BinaryOp.EQ, sub(y, y), zero, Type.BOOLEAN), Type.BOOLEAN);
      base = Exprs.conditional(fromValue, div(mul(b, y), u), base);
    }
    // x^b ln x would be 0 * -Infinity = NaN at x = 0, where x^b is 0 (b > 0) or 1 (b = 0)
    Expr exponent = Exprs.conditional(Exprs.binary(BinaryOp.AND,
            Exprs.binary(BinaryOp.EQ, u, zero, Type.BOOLEAN),
            Exprs.binary(BinaryOp.GE, b, constant(0, b.type()), Type.BOOLEAN), Type.BOOLEAN),
        zero, mul(y, math("log", t, u)));
    return of(base, exponent);
  }

  private static Expr one(Type t) {
    return constant(1, t);
  }

  private static Expr isZero(Expr e, Type t) {
    return Exprs.binary(BinaryOp.EQ, e, constant(0, t), Type.BOOLEAN);
  }

  /** The partials in argument order (nulls allowed, for zeros). */
  private static List<Expr> of(Expr... partials) {
    return new ArrayList<>(Arrays.asList(partials));
  }

  /** True when {@code owner.name} returning a floating value has a derivative rule. */
  public static boolean hasRule(String owner, String name) {
    return (owner.equals("java.lang.Math") || owner.equals("java.lang.StrictMath"))
        && RULES.containsKey(name);
  }

  /** True when a call of {@code owner.name} with a non-floating result may appear. */
  public static boolean isPureJdkMethod(String owner) {
    return PURE_OWNERS.contains(owner);
  }

  /** Names listed in diagnostics, so users see what is supported. */
  public static String supportedNames() {
    return String.join(", ", RULES.keySet());
  }

  /** True for {@code max} and {@code min}, whose derivative selects one argument. */
  public static boolean isSelection(LibraryCall call) {
    Rule rule = RULES.get(call.name());
    return rule != null && rule.kind() == Kind.SELECTION && call.type().isFloating();
  }

  /** The condition under which {@code max} or {@code min} returns its first argument. */
  public static Expr selectsFirst(LibraryCall call) {
    return Exprs.binary(rule(call).firstWins(), call.args().get(0), call.args().get(1),
        Type.BOOLEAN);
  }

  /**
   * The partial derivatives of {@code call} with respect to each argument; an entry is null where
   * the derivative is zero or the argument is not floating.
   */
  public static List<Expr> partials(LibraryCall call) {
    return partials(call, call);
  }

  /** True when the rule of {@code call} uses the function's value more than once. */
  public static boolean reusesValue(LibraryCall call) {
    Rule rule = RULES.get(call.name());
    return rule != null && rule.reusesValue();
  }

  /**
   * As {@link #partials(LibraryCall)}, with {@code value} standing for the function's value
   * wherever a rule uses it (so that callers can compute it once).
   */
  public static List<Expr> partials(LibraryCall call, Expr value) {
    if (call.owner().equals(STOP_GRADIENT)) {
      // StopGradient.stopGradient(x): the identity, whose derivative is zero on purpose.
      List<Expr> none = new ArrayList<>();
      call.args().forEach(a -> none.add(null));
      return none;
    }
    List<Expr> result = rule(call).partials().of(call.args(), value, call.type());
    // Arguments that are not floating (an int exponent, say) carry no derivative.
    for (int i = 0; i < result.size(); i++) {
      if (!call.args().get(i).type().isFloating()) {
        result.set(i, null);
      }
    }
    return result;
  }

  private static Rule rule(LibraryCall call) {
    Rule rule = RULES.get(call.name());
    if (rule == null) {
      throw new IllegalArgumentException("no derivative rule for " + call.name());
    }
    return rule;
  }
}
