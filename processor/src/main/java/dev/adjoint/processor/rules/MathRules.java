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
import java.util.Set;

/**
 * Derivative rules of the {@code java.lang.Math} and {@code StrictMath} functions: for a call, the
 * partial derivative with respect to each argument, as an expression over the arguments.
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

  /** Math functions with a derivative rule, by name. */
  private static final Set<String> DIFFERENTIABLE = Set.of(
      "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "exp",
      "expm1", "log", "log10", "log1p", "sqrt", "cbrt", "pow", "hypot", "abs", "max", "min",
      "toRadians", "toDegrees", "fma");

  /** Math functions whose derivative is zero wherever it exists. */
  private static final Set<String> PIECEWISE_CONSTANT = Set.of("floor", "ceil", "rint", "signum");

  /** JDK classes whose static methods may be called when the result is not floating-point. */
  private static final Set<String> PURE_OWNERS = Set.of(
      "java.lang.Math", "java.lang.StrictMath", "java.lang.Double", "java.lang.Float",
      "java.lang.Integer", "java.lang.Long");

  /** True when {@code owner.name} returning a floating value has a derivative rule. */
  public static boolean hasRule(String owner, String name) {
    return (owner.equals("java.lang.Math") || owner.equals("java.lang.StrictMath"))
        && (DIFFERENTIABLE.contains(name) || PIECEWISE_CONSTANT.contains(name));
  }

  /** True when a call of {@code owner.name} with a non-floating result may appear. */
  public static boolean isPureJdkMethod(String owner) {
    return PURE_OWNERS.contains(owner);
  }

  /** Names listed in diagnostics, so users see what is supported. */
  public static String supportedNames() {
    List<String> all = new ArrayList<>(DIFFERENTIABLE);
    all.addAll(PIECEWISE_CONSTANT);
    String[] sorted = all.toArray(String[]::new);
    Arrays.sort(sorted);
    return String.join(", ", sorted);
  }

  /** True for {@code max} and {@code min}, whose derivative selects one argument. */
  public static boolean isSelection(LibraryCall call) {
    return (call.name().equals("max") || call.name().equals("min")) && call.type().isFloating();
  }

  /** The condition under which {@code max} or {@code min} returns its first argument. */
  public static Expr selectsFirst(LibraryCall call) {
    BinaryOp op = call.name().equals("max") ? BinaryOp.GE : BinaryOp.LE;
    return Exprs.binary(op, call.args().get(0), call.args().get(1), Type.BOOLEAN);
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
    return call.name().equals("tanh") || call.name().equals("cbrt")
        || call.name().equals("hypot");
  }

  /**
   * As {@link #partials(LibraryCall)}, with {@code value} standing for the function's value
   * wherever a rule uses it (so that callers can compute it once).
   */
  public static List<Expr> partials(LibraryCall call, Expr value) {
    List<Expr> a = call.args();
    Type t = call.type();
    Expr u = a.get(0);
    Expr one = constant(1, t);
    List<Expr> result = new ArrayList<>();
    switch (call.name()) {
      case "sin" -> result.add(math("cos", t, u));
      case "cos" -> result.add(neg(math("sin", t, u)));
      case "tan" -> result.add(div(one, mul(math("cos", t, u), math("cos", t, u))));
      case "asin" -> result.add(div(one, math("sqrt", t, sub(one, mul(u, u)))));
      case "acos" -> result.add(neg(div(one, math("sqrt", t, sub(one, mul(u, u))))));
      case "atan" -> result.add(div(one, add(one, mul(u, u))));
      case "atan2" -> {
        Expr y = a.get(0);
        Expr x = a.get(1);
        Expr r2 = add(mul(x, x), mul(y, y));
        result.add(div(x, r2));
        result.add(neg(div(y, r2)));
      }
      case "sinh" -> result.add(math("cosh", t, u));
      case "cosh" -> result.add(math("sinh", t, u));
      case "tanh" -> result.add(sub(one, mul(value, value)));
      case "exp", "expm1" -> result.add(math("exp", t, u));
      case "log" -> result.add(div(one, u));
      case "log10" -> result.add(div(one, mul(u, constant(Math.log(10), t))));
      case "log1p" -> result.add(div(one, add(one, u)));
      case "sqrt" -> result.add(div(constant(0.5, t), value));
      case "cbrt" -> result.add(div(one, mul(constant(3, t), mul(value, value))));
      case "pow" -> {
        Expr b = a.get(1);
        Expr zero = constant(0, t);
        if (b instanceof Expr.Const c && c.type().isNumeric()) {
          double e = c.asDouble();
          result.add(e == 0 ? null
              : e == 2 ? mul(constant(2, t), u)
              : e == 1 ? one
              : mul(b, math("pow", t, u, constant(e - 1, t))));
        } else {
          // b x^(b-1) would be 0 * x^-1 = NaN at x = 0 when b = 0, where x^0 = 1 is constant
          result.add(Exprs.conditional(
              Exprs.binary(BinaryOp.EQ, b, constant(0, b.type()), Type.BOOLEAN), zero,
              mul(b, math("pow", t, u, sub(b, one)))));
        }
        // x^b ln x would be 0 * -Infinity = NaN at x = 0, where x^b is 0 (b > 0) or 1 (b = 0)
        result.add(Exprs.conditional(Exprs.binary(BinaryOp.AND,
                Exprs.binary(BinaryOp.EQ, u, zero, Type.BOOLEAN),
                Exprs.binary(BinaryOp.GE, b, constant(0, b.type()), Type.BOOLEAN), Type.BOOLEAN),
            zero, mul(call, math("log", t, u))));
      }
      case "hypot" -> {
        // At (0, 0) the quotients are 0/0: take 0, as abs'(0) = 0 (hypot(x, 0) is |x|).
        Expr atOrigin = Exprs.binary(BinaryOp.EQ, value, constant(0, t), Type.BOOLEAN);
        result.add(Exprs.conditional(atOrigin, constant(0, t), div(a.get(0), value)));
        result.add(Exprs.conditional(atOrigin, constant(0, t), div(a.get(1), value)));
      }
      case "abs" -> result.add(math("signum", t, u));
      case "max", "min" -> {
        Expr firstWins = selectsFirst(call);
        result.add(Exprs.conditional(firstWins, one, constant(0, t)));
        result.add(Exprs.conditional(firstWins, constant(0, t), one));
      }
      case "toRadians" -> result.add(constant(Math.PI / 180, t));
      case "toDegrees" -> result.add(constant(180 / Math.PI, t));
      case "fma" -> {
        result.add(a.get(1));
        result.add(a.get(0));
        result.add(one);
      }
      case "floor", "ceil", "rint", "signum", "stopGradient" -> {
        for (int i = 0; i < a.size(); i++) {
          result.add(null);
        }
      }
      default -> throw new IllegalArgumentException("no derivative rule for " + call.name());
    }
    // Arguments that are not floating (an int exponent, say) carry no derivative.
    for (int i = 0; i < result.size(); i++) {
      if (!a.get(i).type().isFloating()) {
        result.set(i, null);
      }
    }
    return result;
  }
}
