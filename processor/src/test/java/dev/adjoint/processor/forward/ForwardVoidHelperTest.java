package dev.adjoint.processor.forward;

import static dev.adjoint.processor.testing.Compiled.source;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Forward mode through {@code void} helpers that write an out-parameter ({@code dense(x, w, h)}):
 * the helper gets a JVP form (its out-parameter's new values and their tangent, on a copy), and
 * callers chain through it; checked against finite differences and reverse mode, analyses on and
 * off.
 */
class ForwardVoidHelperTest {
  private static final String CLS = "p.Vh";

  static JavaFileObject vhSource() {
    return source(CLS, """
        package p;
        import dev.adjoint.*;
        class Vh {
          @Differentiable
          static void dense(double[] x, double[] w, double[] out) {
            for (int j = 0; j < out.length; j++) {
              double s = out[j];
              for (int i = 0; i < x.length; i++) s += w[j * x.length + i] * x[i];
              out[j] = Math.tanh(s);
            }
          }
          @Differentiable(forward = true)
          static double net(double[] x, double[] w1, double[] w2) {
            double[] h = new double[2];
            h[0] = x[0];
            dense(x, w1, h);
            double[] o = new double[1];
            dense(h, w2, o);
            return o[0] * o[0];
          }
        }
        """);
  }

  @Test
  void jvpThroughAVoidHelper() {
    Object[] args = {new double[] {0.3, -0.7, 1.1}, new double[] {0.5, 1.5, -0.25, 0.2, -0.4,
        0.8}, new double[] {0.7, -1.2}};
    for (String analyses : new String[] {"on", "off"}) {
      Compiled c = Compiled.of(List.of("-A" + AdjointProcessor.ANALYSES_OPTION + "=" + analyses),
          vhSource());
      ForwardCheck check = new ForwardCheck(c, CLS, "net");
      Random random = new Random(11);
      for (int k = 0; k < 3; k++) {
        check.jvp(args, random);
      }
      // the helper's own JVP form leaves its out-parameter alone
      double[] out = {0.25, -0.5};
      c.invoke(CLS + "Grad", "denseJvp", args[0], args[1], out, new double[3], new double[6],
          new double[2]);
      assertArrayEquals(new double[] {0.25, -0.5}, out);
    }
  }
}
