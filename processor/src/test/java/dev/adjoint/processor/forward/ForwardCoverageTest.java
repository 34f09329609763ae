package dev.adjoint.processor.forward;

import dev.adjoint.processor.testing.Compiled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JVPs ({@code forward = true}) and Hessian-vector products ({@code hessian = true}) of the
 * constructs reverse mode gained after forward mode: layer loops (array variables reassigned,
 * arrays allocated in loops and branches) through array-valued callees, {@code switch},
 * assignments inside expressions, parameters written in place (1-D and 2-D), {@code void}
 * helpers with out-parameters (at the top level and in loops), {@code clone()} and
 * {@code Arrays.copyOf}, {@code pow}, floats. Each function is compiled on its own, with the
 * analyses on and off; the JVP is checked against central finite differences of the function
 * and the reverse-mode gradient, the HVP against central finite differences of the gradient
 * and for symmetry.
 */
class ForwardCoverageTest {
  static final Map<String, String[]> CASES = new LinkedHashMap<>();
  static final Map<String, Object[]> ARGS = new LinkedHashMap<>();

  static void add(String name, Object[] args, String... body) {
    CASES.put(name, body);
    ARGS.put(name, args);
  }

  static {
    add("layers", new Object[] {new double[] {0.3, -0.5, 0.7}, new double[][] {{0.5, 1.2, -0.4}, {0.9, -0.3, 0.6}}},
        "@Differentiable(forward = true)",
        "static double[] layer(double[] h, double[] w) {",
        "  double[] out = new double[h.length];",
        "  for (int i = 0; i < h.length; i++) out[i] = Math.tanh(w[i] * h[i] + 0.1 * h[(i + 1) % h.length]);",
        "  return out;",
        "}",
        "@Differentiable(forward = true, hessian = true)",
        "static double layers(double[] x, double[][] w) {",
        "  double[] h = x;",
        "  for (int l = 0; l < w.length; l++) h = layer(h, w[l]);",
        "  double s = 0; for (double v : h) s += v * v; return s;",
        "}");
    add("layersInline", new Object[] {new double[] {0.3, -0.5, 0.7}, new double[][] {{0.5, 1.2, -0.4}, {0.9, -0.3, 0.6}}},
        "@Differentiable(forward = true, hessian = true)",
        "static double layersInline(double[] x, double[][] w) {",
        "  double[] h = x;",
        "  for (int l = 0; l < w.length; l++) {",
        "    double[] out = new double[h.length];",
        "    for (int i = 0; i < h.length; i++) out[i] = Math.tanh(w[l][i] * h[i] + 0.1 * h[(i + 1) % h.length]);",
        "    h = out;",
        "  }",
        "  double s = 0; for (double v : h) s += v * v; return s;",
        "}");
    add("allocInLoop", new Object[] {new double[] {0.3, -0.5, 0.7}, 0.8},
        "@Differentiable(forward = true, hessian = true)",
        "static double allocInLoop(double[] x, double c) {",
        "  double s = 0;",
        "  for (int k = 0; k < 3; k++) {",
        "    double[] t = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) t[i] = Math.sin(x[i] * c + k);",
        "    s += t[k % x.length] * t[0];",
        "  }",
        "  return s;",
        "}");
    add("allocInBranch", new Object[] {new double[] {0.3, -0.5, 0.7}, 0.8},
        "@Differentiable(forward = true, hessian = true)",
        "static double allocInBranch(double[] x, double c) {",
        "  double[] t = x;",
        "  if (c > 0) {",
        "    t = new double[x.length];",
        "    for (int i = 0; i < x.length; i++) t[i] = x[i] * x[i] * c;",
        "  }",
        "  return t[0] * t[1] + c * t[2];",
        "}");
    add("switches", new Object[] {0.7, 1.3, 1},
        "@Differentiable(forward = true, hessian = true)",
        "static double switches(double x, double y, int k) {",
        "  double r;",
        "  switch (k) { case 0: r = x * y; break; case 1: r = Math.sin(x) * y; break; default: r = x / y; }",
        "  double q = switch (k % 2) { case 0 -> r * r; default -> { double z = r * x; yield z * z; } };",
        "  return q + r;",
        "}");
    add("exprAssign", new Object[] {0.7, 1.3},
        "@Differentiable(forward = true, hessian = true)",
        "static double exprAssign(double x, double y) {",
        "  double a, b;",
        "  a = b = x * y;",
        "  double c = (a = a * x) + b;",
        "  c += (b *= y);",
        "  return c * a;",
        "}");
    add("inPlace", new Object[] {new double[] {0.3, -0.5, 0.7}, 0.8},
        "@Differentiable(forward = true, hessian = true)",
        "static double inPlace(double[] x, double c) {",
        "  for (int i = 0; i < x.length; i++) x[i] = x[i] * c + Math.sin(x[i]);",
        "  double s = 0; for (double v : x) s += v * v; return s;",
        "}");
    add("inPlace2d", new Object[] {new double[][] {{0.3, -0.5}, {0.7, 0.2}}, 0.8},
        "@Differentiable(forward = true, hessian = true)",
        "static double inPlace2d(double[][] w, double c) {",
        "  for (int i = 0; i < w.length; i++) for (int j = 0; j < w[i].length; j++) w[i][j] *= c * w[i][j];",
        "  return w[0][0] * w[1][1] + w[0][1];",
        "}");
    add("outParam", new Object[] {new double[] {0.3, -0.5, 0.7}, 0.8},
        "@Differentiable(forward = true)",
        "static void fill(double[] x, double c, double[] out) {",
        "  for (int i = 0; i < out.length; i++) out[i] = Math.tanh(c * x[i]);",
        "}",
        "@Differentiable(forward = true, hessian = true)",
        "static double outParam(double[] x, double c) {",
        "  double[] o = new double[x.length];",
        "  fill(x, c, o);",
        "  double s = 0; for (double v : o) s += v * v * x[0]; return s;",
        "}");
    add("outParamLoop", new Object[] {new double[] {0.3, -0.5, 0.7}, 0.8},
        "@Differentiable(forward = true)",
        "static void fill(double[] x, double c, double[] out) {",
        "  for (int i = 0; i < out.length; i++) out[i] = Math.tanh(c * x[i]);",
        "}",
        "@Differentiable(forward = true, hessian = true)",
        "static double outParamLoop(double[] x, double c) {",
        "  double[] o = new double[x.length];",
        "  double s = 0;",
        "  for (int k = 0; k < 2; k++) { fill(x, c + k, o); s += o[k] * x[k]; }",
        "  return s;",
        "}");
    add("cloned", new Object[] {new double[] {0.3, -0.5, 0.7}, 0.8},
        "@Differentiable(forward = true, hessian = true)",
        "static double cloned(double[] x, double c) {",
        "  double[] y = x.clone();",
        "  for (int i = 0; i < y.length; i++) y[i] *= c * y[i];",
        "  double[] z = java.util.Arrays.copyOf(y, y.length);",
        "  z[0] += Math.exp(c);",
        "  double s = 0; for (int i = 0; i < z.length; i++) s += z[i] * x[i]; return s;",
        "}");
    add("clone2d", new Object[] {new double[][] {{0.3, -0.5}, {0.7, 0.2}}, 0.8},
        "@Differentiable(forward = true, hessian = true)",
        "static double clone2d(double[][] w, double c) {",
        "  double[] r = w[1].clone();",
        "  r[0] *= c;",
        "  return r[0] * r[1] * w[0][0];",
        "}");
    add("arrayCall", new Object[] {new double[] {0.3, -0.5, 0.7}, 0.8},
        "@Differentiable(forward = true)",
        "static double[] sq(double[] x, double c) {",
        "  double[] r = new double[x.length];",
        "  for (int i = 0; i < x.length; i++) r[i] = x[i] * x[i] * c;",
        "  return r;",
        "}",
        "@Differentiable(forward = true, hessian = true)",
        "static double arrayCall(double[] x, double c) {",
        "  double[] y = sq(x, c);",
        "  double s = 0; for (int i = 0; i < y.length; i++) s += Math.sin(y[i]) * x[i]; return s;",
        "}");
    add("powers", new Object[] {0.7, 1.3},
        "@Differentiable(forward = true, hessian = true)",
        "static double powers(double x, double y) {",
        "  return Math.pow(x, y) + Math.pow(x * y, 3) + Math.pow(2.5, x) + Math.pow(y, 0.5);",
        "}");
    add("floats", new Object[] {new float[] {0.3f, -0.5f, 0.7f}, 0.8f},
        "@Differentiable(forward = true, hessian = true)",
        "static float floats(float[] x, float c) {",
        "  float[] h = x;",
        "  for (int l = 0; l < 2; l++) { float[] o = new float[h.length]; for (int i = 0; i < o.length; i++) o[i] = (float) Math.tanh(h[i] * c); h = o; }",
        "  return h[0] * h[1] + h[2];",
        "}");
  }

