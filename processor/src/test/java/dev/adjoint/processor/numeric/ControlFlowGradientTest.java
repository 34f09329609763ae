package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static dev.adjoint.processor.numeric.Check.wrt;
import static dev.adjoint.processor.testing.Compiled.source;
import static dev.adjoint.processor.testing.GradientAssert.checkDoubles;
import static dev.adjoint.processor.testing.GradientAssert.checkDoublesAt;
import static dev.adjoint.processor.testing.GradientAssert.checkFloats;

import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ternaries, if / else if / else with assignments in the branches, early returns, overwritten
 * values and conditions that read variables their own branches assign. Random points are drawn
 * in [-3, 3]; a point lands within a finite-difference step of a branch boundary with
 * negligible probability, and the seeds are fixed.
 */
class ControlFlowGradientTest {
  private static final String CLS = "p.Flow";
  private static Compiled c;
  private static Compiled unoptimised;

  private static final String SOURCE = """
      package p;
      import dev.adjoint.*;
      class Flow {
        @Differentiable static double ternary(double x, double y) {
          return x > y ? x * x : y * x;
        }
        @Differentiable static double nestedTernary(double x, double y) {
          return x > 0 ? (y > 0 ? x * y : x - y) : (y > 0 ? y * y : x * x * y);
        }
        @Differentiable static double ternaryInsideArithmetic(double x, double y) {
          return 2 * (x > 1 ? Math.sin(x) : y) * x + (y < x ? 1 : y);
        }
        @Differentiable static double ternaryAsMathArgument(double x, double y) {
          return Math.exp(x * y > 0 ? -x * y : x * y);
        }
        @Differentiable static double ternaryOnComputedCondition(double x, double y) {
          double s = x * x + y;
          return s > 2 ? s * x : s / 2;
        }
        @Differentiable static double ternaryWithConstantBranch(double x) {
          return x > 0 ? x * x : 0;
        }
        @Differentiable static double relu(double x) {
          if (x > 0) {
            return x;
          }
          return 0;
        }
        @Differentiable static double huber(double x, double delta) {
          double a = Math.abs(x);
          if (a <= delta) {
            return 0.5 * x * x;
          } else {
            return delta * (a - 0.5 * delta);
          }
        }
        @Differentiable static double clamp(double x, double lo, double hi) {
          double r = x;
          if (r < lo) {
            r = lo;
          } else if (r > hi) {
            r = hi;
          }
          return r * r;
        }
        @Differentiable static double ifWithoutElse(double x, double y) {
          double z = x * y;
          if (x > y) {
            z = z * x;
          }
          return z + y;
        }
        @Differentiable static double elseIfChain(double x, double y) {
          double z;
          if (x < -1) {
            z = x * y;
          } else if (x < 0) {
            z = x * x;
          } else if (x < 1) {
            z = Math.sin(x) * y;
          } else {
            z = y * y * x;
          }
          return z * x;
        }
        @Differentiable static double nestedBranchesWithAssignments(double x, double y) {
          double a = x;
          double b = y;
          if (x > 0) {
            a = a * y;
            if (y > 0) {
              b = a * b;
              a = a + b;
            } else {
              b = b - a * a;
            }
          } else {
            if (y > x) {
              a = a * a * a;
            } else {
              a = y;
              b = b * x;
            }
          }
          return a * b + a;
        }
        @Differentiable static double localsDeclaredInBranches(double x, double y) {
          double r = 0;
          if (x > 0) {
            double t = x * y;
            r = t * t;
          } else {
            double t = y - x;
            double u = t * x;
            r = u + t;
          }
          return r * y;
        }
        @Differentiable static double earlyReturnTopLevel(double x, double y) {
          double a = x * y;
          if (a > 1) {
            return a * a;
          }
          a = a + x;
          return a * y;
        }
        @Differentiable static double earlyReturnsAtSeveralDepths(double x, double y) {
          double a = x * x;
          if (x > 0) {
            a = a * y;
            if (y > 1) {
              return a + y;
            }
            a = a - x;
            if (y < -1) {
              if (x > 2) {
                return a * x;
              }
              a = a * a;
            }
          } else if (y > 0) {
            return a * y * y;
          }
          a = a + y;
          return a * x;
        }
        @Differentiable static double returnInElseOnly(double x, double y) {
          double a = y;
          if (x > 0) {
            a = a * x;
          } else {
            return a - x;
          }
          a = a * a;
          return a + x;
        }
        @Differentiable static double returnInBothBranchesAfterWork(double x, double y) {
          double a = x + y;
          if (a > 0) {
            double b = a * x;
            a = b * y;
            return a + b;
          } else {
            a = a * a;
            return a * x;
          }
        }
        @Differentiable static double overwrittenSeveralTimes(double x, double y) {
          double a = x;
          a = a * y;
          a = a * a;
          if (x > 0) {
            a = a + x;
            a = a * x;
          } else {
            a = a * 0.1 + y;
            a = Math.sin(a);
          }
          a = a * a;
          return a;
        }
        @Differentiable static double overwrittenAfterNonlinearUseInBranch(double x, double y) {
          double a = x * y;
          double b = 0;
          if (y > 0) {
            b = a * a;
            a = y;
          } else {
            b = Math.exp(a);
            a = x;
          }
          return b * a;
        }
        @Differentiable static double conditionReadsVariableAssignedInBranch(double x, double y) {
          double a = x;
          if (a > 0) {
            a = a * a - 2;
          }
          if (a > 0) {
            a = a * y;
          } else {
            a = a - y;
          }
          return a * x;
        }
        @Differentiable static double conditionReadsParameterAssignedInBranch(double x, double y) {
          if (x > 1) {
            x = x * y;
            y = y * y;
          }
          if (x > 1) {
            x = x - 3;
          }
          return x * y;
        }
        @Differentiable static double conditionOnIntegerCounter(double x, int n) {
          int k = n;
          double a = x;
          if (k > 2) {
            k = k - 2;
            a = a * x;
          }
          if (k > 2) {
            a = a * x;
          }
          return a * k;
        }
        @Differentiable static double logicalOperatorsInConditions(double x, double y) {
          double a = x;
          if (x > 0 && y > 0 || x < -2) {
            a = x * y;
          }
          if (!(x < y) || x * y > 4) {
            a = a * x;
          }
          return a + y;
        }
        @Differentiable static double compoundAssignmentsInBranches(double x, double y) {
          double a = x;
          if (x > y) {
            a *= y;
            a += x;
          } else {
            a /= 2 + y * y;
            a -= x * y;
          }
          return a * a;
        }
        @Differentiable static double emptyBranches(double x, double y) {
          double a = x * y;
          if (x > 0) {
          } else {
            a = a * a;
          }
          if (y > 0) {
            a = a + y;
          } else {
          }
          return a;
        }
        @Differentiable static double branchOnNoDerivativeParameter(double x, @NoDerivative double t) {
          double a = x;
          if (t > 0) {
            a = a * t;
          } else {
            a = a * a;
          }
          return a * x;
        }
        @Differentiable static double sameLocalNameInSequentialBlocks(double x) {
          double r = x;
          if (x > 0) {
            double t = x * 2;
            r = r * t;
          }
          if (x > 1) {
            double t = r * r;
            r = t + x;
          }
          return r;
        }
        @Differentiable static double selfCompoundInBranch(double x, double y) {
          double a = x * y;
          if (x > 0) {
            a *= a;
            a += a * x;
          } else {
            a /= a * a + 3;
            a -= a * a;
          }
          return a * y;
        }
        @Differentiable static double ternaryConditionOverwritten(double x, double y) {
          double a = x * y;
          double r = a > 0 ? a * x : x * y * y;
          a = -a * 3;
          r = r * a;
          return r;
        }
        @Differentiable static double intConditionOverwritten(double x, double y) {
          int k = 1;
          double r = k > 0 ? x * x : x * y;
          k = -1;
          r = k > 0 ? r * y : r * x;
          return r;
        }
        @Differentiable static double maxArgumentsOverwritten(double x, double y) {
          double a = x;
          double b = y;
          double r = Math.max(a * a, b) * x;
          a = b * 4;
          b = -3;
          return r * a + b;
        }
        @Differentiable static double conditionVariableOverwrittenAfterIf(double x, double y) {
          double a = x;
          double r = y;
          if (a > 0) {
            r = r * x;
          }
          a = -a;
          if (a > 0) {
            r = r * r;
          }
          return r + a;
        }
        @Differentiable static double innerConditionReadsOuterAssignment(double x, double y) {
          double a = y;
          double r = x;
          if (x > 0) {
            a = a * x;
            if (a > 1) {
              r = r * a;
            }
            a = a * 0.5;
          }
          return r * a;
        }
        @Differentiable static double sameNameInReturningBranches(double x) {
          if (x > 0) {
            double t = x * x;
            return t * x;
          } else {
            double t = -x;
            return t * t * t;
          }
        }
        @Differentiable static double hoistedLocalNameDeclaredAgain(double x) {
          double r = x;
          if (x > 0) {
            double t = x * x;
            r = t;
          }
          double t = r * x;
          return t * r;
        }
        @Differentiable static double localsNamedLikeGeneratedOnes(double x, double y) {
          double value = x * y;
          double dX = value * x;
          double branch = dX + y;
          double xBefore = branch * branch;
          double dProduct = xBefore * x;
          x = x * y;
          return dProduct + value + x;
        }
        @Differentiable static double selfAssignmentAndNegation(double x, double y) {
          double a = x;
          a = a;
          a = -a;
          x = x;
          a = a * a * x;
          return a + y;
        }
        @Differentiable static double compoundWithTernaryReadingTarget(double x, double y) {
          double a = x;
          a += x > 0 ? a * y : x;
          a *= a > 0 ? a : y;
          return a;
        }
        @Differentiable static double returnInIfInsideNonReturningBranch(double x, double y) {
          double a = x;
          if (x > 0) {
            double b = a * y;
            if (x > 1) {
              a = b * b;
            } else {
              return b * x;
            }
            a = a + b;
          }
          return a * y;
        }
        @Differentiable static double parametersAssignedInBranchReadLater(double x, double y) {
          double r = x * y;
          if (y > 0) {
            y = y * x;
            x = r;
          }
          return x * y * r;
        }
        @Differentiable static double overwriteBeforeEarlyReturn(double x, double y) {
          double a = x * y;
          a = a * a;
          if (x > 0) {
            a = a * x;
            return a;
          }
          a = a + y;
          return a * a;
        }
        @Differentiable static double booleanLocals(double x, double y) {
          boolean pos = x > 0;
          boolean both = pos && y > 0;
          double a = x;
          if (both) {
            a = a * y;
          }
          pos = !pos;
          if (pos) {
            a = a * a;
          }
          return a + (both ? y : x);
        }
        @Differentiable static float floatBranches(float x, float y) {
          float a = x * y;
          if (a > 1) {
            a = a * a;
          } else if (x > 0) {
            return a + x;
          }
          return a * y;
        }
      }
      """;

