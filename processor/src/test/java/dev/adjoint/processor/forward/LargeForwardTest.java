package dev.adjoint.processor.forward;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.ClassFileCode;
import dev.adjoint.processor.testing.Compiled;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A long function's JVP and directional derivative (the forward code of its HVP) are split into
 * parts as its gradient is, so that every generated method stays below the 8,000 bytes of
 * bytecode up to which HotSpot compiles a method (above, it would run interpreted), and still
 * computes the same products.
 */
class LargeForwardTest {
  /** HotSpot's {@code -XX:HugeMethodLimit}: larger methods are never compiled. */
  private static final int HUGE_METHOD = 8_000;

  private static String source(int n) {
    StringBuilder sb = new StringBuilder();
    sb.append("package p;\nimport dev.adjoint.Differentiable;\nfinal class Long {\n");
    sb.append("  @Differentiable(forward = true, hessian = true)\n");
    sb.append("  static double f(double x, double[] w) {\n");
    sb.append("    double s = x;\n    double t = 0.5;\n");
    sb.append("    for (int i = 0; i < w.length; i++) {\n");
    for (int k = 0; k < n; k++) {
      switch (k % 4) {
        case 0 -> sb.append("      double a").append(k).append(" = s * t + w[i];\n");
        case 1 -> sb.append("      s = s * 0.99 + Math.sin(a").append(k - 1)
            .append(") * 0.01;\n");
        case 2 -> sb.append("      t = Math.tanh(t + s * a").append(k - 2).append(");\n");
        default -> sb.append("      s = s / (1 + t * t);\n");
      }
    }
    sb.append("    }\n    return s * t;\n  }\n}\n");
    return sb.toString();
  }

  @Test
  void longJvpAndDirectionalMethodsAreSplitBelowTheJitLimit() {
    Compiled c = Compiled.of(JavaFileObjects.forSourceString("p.Long", source(400)));
    String generated = c.generatedSource("p.LongGrad");
    assertTrue(generated.contains("FJvpParts"), "the JVP is not split");
    assertTrue(generated.contains("FDirectionalValueParts"),
        "the directional derivative is not split");
    // (a JVP's parts are not a gradient's: they say what they split and why)
    assertTrue(generated.contains("The body of {@code fJvp} in "), generated);
    assertTrue(generated.contains("The body of {@code fDirectional} in "), generated);
    assertTrue(generated.contains("as HotSpot does not compile methods of more than 8 KB"));
    assertTrue(!generated.contains("The gradient of {@code fJvp}"), "a JVP called a gradient");
    for (String cls : new String[] {"p.LongGrad", "p.LongGrad$DirectionalDerivatives",
        "p.LongGrad$FJvpParts", "p.LongGrad$FDirectionalValueParts"}) {
      for (Map.Entry<String, Integer> m : ClassFileCode.of(c.classFile(cls)).codeLengths()
          .entrySet()) {
        assertTrue(m.getValue() <= HUGE_METHOD, cls + "." + m.getKey() + ": " + m.getValue()
            + " bytes of code");
      }
    }
    ForwardCheck check = new ForwardCheck(c, "p.Long", "f");
    Random random = new Random(5);
    Object[] args = {0.3, new double[] {0.2, -0.4, 0.7}};
    check.jvp(args, random);
    check.hvp(args, random);
  }
}