  static Stream<Arguments> cases() {
    return CASES.keySet().stream().map(Arguments::of);
  }

  private static JavaFileObject source(String cls, String... body) {
    List<String> lines = new ArrayList<>(List.of("package p;", "import dev.adjoint.*;",
        "class " + cls + " {"));
    lines.addAll(List.of(body));
    lines.add("}");
    return Compiled.source("p." + cls, lines.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void jvpAndHvpMatchFiniteDifferences(String name) {
    String cls = "C" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    JavaFileObject src = source(cls, CASES.get(name));
    for (List<String> options : List.of(List.<String>of(), List.of("-Aadjoint.analyses=off"))) {
      Compiled c = Compiled.of(options, src);
      ForwardCheck check = new ForwardCheck(c, "p." + cls, name);
      Random random = new Random(name.hashCode());
      for (int k = 0; k < 2; k++) {
        check.jvp(ARGS.get(name), random);
        check.hvp(ARGS.get(name), random);
      }
    }
  }

  /** (Once an error, AdjointHessianRuntimeOp: the ops' JVPs now have pullbacks.) */
  @Test
  void hessianThroughARuntimeOp() {
    JavaFileObject src = source("Ops",
        "@Differentiable(forward = true, hessian = true)",
        "static float ops(float[] x, float c) {",
        "  float[] z = new float[x.length];",
        "  for (int i = 0; i < x.length; i++) z[i] = x[i] * c;",
        "  float[] h = dev.adjoint.ops.Activations.tanh(z);",
        "  return h[0] * h[1] + h[2];",
        "}");
    Compiled c = Compiled.of(src);
    ForwardCheck check = new ForwardCheck(c, "p.Ops", "ops");
    Random random = new Random(8);
    Object[] args = {new float[] {0.3f, -0.6f, 0.9f}, 0.8f};
    for (int k = 0; k < 2; k++) {
      check.jvp(args, random);
      check.hvp(args, random);
    }
  }
}