  @BeforeAll
  static void compile() {
    c = Compiled.of(source(CLS, SOURCE));
    // The same functions with activity and to-be-recorded analysis off: every overwrite saved,
    // every branch recorded. The gradients must be the same.
    unoptimised = Compiled.of(List.of("-Aadjoint.analyses=off"), source(CLS, SOURCE));
  }

  private static final String[] TWO_PARAMS = {
      "ternary", "nestedTernary", "ternaryInsideArithmetic", "ternaryAsMathArgument",
      "ternaryOnComputedCondition", "ifWithoutElse", "elseIfChain",
      "nestedBranchesWithAssignments", "localsDeclaredInBranches", "earlyReturnTopLevel",
      "earlyReturnsAtSeveralDepths", "returnInElseOnly", "returnInBothBranchesAfterWork",
      "overwrittenSeveralTimes", "overwrittenAfterNonlinearUseInBranch",
      "conditionReadsVariableAssignedInBranch", "conditionReadsParameterAssignedInBranch",
      "logicalOperatorsInConditions", "compoundAssignmentsInBranches", "emptyBranches",
      "selfCompoundInBranch", "ternaryConditionOverwritten", "intConditionOverwritten",
      "maxArgumentsOverwritten", "conditionVariableOverwrittenAfterIf",
      "innerConditionReadsOuterAssignment", "localsNamedLikeGeneratedOnes",
      "selfAssignmentAndNegation", "compoundWithTernaryReadingTarget",
      "returnInIfInsideNonReturningBranch", "parametersAssignedInBranchReadLater",
      "overwriteBeforeEarlyReturn", "booleanLocals"};

