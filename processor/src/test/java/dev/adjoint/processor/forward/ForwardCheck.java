package dev.adjoint.processor.forward;

import dev.adjoint.NoDerivative;
import dev.adjoint.processor.testing.Compiled;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Numeric checks of generated JVP and HVP forms, for any signature: the JVP against central
 * finite differences of the function along the tangent and against the reverse-mode gradient
 * ({@code seed · J t == (Jᵀ seed) · t}); the HVP against central finite differences of the
 * generated gradient along the direction, and for symmetry ({@code u·Hv == v·Hu}).
 */
public final class ForwardCheck {
  private final Compiled c;
  private final String cls;
  private final Method original;
  private final boolean[] differentiable;
  private final boolean floats;

  public ForwardCheck(Compiled c, String cls, String method) {
    this.c = c;
    this.cls = cls;
    Method found = null;
    for (Method m : c.load(cls).getDeclaredMethods()) {
      if (m.getName().equals(method)) {
        found = m;
      }
    }
    if (found == null) {
      throw new AssertionError("no method " + method);
    }
    original = found;
    Class<?>[] types = original.getParameterTypes();
    differentiable = new boolean[types.length];
    boolean f = original.getReturnType() == float.class
        || original.getReturnType() == float[].class;
    for (int i = 0; i < types.length; i++) {
      Class<?> e = types[i];
      while (e.isArray()) {
        e = e.getComponentType();
      }
      differentiable[i] = (e == double.class || e == float.class)
          && !original.getParameters()[i].isAnnotationPresent(NoDerivative.class);
      f |= differentiable[i] && e == float.class;
    }
    floats = f;
  }

  /** Checks {@code fJvp} at {@code args} along random tangents. */
  public void jvp(Object[] args, Random random) {
    Object[] t = randomLike(args, random);
    Object r = invoke(cls + "Grad", original.getName() + "Jvp", concat(args, t));
    Object value = component(r, "value");
    Object tangent = component(r, "tangent");
    Object expected = invoke(cls, original.getName(), copy(args));
    if (!Arrays.deepEquals(new Object[] {value}, new Object[] {expected})) {
      throw new AssertionError("JVP value " + show(value) + " differs from the function's "
          + show(expected) + " at " + show(args));
    }
    // finite differences along t
    double h = floats ? 1e-2 : 1e-6;
    Object plus = invoke(cls, original.getName(), axpy(args, h, t));
    Object minus = invoke(cls, original.getName(), axpy(args, -h, t));
    double[] fd = sub(flat(plus), flat(minus));
    double[] jt = flat(tangent);
    for (int k = 0; k < fd.length; k++) {
      fd[k] /= 2 * h;
      close(jt[k], fd[k], floats ? 3e-2 : 2e-5, "JVP element " + k + " vs finite differences",
          args);
    }
    // reverse mode: seed . (J t) == (J^T seed) . t
    Object[] gradArgs = args;
    Object seed = null;
    if (original.getReturnType().isArray()) {
      seed = randomLike(new Object[] {value}, random)[0];
      gradArgs = concat(args, new Object[] {seed});
    }
    Object g = invoke(cls + "Grad", original.getName(), copy(gradArgs));
    double viaReverse = 0;
    int k = 0;
    RecordComponent[] comps = g.getClass().getRecordComponents();
    for (int i = 0; i < args.length; i++) {
      if (differentiable[i]) {
        viaReverse += dot(component(g, comps[++k].getName()), t[i]);
      }
    }
    double viaForward = seed == null ? flat(tangent)[0] : dot(seed, tangent);
    close(viaForward, viaReverse, floats ? 1e-3 : 1e-9, "seed·Jt vs reverse mode", args);
  }

  /** Checks {@code fHvp} at {@code args} along random directions. */
  public void hvp(Object[] args, Random random) {
    Object[] v = randomLike(args, random);
    Object[] u = randomLike(args, random);
    Object[] hv = hvpComponents(args, v);
    Object[] hu = hvpComponents(args, u);
    double h = floats ? 1e-2 : 1e-5;
    Object[] gPlus = gradient(axpy(args, h, v));
    Object[] gMinus = gradient(axpy(args, -h, v));
    double uHv = 0;
    double vHu = 0;
    double scale = 1;
    for (int i = 0; i < args.length; i++) {
      if (!differentiable[i]) {
        continue;
      }
      double[] fd = sub(flat(gPlus[i]), flat(gMinus[i]));
      double[] a = flat(hv[i]);
      for (int k = 0; k < fd.length; k++) {
        fd[k] /= 2 * h;
        close(a[k], fd[k], floats ? 5e-2 : 1e-4, "Hv of parameter " + i + ", element " + k
            + " vs finite differences of the gradient", args);
      }
      uHv += dot(u[i], hv[i]);
      vHu += dot(v[i], hu[i]);
      scale += Math.abs(dot(u[i], hv[i]));
    }
    if (Math.abs(uHv - vHu) > (floats ? 1e-3 : 1e-9) * scale) {
      throw new AssertionError("u·Hv " + uHv + " != v·Hu " + vHu + " at " + show(args));
    }
  }

