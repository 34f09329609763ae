package dev.adjoint.processor.records;

import static dev.adjoint.processor.records.RecordsTest.newRecord;
import static dev.adjoint.processor.records.RecordsTest.random;

import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.RecordGradientCheck;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Records in the ways model code reads them: for-each over a component, row aliases of a
 * component, components as loop bounds and as arguments of array helpers, records of
 * configuration only, float models. Every partial against finite differences.
 */
class RecordIdiomsTest {
  static final JavaFileObject IDIOMS = Compiled.source("rec.Idioms",
      "package rec;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "public final class Idioms {",
      "  public record Config(int layers, boolean square) {}",
      "  public record Net(double[][] w, double[] b, Config config) {}",
      "  public record Small(float[] w, float scale) {}",
      "  @Differentiable public static double[] affine(double[] x, double[][] w, double[] b) {",
      "    double[] z = new double[b.length];",
      "    for (int j = 0; j < b.length; j++) {",
      "      z[j] = b[j];",
      "      for (int i = 0; i < x.length; i++) {",
      "        z[j] += w[j][i] * x[i];",
      "      }",
      "    }",
      "    return z;",
      "  }",
      "  @Differentiable public static double idioms(Net net, @NoDerivative double[] x) {",
      "    double s = 0;",
      "    for (double[] row : net.w()) {",
      "      for (double v : row) {",
      "        s += v * v;",
      "      }",
      "    }",
      "    double[] first = net.w()[0];",
      "    for (int l = 0; l < net.config().layers(); l++) {",
      "      s += first[l % first.length] * net.b()[l % net.b().length];",
      "    }",
      "    double[] z = affine(x, net.w(), net.b());",
      "    for (double v : z) {",
      "      s += net.config().square() ? v * v : Math.tanh(v);",
      "    }",
      "    return s + Math.exp(net.w().length * 0.1);",
      "  }",
      "  @Differentiable public static double configOnly(double x, Config c) {",
      "    return c.square() ? x * x * c.layers() : x;",
      "  }",
      "  @Differentiable public static float small(Small s, @NoDerivative float[] x) {",
      "    float acc = 0;",
      "    for (int i = 0; i < x.length; i++) {",
      "      acc += s.w()[i] * x[i];",
      "    }",
      "    return s.scale() * (float) Math.tanh(acc);",
      "  }",
      "}");

  @Test
  void modelCodeIdiomsOverRecordsMatchFiniteDifferences() throws Exception {
    for (List<String> options : List.of(List.<String>of(), List.of("-Aadjoint.analyses=off"))) {
      Compiled c = Compiled.of(options, IDIOMS);
      Random r = new Random(13);
      for (boolean square : new boolean[] {false, true}) {
        Object config = newRecord(c, "rec.Idioms$Config", 3, square);
        Object net = newRecord(c, "rec.Idioms$Net",
            new double[][] {random(r, 2), random(r, 2)}, random(r, 2), config);
        RecordGradientCheck.check(c, "rec.Idioms", "idioms", null, List.of("x"), net,
            random(r, 2));
        RecordGradientCheck.check(c, "rec.Idioms", "configOnly", null, List.of(), 0.7, config);
      }
      Object small = newRecord(c, "rec.Idioms$Small", new float[] {0.3f, -0.5f, 0.8f}, 1.5f);
      RecordGradientCheck.check(c, "rec.Idioms", "small", null, List.of("x"), small,
          new float[] {0.2f, 0.4f, -0.6f});
    }
  }
}