  @Test
  void allBranchesAtRandomPoints() {
    for (Compiled compiled : List.of(c, unoptimised)) {
      for (String f : TWO_PARAMS) {
        checkDoubles(compiled, CLS, f, 2, -3, 3, 40, f.hashCode());
      }
      checkDoubles(compiled, CLS, "relu", 1, -3, 3, 10, 1);
      checkDoubles(compiled, CLS, "ternaryWithConstantBranch", 1, -3, 3, 10, 2);
      checkDoubles(compiled, CLS, "sameLocalNameInSequentialBlocks", 1, -3, 3, 20, 3);
      checkDoubles(compiled, CLS, "sameNameInReturningBranches", 1, -3, 3, 20, 8);
      checkDoubles(compiled, CLS, "hoistedLocalNameDeclaredAgain", 1, -3, 3, 20, 9);
      checkDoubles(compiled, CLS, "clamp", 3, -3, 3, 40, 4);
      checkDoubles(compiled, CLS, "huber", 2, 0.1, 3, 20, 5);
      checkDoublesAt(compiled, CLS, "huber", -2.0, 1.0);
      checkDoublesAt(compiled, CLS, "huber", -0.5, 1.0);
      checkFloats(compiled, CLS, "floatBranches", 2, -3, 3, 40, 6);
      for (int n : new int[] {-1, 3, 4, 5}) {
        Check.random(compiled, CLS, "conditionOnIntegerCounter", wrt(0), -3, 3, 5, n, 0.0, n);
      }
      for (double t : new double[] {-1.5, 2.5}) {
        Check.random(compiled, CLS, "branchOnNoDerivativeParameter", wrt(0), -3, 3, 5, 7,
            0.0, t);
      }
    }
  }