  /** The Hessian-vector product's components, one per argument (null where not differentiable). */
  public Object[] hvpComponents(Object[] args, Object[] v) {
    Object r = invoke(cls + "Grad", original.getName() + "Hvp", concat(args, v));
    Object expected = invoke(cls, original.getName(), copy(args));
    Object value = component(r, "value");
    if (!value.equals(expected)) {
      throw new AssertionError("HVP value " + value + " differs from the function's " + expected);
    }
    return components(r);
  }

  private Object[] gradient(Object[] args) {
    return components(invoke(cls + "Grad", original.getName(), args));
  }

  private Object[] components(Object record) {
    RecordComponent[] comps = record.getClass().getRecordComponents();
    Object[] out = new Object[differentiable.length];
    int k = 0;
    for (int i = 0; i < out.length; i++) {
      if (differentiable[i]) {
        out[i] = component(record, comps[++k].getName());
      }
    }
    return out;
  }

  private Object invoke(String owner, String name, Object[] args) {
    return c.invoke(owner, name, args);
  }

  private Object[] concat(Object[] args, Object[] extra) {
    List<Object> all = new ArrayList<>(Arrays.asList(copy(args)));
    for (int i = 0; i < extra.length; i++) {
      if (extra.length != args.length || differentiable[i]) {
        all.add(extra[i]);
      }
    }
    return all.toArray();
  }

  private Object[] randomLike(Object[] args, Random random) {
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = randomValue(args[i], random);
    }
    return out;
  }

  private static Object randomValue(Object x, Random random) {
    if (x instanceof Double) {
      return random.nextGaussian();
    }
    if (x instanceof Float) {
      return (float) random.nextGaussian();
    }
    if (x != null && x.getClass().isArray()) {
      int n = Array.getLength(x);
      Object out = Array.newInstance(x.getClass().getComponentType(), n);
      for (int k = 0; k < n; k++) {
        Object e = Array.get(x, k);
        if (x.getClass().getComponentType().isArray()) {
          Array.set(out, k, randomValue(e, random));
        } else {
          Array.set(out, k, randomValue(e, random));
        }
      }
      return out;
    }
    return x;
  }

  /** {@code x + h t} on the differentiable arguments. */
  private Object[] axpy(Object[] x, double h, Object[] t) {
    Object[] out = copy(x);
    for (int i = 0; i < x.length; i++) {
      if (differentiable[i]) {
        out[i] = axpy(x[i], h, t[i]);
      }
    }
    return out;
  }

  private static Object axpy(Object x, double h, Object t) {
    if (x instanceof Double d) {
      return d + h * (Double) t;
    }
    if (x instanceof Float f) {
      return (float) (f + h * (Float) t);
    }
    int n = Array.getLength(x);
    Object out = Array.newInstance(x.getClass().getComponentType(), n);
    for (int k = 0; k < n; k++) {
      Array.set(out, k, axpy(Array.get(x, k), h, Array.get(t, k)));
    }
    return out;
  }

  private static Object[] copy(Object[] args) {
    Object[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = deepCopy(out[i]);
    }
    return out;
  }

  private static Object deepCopy(Object x) {
    if (x == null || !x.getClass().isArray()) {
      return x;
    }
    int n = Array.getLength(x);
    Object out = Array.newInstance(x.getClass().getComponentType(), n);
    for (int k = 0; k < n; k++) {
      Array.set(out, k, deepCopy(Array.get(x, k)));
    }
    return out;
  }

  static double[] flat(Object x) {
    List<Double> out = new ArrayList<>();
    flatten(x, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void flatten(Object x, List<Double> out) {
    if (x instanceof Number n) {
      out.add(n.doubleValue());
    } else {
      for (int k = 0; k < Array.getLength(x); k++) {
        flatten(Array.get(x, k), out);
      }
    }
  }

  private static double dot(Object a, Object b) {
    double[] x = flat(a);
    double[] y = flat(b);
    double s = 0;
    for (int k = 0; k < x.length; k++) {
      s += x[k] * y[k];
    }
    return s;
  }

  private static double[] sub(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int k = 0; k < a.length; k++) {
      out[k] = a[k] - b[k];
    }
    return out;
  }

  private static void close(double actual, double expected, double tol, String what,
      Object[] args) {
    double scale = Math.max(1, Math.max(Math.abs(actual), Math.abs(expected)));
    if (!(Math.abs(actual - expected) <= tol * scale)) {
      throw new AssertionError(what + ": " + actual + ", expected " + expected + " at "
          + show(args));
    }
  }

  private static Object component(Object record, String name) {
    try {
      Method m = record.getClass().getMethod(name);
      m.setAccessible(true);
      return m.invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("no component " + name + " in " + record.getClass(), e);
    }
  }

  private static String show(Object x) {
    return Arrays.deepToString(new Object[] {x});
  }
}
