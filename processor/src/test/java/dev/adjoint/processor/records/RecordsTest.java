package dev.adjoint.processor.records;

import static dev.adjoint.processor.testing.RecordGradientCheck.component;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.RecordGradientCheck;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records as differentiable values, {@code @Differentiable} instance methods of records, and
 * their accumulating form: every partial against central finite differences, with the analyses
 * on and off.
 */
class RecordsTest {
  static final JavaFileObject MODELS = Compiled.source("rec.Models",
      "package rec;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "public final class Models {",
      "  public record Params(double[] w1, double[] b1, double[][] w2, double b2, int n,",
      "      boolean relu, long tag, int[] order) {}",
      "  public record Inner(double[][] v, double c) {}",
      "  public record Outer(Inner inner, double[] u, float f) {}",
      "  /** A two-layer network's squared error on one example; hidden size n. */",
      "  @Differentiable public static double loss(Params p, @NoDerivative double[] x,",
      "      double target) {",
      "    double out = p.b2();",
      "    for (int j = 0; j < p.n(); j++) {",
      "      double z = p.b1()[j];",
      "      for (int i = 0; i < x.length; i++) {",
      "        z += p.w2()[j][i] * x[i];",
      "      }",
      "      double h = p.relu() ? Math.max(0, z) : Math.tanh(z);",
      "      out += p.w1()[p.order()[j]] * h;",
      "    }",
      "    double e = out - target;",
      "    return e * e;",
      "  }",
      "  @Differentiable public static double nested(Outer o, double s) {",
      "    Inner in = o.inner();",
      "    double acc = in.c() * s + o.f();",
      "    for (int i = 0; i < o.u().length; i++) {",
      "      acc += Math.sin(o.u()[i] * in.v()[i][0]) * o.inner().v()[i][1];",
      "    }",
      "    return acc * acc;",
      "  }",
      "  @Differentiable public static double twoRecords(Inner a, @NoDerivative Inner b) {",
      "    return a.c() * b.c() + a.v()[0][0] * b.v()[0][0] + helper(a, a.c());",
      "  }",
      "  @Differentiable public static double created(double[][] v, double c, double s) {",
      "    Inner in = new Inner(v, c * s);",
      "    Outer o = new Outer(in, v[1], 0.5f);",
      "    return helper(new Inner(v, o.inner().c() + 1), s) + nested(o, c)",
      "        + new Inner(v, s * s).c();",
      "  }",
      "  public record Pair(double[] h, double s, int n) {}",
      "  /** A layer that returns its activations and their sum of squares. */",
      "  @Differentiable public static Pair forward(Params p, double[] x) {",
      "    double[] h = new double[p.n()];",
      "    double s = 0;",
      "    for (int j = 0; j < p.n(); j++) {",
      "      h[j] = Math.tanh(p.w1()[j] * x[j % x.length] + p.b1()[j]);",
      "      s += h[j] * h[j];",
      "    }",
      "    return new Pair(h, s * p.b2(), p.n());",
      "  }",
      "  /** A matrix result overwritten in place: the reverse sweep restores it (analyses off). */",
      "  @Differentiable public static Inner squares(Inner a) {",
      "    double[][] m = new double[a.v().length][2];",
      "    for (int i = 0; i < m.length; i++) {",
      "      m[i][0] = a.v()[i][0] * a.c();",
      "      m[i][0] = m[i][0] * m[i][0];",
      "      m[i][1] = Math.sin(a.v()[i][1]);",
      "    }",
      "    return new Inner(m, a.c());",
      "  }",
      "  @Differentiable public static Inner passThrough(Inner a, double k) {",
      "    Inner b = new Inner(a.v(), a.c() * k);",
      "    return b;",
      "  }",
      "  @Differentiable public static double helper(Inner a, double k) {",
      "    return Math.exp(a.v()[1][1] * k);",
      "  }",
      "}");

  static final JavaFileObject MLP = Compiled.source("rec.Mlp",
      "package rec;",
      "import dev.adjoint.Differentiable;",
      "import dev.adjoint.NoDerivative;",
      "/** A model as a record: weights per layer, loss and layer methods. */",
      "public record Mlp(double[][] w, double[] b, Scale scale, int hidden) {",
      "  public record Scale(double a, double[] per) {}",
      "  @Differentiable double layer(double[] x, int j) {",
      "    double z = b[j];",
      "    for (int i = 0; i < x.length; i++) {",
      "      z += w[j][i] * x[i];",
      "    }",
      "    return Math.tanh(z) * scale.per()[j];",
      "  }",
      "  @Differentiable double loss(@NoDerivative double[] x, @NoDerivative double[] y) {",
      "    double sum = 0;",
      "    for (int j = 0; j < hidden; j++) {",
      "      double d = (j % 2 == 0 ? this.layer(x, j) : layer(x, j)) * scale().a() - y[j];",
      "      sum += d * d;",
      "    }",
      "    return sum;",
      "  }",
      "  /** Tail-recursive over the units: the accumulating form with the caller's buffers. */",
      "  @Differentiable double tail(@NoDerivative double[] x, double acc, int j) {",
      "    if (j == hidden) {",
      "      return acc * scale.a();",
      "    }",
      "    return tail(x, acc + layer(x, j) * b[j], j + 1);",
      "  }",
      "  @Differentiable static double penalty(Mlp m, double lambda) {",
      "    return lambda * m.loss(new double[] {1, 2}, new double[] {0.5, -0.5, 1});",
      "  }",
      "}");

  static Stream<Arguments> analyses() {
    return Stream.of(Arguments.of(List.of()), Arguments.of(List.of("-Aadjoint.analyses=off")));
  }

  @ParameterizedTest
  @MethodSource("analyses")
  void recordParameterPartialsMatchFiniteDifferences(List<String> options) throws Exception {
    Compiled c = Compiled.of(options, MODELS);
    Random r = new Random(3);
    for (boolean relu : new boolean[] {false, true}) {
      Object p = newRecord(c, "rec.Models$Params", random(r, 4), random(r, 3),
          new double[][] {random(r, 2), random(r, 2), random(r, 2)}, 0.3, 3, relu, 7L,
          new int[] {2, 0, 3});
      RecordGradientCheck.check(c, "rec.Models", "loss", null, List.of("x"), p,
          random(r, 2), 0.25);
    }
    Object inner = newRecord(c, "rec.Models$Inner",
        new double[][] {random(r, 2), random(r, 2), random(r, 2)}, 0.7);
    Object outer = newRecord(c, "rec.Models$Outer", inner, random(r, 3), 0.5f);
    RecordGradientCheck.check(c, "rec.Models", "nested", null, List.of(), outer, 1.3);
    Object other = newRecord(c, "rec.Models$Inner",
        new double[][] {random(r, 2), random(r, 2)}, -0.4);
    RecordGradientCheck.check(c, "rec.Models", "twoRecords", null, List.of("b"), inner, other);
    Object params = newRecord(c, "rec.Models$Params", random(r, 4), random(r, 4),
        new double[][] {random(r, 2)}, 0.3, 4, false, 7L, new int[] {0, 1, 2, 3});
    RecordGradientCheck.check(c, "rec.Models", "forward", null, List.of(), params,
        random(r, 3));
    RecordGradientCheck.check(c, "rec.Models", "squares", null, List.of(), inner);
    RecordGradientCheck.check(c, "rec.Models", "passThrough", null, List.of(), inner, 1.7);
    RecordGradientCheck.check(c, "rec.Models", "created", null, List.of(),
        new double[][] {random(r, 2), random(r, 2), random(r, 2)}, 0.4, -0.6);
  }

  @ParameterizedTest
  @MethodSource("analyses")
  void instanceMethodsOfARecordGetSelfPartials(List<String> options) throws Exception {
    Compiled c = Compiled.of(options, MLP);
    Random r = new Random(5);
    Object scale = newRecord(c, "rec.Mlp$Scale", 1.5, random(r, 3));
    Object mlp = newRecord(c, "rec.Mlp", new double[][] {random(r, 2), random(r, 2),
        random(r, 2)}, random(r, 3), scale, 3);
    RecordGradientCheck.check(c, "rec.Mlp", "loss", mlp, List.of("x", "y"),
        new double[] {0.3, -0.8}, new double[] {0.1, 0.2, -0.3});
    RecordGradientCheck.check(c, "rec.Mlp", "layer", mlp, List.of(), random(r, 2), 1);
    RecordGradientCheck.check(c, "rec.Mlp", "penalty", null, List.of(), mlp, 0.7);
    RecordGradientCheck.check(c, "rec.Mlp", "tail", mlp, List.of("x"),
        new double[] {0.3, -0.8}, 0.4, 0);
    assertTrue(c.generatedSource("rec.MlpGrad").contains(
        "return MlpGrad.tail(self, x, acc + layerValue * b[j], j + 1, tailGradient)")
        || c.generatedSource("rec.MlpGrad").contains("new TailAccumulator(new Mlp("),
        "the tail call passes the caller's buffers:\n" + c.generatedSource("rec.MlpGrad"));
  }

  @ParameterizedTest
  @MethodSource("analyses")
  void theAccumulatorIsARecordOfBuffersThatCallsAddInto(List<String> options) throws Exception {
    Compiled c = Compiled.of(options, MLP);
    Random r = new Random(9);
    Object scale = newRecord(c, "rec.Mlp$Scale", 0.5, random(r, 2));
    Object mlp = newRecord(c, "rec.Mlp", new double[][] {random(r, 2), random(r, 2)},
        random(r, 2), scale, 2);
    double[] x = {0.4, 0.1};
    double[] y = {0.2, -0.1};
    Object once = c.invoke("rec.MlpGrad", "loss", mlp, x, y);
    Object self = component(once, "self");
    Class<?> acc = c.load("rec.MlpGrad$LossAccumulator");
    Object gradient = acc.getMethod("zerosLike", c.load("rec.Mlp")).invoke(null, mlp);
    var loss = c.load("rec.MlpGrad").getMethod("loss", c.load("rec.Mlp"), double[].class,
        double[].class, acc);
    Object buffers = component(acc.getField("self").get(gradient), "w");
    double value = (double) loss.invoke(null, mlp, x, y, gradient);
    loss.invoke(null, mlp, x, y, gradient);
    assertEquals((double) component(once, "value"), value);
    Object twice = acc.getField("self").get(gradient);
    // The arrays are the caller's buffers, reused: the same objects after both calls.
    assertSame(buffers, component(twice, "w"));
    double[][] w1 = (double[][]) component(self, "w");
    double[][] w2 = (double[][]) component(twice, "w");
    for (int j = 0; j < w1.length; j++) {
      for (int i = 0; i < w1[j].length; i++) {
        assertEquals(2 * w1[j][i], w2[j][i], 1e-12);
      }
    }
    assertEquals(2 * (double) component(component(self, "scale"), "a"),
        (double) component(component(twice, "scale"), "a"), 1e-12);
    assertEquals(2, component(twice, "hidden"));
    acc.getMethod("clear").invoke(gradient);
    Object cleared = acc.getField("self").get(gradient);
    assertArrayEquals(new double[2], ((double[][]) component(cleared, "w"))[0]);
    assertEquals(0.0, (double) component(component(cleared, "scale"), "a"));
  }

  static Object newRecord(Compiled c, String name, Object... values) throws Exception {
    Class<?> type = c.load(name);
    var comps = type.getRecordComponents();
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      types[i] = comps[i].getType();
    }
    Constructor<?> k = type.getDeclaredConstructor(types);
    k.setAccessible(true);
    return k.newInstance(values);
  }

  static double[] random(Random r, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble() * 2 - 1;
    }
    return a;
  }
}
