package dev.adjoint.example;

import dev.adjoint.Differentiable;
import dev.adjoint.GradCheck;

/**
 * Seed 002: the chain rule on {@code f = (a + b)(b + c)} at {@code a = -1, b = 3, c = 4}, written
 * as {@code x = a + b}, {@code y = b + c}, {@code f = x y}.
 *
 * <p>The seed works out {@code df/dx = y = 7}, {@code df/dy = x = 2}, {@code dx/da = 1},
 * {@code dy/dc = 1}, then {@code df/da = 7} and {@code df/db = 9}; {@code b} feeds both
 * {@code x} and {@code y}, so its two paths add up ({@code 1 * 7 + 2 * 1}). Each piece of the
 * formula is a {@code @Differentiable} method here, so each of those local derivatives is a
 * component of a generated gradient record.
 */
public final class ChainRule {
  /** The point of the seed's example. */
  public static final double A = -1;
  /** The point of the seed's example. */
  public static final double B = 3;
  /** The point of the seed's example. */
  public static final double C = 4;

  /** The seed's values are small integers, which doubles hold exactly. */
  public static final double TOLERANCE = 1e-12;

  private ChainRule() {}

  /**
   * An addition node: {@code x = a + b} and {@code y = b + c}.
   *
   * @param p first term
   * @param q second term
   * @return {@code p + q}
   */
  @Differentiable
  public static double add(double p, double q) {
    return p + q;
  }

  /**
   * The multiplication node {@code f = x y}.
   *
   * @param x first factor
   * @param y second factor
   * @return {@code x * y}
   */
  @Differentiable
  public static double multiply(double x, double y) {
    return x * y;
  }

  /**
   * The composite {@code f(a, b, c) = (a + b)(b + c)}.
   *
   * @param a first input
   * @param b second input, used twice
   * @param c third input
   * @return {@code (a + b)(b + c)}
   */
  @Differentiable
  public static double f(double a, double b, double c) {
    double x = add(a, b);
    double y = add(b, c);
    return multiply(x, y);
  }

  /**
   * Computes the example and lays its numbers beside the seed's.
   *
   * @return the table: the local derivatives and the chained ones, and a gradient check
   */
  public static SeedTable report() {
    SeedTable t = new SeedTable("3. Chain rule on f = (a + b)(b + c) (seed 002)");
    double x = add(A, B);
    double y = add(B, C);
    ChainRuleGrad.Multiply outer = ChainRuleGrad.multiply(x, y);
    ChainRuleGrad.Add innerX = ChainRuleGrad.add(A, B);
    ChainRuleGrad.Add innerY = ChainRuleGrad.add(B, C);
    ChainRuleGrad.F g = ChainRuleGrad.f(A, B, C);

    t.extra("x = a + b", x);
    t.extra("y = b + c", y);
    t.extra("f", g.value());
    t.within("df/dx", "7", TOLERANCE, outer.x());
    t.within("df/dy", "2", TOLERANCE, outer.y());
    t.within("dx/da", "1", TOLERANCE, innerX.p());
    t.within("dy/dc", "1", TOLERANCE, innerY.q());
    t.within("df/da", "7", TOLERANCE, g.a());
    t.within("df/db", "9", TOLERANCE, g.b());
    t.within("df/dc", "2", TOLERANCE, g.c());

    GradCheck.Report check = GradCheck.compare((double[] v) -> f(v[0], v[1], v[2]),
        new double[] {A, B, C}, new double[] {g.a(), g.b(), g.c()});
    t.gradCheck("f", check, GradCheck.DOUBLE_TOLERANCE);

    t.note("the seed does not write out df/dc; its 2 is the seed's df/dy (2) times dy/dc (1)");
    return t;
  }
}
