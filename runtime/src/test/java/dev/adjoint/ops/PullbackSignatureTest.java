package dev.adjoint.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.DerivativeOf;
import dev.adjoint.NoDerivative;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every pullback in the package (of an op, or of an op's JVP) has the signature
 * {@link DerivativeOf} prescribes.
 */
class PullbackSignatureTest {
  @Test
  void pullbacksFollowTheDerivativeOfConvention() {
    int found = 0;
    for (Class<?> owner : List.of(Dense.class, Activations.class, Losses.class)) {
      for (Method pullback : owner.getDeclaredMethods()) {
        DerivativeOf d = pullback.getAnnotation(DerivativeOf.class);
        if (d == null) {
          continue;
        }
        found++;
        assertEquals(void.class, d.in(), pullback + " differentiates a function of its own class");
        Method f = only(owner, d.value());
        assertTrue(Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers()));
        assertTrue(Modifier.isPublic(pullback.getModifiers())
            && Modifier.isStatic(pullback.getModifiers()), pullback + " is public static");
        List<Class<?>> expected = new ArrayList<>(Arrays.asList(f.getParameterTypes()));
        expected.add(f.getReturnType());
        Parameter[] fp = f.getParameters();
        Parameter[] pp = pullback.getParameters();
        for (int i = 0; i < fp.length; i++) {
          Class<?> t = fp[i].getType();
          boolean floating = t == float[].class || t == double[].class;
          // (a JVP's scalar value, in the pullbacks of the losses' JVPs, has no derivative)
          assertTrue(t != float.class && t != double.class
              || pp[i].isAnnotationPresent(NoDerivative.class),
              "no differentiable scalar argument");
          if (floating && !pp[i].isAnnotationPresent(NoDerivative.class)) {
            expected.add(t);
          }
        }
        assertEquals(expected, Arrays.asList(pullback.getParameterTypes()), pullback.toString());
        assertEquals(void.class, pullback.getReturnType());
      }
    }
    // the ops' seven, and the pullbacks of their seven JVPs
    assertEquals(14, found, "pullbacks registered");
  }

  private static Method only(Class<?> owner, String name) {
    Method[] matches = Arrays.stream(owner.getDeclaredMethods())
        .filter(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()))
        .toArray(Method[]::new);
    assertEquals(1, matches.length, owner.getSimpleName() + "." + name + " is not overloaded");
    return matches[0];
  }
}