  @Test
  void everyBranchIsTaken() {
    // nestedBranchesWithAssignments: one point per leaf branch
    double[][] points = {{1.5, 2}, {1.5, -2}, {-1, 2}, {-1, -2}};
    for (double[] p : points) {
      checkDoublesAt(c, CLS, "nestedBranchesWithAssignments", p);
      checkDoublesAt(unoptimised, CLS, "nestedBranchesWithAssignments", p);
    }
    // earlyReturnsAtSeveralDepths: each of the four returns
    double[][] returns = {{1, 2}, {2.5, -2}, {1, -2}, {1, 0.5}, {-1, 1}, {-1, -1}};
    for (double[] p : returns) {
      checkDoublesAt(c, CLS, "earlyReturnsAtSeveralDepths", p);
      checkDoublesAt(unoptimised, CLS, "earlyReturnsAtSeveralDepths", p);
    }
    // elseIfChain: each of the four branches
    for (double x : new double[] {-2, -0.5, 0.5, 2}) {
      checkDoublesAt(c, CLS, "elseIfChain", x, 1.3);
    }
  }

  @Test
  void exactValues() {
    Check.exact(c, CLS, "ternary", expect(9, 6, 0), 3.0, 1.0);
    Check.exact(c, CLS, "ternary", expect(3, 3, 1), 1.0, 3.0);
    Check.exact(c, CLS, "relu", expect(2, 1), 2.0);
    Check.exact(c, CLS, "relu", expect(0, 0), -2.0);
    // |x| <= delta: x^2 / 2, derivative x and 0; else delta (|x| - delta / 2)
    Check.exact(c, CLS, "huber", expect(0.125, 0.5, 0), 0.5, 1.0);
    Check.exact(c, CLS, "huber", expect(2.5, -1, 3 - 1), -3.0, 1.0);
    // clamp to [lo, hi] then square: the derivative goes to whichever value was selected
    Check.exact(c, CLS, "clamp", expect(4, 4, 0, 0), 2.0, 0.0, 5.0);
    Check.exact(c, CLS, "clamp", expect(1, 0, -2, 0), -3.0, -1.0, 5.0);
    Check.exact(c, CLS, "clamp", expect(25, 0, 0, 10), 7.0, 0.0, 5.0);
    // x = 3: a = 3 > 0, a = 7 > 0, a = 7y; result (x^2 - 2) y x:
    // d/dx = (3x^2 - 2) y = 25 * 2, d/dy = x^3 - 2x = 21
    Check.exact(c, CLS, "conditionReadsVariableAssignedInBranch", expect(42, 50, 21), 3.0, 2.0);
    // x = 1.2 > 1: a = -0.56 <= 0: a = -0.56 - y; result (x^2 - 2 - y) x
    // d/dx = 3x^2 - 2 - y = 4.32 - 2 - 2, d/dy = -x
    Check.exact(c, CLS, "conditionReadsVariableAssignedInBranch",
        expect((1.2 * 1.2 - 2 - 2) * 1.2, 3 * 1.44 - 4, -1.2), 1.2, 2.0);
    // x = 2 > 1: x = x y = 6, y = y^2 = 9; x > 1: x = 3; result (x y - 3) y^2:
    // d/dx = y^3 = 27, d/dy = x y^2 + 2 y (x y - 3) = 18 + 18 = 36
    Check.exact(c, CLS, "conditionReadsParameterAssignedInBranch", expect(27, 27, 36), 2.0, 3.0);
    // n = 5: k = 3 > 2, a = x^3, result 3 x^3 at 2: 24, d/dx = 9 x^2 = 36
    Check.exact(c, CLS, "conditionOnIntegerCounter", expect(24, 36), 2.0, 5);
    // n = 4: k = 2, a = x^2, result 2 x^2: 8, derivative 8
    Check.exact(c, CLS, "conditionOnIntegerCounter", expect(8, 8), 2.0, 4);
    // t = 2.5 > 0: a = t x, result t x^2: d/dx = 2 t x, no component for t
    Check.exact(c, CLS, "branchOnNoDerivativeParameter", expect(10, 10), 2.0, 2.5);
    Check.exact(c, CLS, "branchOnNoDerivativeParameter", expect(8, 12), 2.0, -1.0);
    // y > 0: b = (x y)^2, a = y: x^2 y^3; d/dx = 2 x y^3, d/dy = 3 x^2 y^2
    Check.exact(c, CLS, "overwrittenAfterNonlinearUseInBranch", expect(108, 108, 108), 2.0, 3.0);
    // y <= 0: b = e^(x y), a = x: x e^(x y); d/dx = e^(xy) (1 + x y), d/dy = x^2 e^(x y)
    double e = Math.exp(-2);
    Check.exact(c, CLS, "overwrittenAfterNonlinearUseInBranch",
        expect(2 * e, e * (1 - 2), 4 * e), 2.0, -1.0);
    // a = x y > 0: r = x^2 y, then a = -3 x y: r = -3 x^3 y^2
    Check.exact(c, CLS, "ternaryConditionOverwritten", expect(-24, -36, -48), 2.0, 1.0);
    // k = 1: r = x^2; k = -1: r = x^3, no dependence on y
    Check.exact(c, CLS, "intConditionOverwritten", expect(8, 12, 0), 2.0, 3.0);
  }

  @Test
  void unoptimisedGradientsAreIdentical() {
    java.util.Random random = new java.util.Random(99);
    for (String f : TWO_PARAMS) {
      for (int k = 0; k < 10; k++) {
        double x = -3 + 6 * random.nextDouble();
        double y = -3 + 6 * random.nextDouble();
        org.junit.jupiter.api.Assertions.assertArrayEquals(c.gradient(CLS, f, x, y),
            unoptimised.gradient(CLS, f, x, y), 1e-12 * (1 + Math.abs(x) + Math.abs(y)), f);
      }
    }
  }
}
