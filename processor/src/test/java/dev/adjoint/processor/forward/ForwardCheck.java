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
    instance = !java.lang.reflect.Modifier.isStatic(original.getModifiers());
    Class<?>[] declared = original.getParameterTypes();
    // an instance method's receiver is its first argument, differentiable like a record
    int shift = instance ? 1 : 0;
    differentiable = new boolean[declared.length + shift];
    boolean f = original.getReturnType() == float.class
        || original.getReturnType() == float[].class || usesFloat(original.getReturnType());
    if (instance) {
      differentiable[0] = true;
      f |= usesFloat(original.getDeclaringClass());
    }
    for (int i = 0; i < declared.length; i++) {
      Class<?> e = declared[i];
      boolean noDerivative = original.getParameters()[i].isAnnotationPresent(NoDerivative.class);
      if (e.isRecord()) {
        differentiable[i + shift] = !noDerivative;
        f |= !noDerivative && usesFloat(e);
        continue;
      }
      while (e.isArray()) {
        e = e.getComponentType();
      }
      differentiable[i + shift] = (e == double.class || e == float.class) && !noDerivative;
      f |= differentiable[i + shift] && e == float.class;
    }
    floats = f;
  }

  private final boolean instance;

  /** True when record type {@code r} has a float leaf (checked at float tolerances). */
  private static boolean usesFloat(Class<?> r) {
    if (!r.isRecord()) {
      return false;
    }
    for (RecordComponent c : r.getRecordComponents()) {
      Class<?> e = c.getType();
      while (e.isArray()) {
        e = e.getComponentType();
      }
      if (e == float.class || usesFloat(e)) {
        return true;
      }
    }
    return false;
  }

  /** The function's value at {@code args} (the receiver first for an instance method). */
  private Object call(Object[] args) {
    if (!instance) {
      return invoke(cls, original.getName(), args);
    }
    try {
      original.setAccessible(true);
      return original.invoke(args[0], Arrays.copyOfRange(args, 1, args.length));
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new AssertionError("call failed: " + original, e.getCause());
    }
  }

  /** The generated class: {@code Owner_RecGrad} for a nested record's methods. */
  private String grad() {
    if (!instance) {
      return cls + "Grad";
    }
    Class<?> owner = original.getDeclaringClass();
    String name = owner.getName();
    String pkg = owner.getPackageName();
    return pkg + "." + name.substring(pkg.length() + 1).replace('$', '_') + "Grad";
  }

  /** Checks {@code fJvp} at {@code args} along random tangents. */
  public void jvp(Object[] args, Random random) {
    Object[] t = randomLike(args, random);
    Object r = invoke(grad(), original.getName() + "Jvp", concat(args, t));
    Object value = component(r, "value");
    Object tangent = component(r, "tangent");
    Object expected = call(copy(args));
    if (!Arrays.equals(flat(value), flat(expected))) {
      throw new AssertionError("JVP value " + show(value) + " differs from the function's "
          + show(expected) + " at " + show(args));
    }
    // finite differences along t
    double h = floats ? 1e-2 : 1e-6;
    Object plus = call(axpy(args, h, t));
    Object minus = call(axpy(args, -h, t));
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
    if (original.getReturnType().isArray() || original.getReturnType().isRecord()) {
      seed = randomLike(new Object[] {value}, random)[0];
      gradArgs = concat(args, new Object[] {seed});
    }
    Object g = invoke(grad(), original.getName(), copy(gradArgs));
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
    Object r = invoke(grad(), original.getName() + "Hvp", concat(args, v));
    Object expected = call(copy(args));
    Object value = component(r, "value");
    if (!value.equals(expected)) {
      throw new AssertionError("HVP value " + value + " differs from the function's " + expected);
    }
    return components(r);
  }

  private Object[] gradient(Object[] args) {
    return components(invoke(grad(), original.getName(), args));
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
    if (x != null && x.getClass().isRecord()) {
      return mapRecord(x, null, (a, b) -> randomValue(a, random));
    }
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
    if (x.getClass().isRecord()) {
      return mapRecord(x, t, (a, b) -> floating(a) ? axpy(a, h, b) : a);
    }
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
    if (x != null && x.getClass().isRecord()) {
      return mapRecord(x, null, (a, b) -> deepCopy(a));
    }
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
    if (x.getClass().isRecord()) {
      // the floating leaves, in component order (the others carry no derivative)
      for (RecordComponent c : x.getClass().getRecordComponents()) {
        Object v = get(x, c);
        if (floating(v)) {
          flatten(v, out);
        }
      }
      return;
    }
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

  /** True for a value with derivatives: double, float, their arrays, records. */
  private static boolean floating(Object v) {
    if (v == null) {
      return false;
    }
    Class<?> e = v.getClass();
    if (e.isRecord()) {
      return true;
    }
    while (e.isArray()) {
      e = e.getComponentType();
    }
    return e == double.class || e == float.class || e == Double.class || e == Float.class;
  }

  private static Object get(Object record, RecordComponent c) {
    try {
      Method m = c.getAccessor();
      m.setAccessible(true);
      return m.invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** A record of {@code x}'s type whose components are {@code f(x's, other's)}. */
  private static Object mapRecord(Object x, Object other,
      java.util.function.BinaryOperator<Object> f) {
    RecordComponent[] comps = x.getClass().getRecordComponents();
    Object[] values = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      values[i] = f.apply(get(x, comps[i]), other == null ? null : get(other, comps[i]));
      types[i] = comps[i].getType();
    }
    try {
      var k = x.getClass().getDeclaredConstructor(types);
      k.setAccessible(true);
      return k.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
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
