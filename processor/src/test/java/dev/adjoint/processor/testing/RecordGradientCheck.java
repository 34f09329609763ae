package dev.adjoint.processor.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Checks gradients of functions that take records (as parameters or as the receiver of an
 * instance method) against central finite differences: every double and float leaf of every
 * differentiable argument, however deep in records and arrays, is perturbed, and the partial the
 * gradient record holds for it (component {@code self} for the receiver, else the parameter's
 * name, then the same path) is compared. Also checks that the gradient changes no argument and
 * that the other components of a record of partials are the argument's.
 */
public final class RecordGradientCheck {
  private RecordGradientCheck() {}

  /**
   * Checks {@code cls.method} on {@code receiver} (null for a static method) with {@code args},
   * {@code noDerivative} naming the parameters without partials; float leaves use a looser
   * tolerance.
   */
  public static void check(Compiled c, String cls, String method, Object receiver,
      List<String> noDerivative, Object... args) {
    Method original = findOriginal(c, cls, method, receiver, args);
    List<Object> all = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (receiver != null) {
      all.add(receiver);
      names.add("self");
    }
    for (int i = 0; i < args.length; i++) {
      all.add(args[i]);
      names.add(original.getParameters()[i].getName());
    }
    Object[] before = deepCopyAll(all.toArray());
    Object result = invoke(original, deepCopyAll(before), receiver != null);
    Object seed = null;
    if (result != null && result.getClass().isRecord()) {
      // A record result: check the vector-Jacobian product with a random seed of its type.
      java.util.Random random = new java.util.Random(11);
      seed = withLeaves(deepCopy(result), random);
      all.add(seed);
    }
    Object[] gradArgs = all.toArray();
    Object record = c.invoke(cls + "Grad", method, gradArgs);
    Object theSeed = seed;
    for (int i = 0; i < before.length; i++) {
      if (!deepEquals(before[i], gradArgs[i])) {
        throw new AssertionError(method + ": the gradient modified argument " + names.get(i));
      }
    }
    if (seed != null) {
      if (!deepEquals(component(record, "value"), result)) {
        throw new AssertionError(method + ": the gradient's value is not the function's");
      }
    }
    double value = seed != null ? 0 : ((Number) component(record, "value")).doubleValue();
    double expectedValue = seed != null ? 0 : call(original, before, receiver != null);
    if (Double.compare(value, expectedValue) != 0
        && Math.abs(value - expectedValue) > 1e-12 * Math.max(1, Math.abs(expectedValue))) {
      throw new AssertionError(method + ": value " + value + " but the function gives "
          + expectedValue);
    }
    for (int k = 0; k < before.length; k++) {
      if (noDerivative.contains(names.get(k)) || !hasFloating(before[k])) {
        continue;
      }
      Object partial = component(record, names.get(k));
      int index = k;
      List<double[]> leaves = new ArrayList<>();
      List<Boolean> floats = new ArrayList<>();
      collect(before[k], partial, leaves, floats, names.get(k), method);
      for (int i = 0; i < leaves.size(); i++) {
        double[] cell = leaves.get(i);
        boolean isFloat = floats.get(i);
        double x0 = cell[0];
        double h = isFloat ? 1e-2 * Math.max(1, Math.abs(x0)) : 1e-6 * Math.max(1, Math.abs(x0));
        final int leaf = i;
        ToDoubleFunction<Double> at = x -> {
          Object[] a = deepCopyAll(before);
          a[index] = withLeaf(a[index], leaf, x, new int[] {0});
          if (theSeed != null) {
            return dot(theSeed, invoke(original, a, receiver != null));
          }
          return call(original, a, receiver != null);
        };
        double numeric = (at.applyAsDouble(x0 + h) - at.applyAsDouble(x0 - h)) / (2 * h);
        double analytic = cell[1];
        double tolerance = isFloat ? 3e-2 : 1e-5;
        if (Math.abs(numeric - analytic) > tolerance * Math.max(1,
            Math.max(Math.abs(numeric), Math.abs(analytic)))) {
          throw new AssertionError(method + ": partial " + i + " of " + names.get(k)
              + " is " + analytic + ", finite differences give " + numeric);
        }
      }
    }
  }

  private static Method findOriginal(Compiled c, String cls, String method, Object receiver,
      Object[] args) {
    for (Method m : c.load(cls).getDeclaredMethods()) {
      if (m.getName().equals(method) && m.getParameterCount() == args.length) {
        m.setAccessible(true);
        return m;
      }
    }
    throw new AssertionError("no method " + method);
  }

  private static double call(Method m, Object[] all, boolean instance) {
    return ((Number) invoke(m, all, instance)).doubleValue();
  }

