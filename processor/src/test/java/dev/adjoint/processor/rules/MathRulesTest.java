package dev.adjoint.processor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Var;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rule table against {@code java.lang.Math}: every entry is a real function, with one partial
 * per argument.
 */
class MathRulesTest {
  @Test
  void everyRuleIsAMathFunctionAndGivesOnePartialPerArgument() {
    String[] names = MathRules.supportedNames().split(", ");
    assertTrue(names.length >= 29, MathRules.supportedNames());
    for (String name : names) {
      Method m = doubleOverload(name);
      assertTrue(MathRules.hasRule("java.lang.Math", name), name);
      assertTrue(MathRules.hasRule("java.lang.StrictMath", name), name);
      List<Expr> args = new ArrayList<>();
      for (int i = 0; i < m.getParameterCount(); i++) {
        args.add(new Expr.Read(new Var("x" + i, "x" + i, Type.DOUBLE, Var.Kind.PARAMETER)));
      }
      Expr.LibraryCall call = new Expr.LibraryCall("Math", name, List.copyOf(args), Type.DOUBLE);
      assertEquals(m.getParameterCount(), MathRules.partials(call).size(), name);
    }
  }

  @Test
  void onlyMathAndStrictMathHaveRules() {
    assertFalse(MathRules.hasRule("java.lang.Double", "sin"));
    assertFalse(MathRules.hasRule("java.lang.Math", "ulp"));
  }

  private static Method doubleOverload(String name) {
    for (Method m : Math.class.getMethods()) {
      if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())
          && m.getReturnType() == double.class && m.getParameterCount() > 0
          && List.of(m.getParameterTypes()).stream().allMatch(p -> p == double.class)) {
        return m;
      }
    }
    throw new AssertionError("no double " + name + " in java.lang.Math");
  }
}
