package dev.adjoint.processor.numeric;

import static dev.adjoint.processor.numeric.Check.expect;
import static dev.adjoint.processor.numeric.Check.wrt;
import static dev.adjoint.processor.testing.Compiled.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.processor.testing.Compiled;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which parameters get a component in the gradient record: double and float ones unless
 * {@code @NoDerivative}; never integral or boolean ones. Names and order follow the parameters.
 */
class NoDerivativeTest {
  private static final String CLS = "p.Nd";
  private static Compiled c;

  @BeforeAll
  static void compile() {
    c = Compiled.of(source(CLS, """
        package p;
        import dev.adjoint.*;
        class Nd {
          @Differentiable static double mixed(double x, @NoDerivative double t, int n, boolean b,
              float y, @NoDerivative float u, long m, short s, byte k, char ch) {
            double r = x * t + y * u + n + m + s + k + ch;
            return b ? r * x : r * y;
          }
          @Differentiable static double allNoDerivative(@NoDerivative double a,
              @NoDerivative float b) {
            return a * b;
          }
          @Differentiable static double noParameters() { return 3.5; }
          @Differentiable static double onlyIntegral(int n, long m) { return n * 0.5 + m; }
          @Differentiable static double targetUsedNonlinearly(double w, @NoDerivative double t) {
            double e = Math.sin(w * t) - t;
            return e * e;
          }
          @Differentiable static double noDerivativeReassignedFromActive(double x,
              @NoDerivative double t) {
            t = t * x;
            return t * t;
          }
          @Differentiable static double namesLikeGeneratedOnes(double x, double dX, double dX2,
              double valueBefore, double dProduct) {
            double xBefore = x;
            x = x * dX;
            return x * dX2 * valueBefore * dProduct + xBefore;
          }
          @Differentiable static float floatComponents(float a, double b, @NoDerivative float c) {
            return (float) (a * b) * c;
          }
          @Differentiable static double unusedParameters(double used, double unused,
              @NoDerivative double alsoUnused) {
            return used * 2;
          }
          @Differentiable static double parameterOnlyInCondition(double x, double y) {
            return y > 0 ? x : -x;
          }
        }
        """));
  }

  @Test
  void componentsOnlyForDifferentiableFloatingParameters() {
    Object[] args = {2.0, 3.0, 1, true, 4.0f, 5.0f, 2L, (short) 3, (byte) 4, 'a'};
    assertEquals(List.of("value", "x", "y"), c.componentNames(CLS, "mixed", args));
    // r = x t + y u + 1 + 2 + 3 + 4 + 97, b: r x; d/dx = t x + r, d/dy = u x
    double r = 2 * 3 + 4 * 5 + 1 + 2 + 3 + 4 + 97;
    Check.exact(c, CLS, "mixed", expect(r * 2, 3 * 2 + r, 5 * 2), args);
    Object[] otherBranch = args.clone();
    otherBranch[3] = false;
    // r y: d/dx = t y, d/dy = u y + r
    Check.exact(c, CLS, "mixed", expect(r * 4, 3 * 4, 5 * 4 + r), otherBranch);
    Check.random(c, CLS, "mixed", wrt(0, 4), -2, 2, 5, 1, args);
  }

  @Test
  void recordWithoutPartials() {
    assertEquals(List.of("value"), c.componentNames(CLS, "allNoDerivative", 2.0, 3.0f));
    Check.exact(c, CLS, "allNoDerivative", expect(6), 2.0, 3.0f);
    assertEquals(List.of("value"), c.componentNames(CLS, "noParameters"));
    Check.exact(c, CLS, "noParameters", expect(3.5));
    assertEquals(List.of("value"), c.componentNames(CLS, "onlyIntegral", 3, 4L));
    Check.exact(c, CLS, "onlyIntegral", expect(5.5), 3, 4L);
  }

  @Test
  void noDerivativeValuesStillEnterOtherPartials() {
    assertEquals(List.of("value", "w"), c.componentNames(CLS, "targetUsedNonlinearly", 1.0, 1.0));
    // e = sin(w t) - t, d/dw e^2 = 2 e t cos(w t)
    double e = Math.sin(0.6) - 1.5;
    Check.exact(c, CLS, "targetUsedNonlinearly", expect(e * e, 2 * e * 1.5 * Math.cos(0.6)),
        0.4, 1.5);
    Check.random(c, CLS, "targetUsedNonlinearly", wrt(0), -2, 2, 10, 2, 0.0, 1.3);
  }

  @Test
  void noDerivativeParameterAssignedAnActiveValueCarriesIt() {
    // t = t0 x, result t0^2 x^2: d/dx = 2 t0^2 x
    Check.exact(c, CLS, "noDerivativeReassignedFromActive", expect(36, 36), 2.0, 3.0);
    Check.random(c, CLS, "noDerivativeReassignedFromActive", wrt(0), -2, 2, 10, 3, 0.0, -1.7);
  }

  @Test
  void componentNamesAreParameterNamesEvenWhenTheyLookGenerated() {
    assertEquals(List.of("value", "x", "dX", "dX2", "valueBefore", "dProduct"),
        c.componentNames(CLS, "namesLikeGeneratedOnes", 1.0, 2.0, 3.0, 4.0, 5.0));
    // x dX dX2 vB dP + x: d/dx = dX dX2 vB dP + 1 = 121, d/d(dX) = x dX2 vB dP = 60, ...
    Check.exact(c, CLS, "namesLikeGeneratedOnes", expect(121, 121, 60, 40, 30, 24),
        1.0, 2.0, 3.0, 4.0, 5.0);
    Check.random(c, CLS, "namesLikeGeneratedOnes", wrt(0, 1, 2, 3, 4), -2, 2, 10, 4,
        0.0, 0.0, 0.0, 0.0, 0.0);
  }

  @Test
  void componentTypesFollowParameterTypes() {
    Object record = c.invoke(CLS + "Grad", "floatComponents", 2.0f, 3.0, 0.5f);
    RecordComponent[] comps = record.getClass().getRecordComponents();
    assertEquals(List.of("value:float", "a:float", "b:double"), Arrays.stream(comps)
        .map(rc -> rc.getName() + ":" + rc.getType()).toList());
    // (float) (a b) c: d/da = b c, d/db = a c
    Check.exactFloat(c, CLS, "floatComponents", expect(3, 1.5, 1), 2.0f, 3.0, 0.5f);
  }

  @Test
  void unusedAndConditionOnlyParametersHaveZeroPartials() {
    Check.exact(c, CLS, "unusedParameters", expect(4, 2, 0), 2.0, 5.0, 7.0);
    assertEquals(List.of("value", "used", "unused"),
        c.componentNames(CLS, "unusedParameters", 2.0, 5.0, 7.0));
    Check.exact(c, CLS, "parameterOnlyInCondition", expect(2, 1, 0), 2.0, 5.0);
    Check.exact(c, CLS, "parameterOnlyInCondition", expect(-2, -1, 0), 2.0, -5.0);
  }
}