  private static Object invoke(Method m, Object[] all, boolean instance) {
    try {
      return instance
          ? m.invoke(all[0], java.util.Arrays.copyOfRange(all, 1, all.length))
          : m.invoke(null, all);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** The sum over the floating leaves of {@code a} times those of {@code b}. */
  private static double dot(Object a, Object b) {
    List<double[]> pairs = new ArrayList<>();
    collect(a, b, pairs, new ArrayList<>(), "seed", "dot");
    double sum = 0;
    for (double[] p : pairs) {
      sum += p[0] * p[1];
    }
    return sum;
  }

  /** {@code o} (a fresh copy) with every floating leaf drawn from {@code random}. */
  private static Object withLeaves(Object o, java.util.Random random) {
    int[] count = {0};
    withLeaf(o, -1, 0, count);
    Object out = o;
    for (int i = 0; i < count[0]; i++) {
      out = withLeaf(out, i, random.nextDouble() * 2 - 1, new int[] {0});
    }
    return out;
  }

  /** Pairs (argument leaf, partial) of every floating leaf, depth first. */
  private static void collect(Object arg, Object partial, List<double[]> out,
      List<Boolean> floats, String where, String method) {
    if (arg instanceof Double || arg instanceof Float) {
      out.add(new double[] {((Number) arg).doubleValue(), ((Number) partial).doubleValue()});
      floats.add(arg instanceof Float);
    } else if (arg != null && arg.getClass().isRecord()) {
      for (RecordComponent rc : arg.getClass().getRecordComponents()) {
        Object a = get(arg, rc);
        Object p = get(partial, rc);
        if (!hasFloating(a) && !deepEquals(a, p)) {
          throw new AssertionError(method + ": component " + where + "." + rc.getName()
              + " of the partials is not the argument's");
        }
        collect(a, p, out, floats, where + "." + rc.getName(), method);
      }
    } else if (arg != null && arg.getClass().isArray()) {
      Class<?> t = arg.getClass().getComponentType();
      if (t == double.class || t == float.class || t.isArray()) {
        for (int i = 0; i < Array.getLength(arg); i++) {
          collect(Array.get(arg, i), Array.get(partial, i), out, floats, where + "[" + i + "]",
              method);
        }
      }
    }
  }

  /** {@code arg} with its {@code leaf}-th floating leaf set to {@code x} (arrays in place). */
  private static Object withLeaf(Object arg, int leaf, double x, int[] counter) {
    if (arg instanceof Double) {
      return counter[0]++ == leaf ? x : arg;
    }
    if (arg instanceof Float) {
      return counter[0]++ == leaf ? (float) x : arg;
    }
    if (arg != null && arg.getClass().isRecord()) {
      RecordComponent[] rcs = arg.getClass().getRecordComponents();
      Object[] values = new Object[rcs.length];
      Class<?>[] types = new Class<?>[rcs.length];
      for (int i = 0; i < rcs.length; i++) {
        values[i] = withLeaf(get(arg, rcs[i]), leaf, x, counter);
        types[i] = rcs[i].getType();
      }
      try {
        Constructor<?> k = arg.getClass().getDeclaredConstructor(types);
        k.setAccessible(true);
        return k.newInstance(values);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    if (arg != null && arg.getClass().isArray()) {
      Class<?> t = arg.getClass().getComponentType();
      for (int i = 0; i < Array.getLength(arg); i++) {
        Object e = Array.get(arg, i);
        if (t == double.class || t == float.class) {
          Object updated = withLeaf(e, leaf, x, counter);
          Array.set(arg, i, updated);
        } else if (t.isArray()) {
          withLeaf(e, leaf, x, counter);
        }
      }
    }
    return arg;
  }

  private static boolean hasFloating(Object arg) {
    if (arg instanceof Double || arg instanceof Float) {
      return true;
    }
    if (arg != null && arg.getClass().isRecord()) {
      for (RecordComponent rc : arg.getClass().getRecordComponents()) {
        if (hasFloating(get(arg, rc))) {
          return true;
        }
      }
      return false;
    }
    if (arg != null && arg.getClass().isArray()) {
      Class<?> t = arg.getClass();
      while (t.isArray()) {
        t = t.getComponentType();
      }
      return t == double.class || t == float.class;
    }
    return false;
  }

  /** The component {@code name} of record {@code record}. */
  public static Object component(Object record, String name) {
    for (RecordComponent rc : record.getClass().getRecordComponents()) {
      if (rc.getName().equals(name)) {
        return get(record, rc);
      }
    }
    throw new AssertionError(record.getClass() + " has no component " + name);
  }

  private static Object get(Object record, RecordComponent rc) {
    try {
      Method m = rc.getAccessor();
      m.setAccessible(true);
      return m.invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** A deep copy of each argument: arrays copied, records rebuilt. */
  public static Object[] deepCopyAll(Object[] args) {
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = deepCopy(args[i]);
    }
    return out;
  }

  private static Object deepCopy(Object o) {
    if (o != null && o.getClass().isArray()) {
      int n = Array.getLength(o);
      Object copy = Array.newInstance(o.getClass().getComponentType(), n);
      for (int i = 0; i < n; i++) {
        Array.set(copy, i, deepCopy(Array.get(o, i)));
      }
      return copy;
    }
    if (o != null && o.getClass().isRecord()) {
      RecordComponent[] rcs = o.getClass().getRecordComponents();
      Object[] values = new Object[rcs.length];
      Class<?>[] types = new Class<?>[rcs.length];
      for (int i = 0; i < rcs.length; i++) {
        values[i] = deepCopy(get(o, rcs[i]));
        types[i] = rcs[i].getType();
      }
      try {
        Constructor<?> k = o.getClass().getDeclaredConstructor(types);
        k.setAccessible(true);
        return k.newInstance(values);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return o;
  }

  private static boolean deepEquals(Object a, Object b) {
    if (a != null && a.getClass().isRecord() && b != null && b.getClass() == a.getClass()) {
      for (RecordComponent rc : a.getClass().getRecordComponents()) {
        if (!deepEquals(get(a, rc), get(b, rc))) {
          return false;
        }
      }
      return true;
    }
    return java.util.Objects.deepEquals(a, b);
  }

}
