package dev.adjoint.processor.rules;

import java.util.Set;

/**
 * Which {@code Math} functions keep finite arguments finite, in value and in every partial
 * derivative. The others can give a non-finite value or partial at a finite argument: a domain
 * error ({@code sqrt(-1)}, {@code log(0)}, {@code acos(2)}), a pole of the derivative
 * ({@code sqrt'(0)}, {@code cbrt'(0)}, {@code asin'(1)}), or an overflow at a moderate argument
 * ({@code exp(1000)}, {@code cosh(800)}, {@code pow(10, 400)}).
 *
 * <p>The reverse sweep guards the pullback of a statement whose partials can be non-finite by its
 * adjoint being non-zero ({@link dev.adjoint.processor.analysis.NonFinite}), because
 * {@code 0 * Infinity} is NaN; every other pullback runs unguarded. Overflow of {@code + - *} on
 * huge finite values is not counted, nor of the functions listed here.
 */
public final class FiniteRules {
  private FiniteRules() {}

  /**
   * Functions whose value and partials are finite wherever their arguments are (up to the
   * overflow of huge values that {@code *} shares): {@code hypot}'s partials {@code x / h} are
   * bounded, and are 0 at {@code (0, 0)} by convention.
   */
  private static final Set<String> FINITE = Set.of(
      "sin", "cos", "atan", "tanh", "abs", "max", "min", "hypot", "toRadians", "toDegrees", "fma",
      "floor", "ceil", "rint", "signum");

  /**
   * Functions whose partials do not depend on their arguments' values: {@code max} and
   * {@code min} pass the adjoint to the argument they selected, the piecewise constant functions
   * pass nothing. A non-finite argument does not make their partials non-finite.
   */
  private static final Set<String> VALUE_FREE_PARTIALS = Set.of(
      "max", "min", "toRadians", "toDegrees", "floor", "ceil", "rint", "signum");

  /**
   * True when the partials of {@code Math.name}, finite itself ({@link #canBeNonFinite}), are
   * evaluated at its arguments, so that a non-finite argument can make them non-finite.
   */
  public static boolean partialsReadArguments(String name) {
    return !VALUE_FREE_PARTIALS.contains(name);
  }

  /** True when {@code Math.name} can return a non-finite value or partial at finite arguments. */
  public static boolean canBeNonFinite(String name) {
    return !FINITE.contains(name);
  }
}
