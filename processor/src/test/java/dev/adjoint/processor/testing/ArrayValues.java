package dev.adjoint.processor.testing;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Helpers over the arguments and results of generated code: boxed scalars and primitive arrays
 * of one or two dimensions, flattened to one vector of doubles for finite differences.
 */
public final class ArrayValues {
  private ArrayValues() {}

  /** Appends the numbers of {@code o} (a boxed number or a float/double array) to {@code out}. */
  public static void flatten(Object o, List<Double> out) {
    if (o instanceof Number n) {
      out.add(n.doubleValue());
    } else if (o instanceof double[] d) {
      for (double v : d) {
        out.add(v);
      }
    } else if (o instanceof float[] f) {
      for (float v : f) {
        out.add((double) v);
      }
    } else if (o instanceof Object[] rows) {
      for (Object r : rows) {
        flatten(r, out);
      }
    } else {
      throw new AssertionError("cannot flatten " + o);
    }
  }

  /** Every number a result record holds, component after component, flattened. */
  public static double[] components(Object record) {
    List<Double> out = new java.util.ArrayList<>();
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      flatten(component(record, c), out);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** A value shaped like {@code like} holding {@code v[pos[0]...]}; advances {@code pos[0]}. */
  public static Object unflatten(Object like, double[] v, int[] pos) {
    if (like instanceof Double) {
      return v[pos[0]++];
    }
    if (like instanceof Float) {
      return (float) v[pos[0]++];
    }
    if (like instanceof double[] d) {
      double[] out = new double[d.length];
      for (int i = 0; i < d.length; i++) {
        out[i] = v[pos[0]++];
      }
      return out;
    }
    if (like instanceof float[] d) {
      float[] out = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        out[i] = (float) v[pos[0]++];
      }
      return out;
    }
    Object[] rows = (Object[]) like;
    Object out = Array.newInstance(rows.getClass().getComponentType(), rows.length);
    for (int i = 0; i < rows.length; i++) {
      Array.set(out, i, unflatten(rows[i], v, pos));
    }
    return out;
  }

  /** An array shaped like {@code array} filled from {@code next}, row by row. */
  public static Object randomLike(Object array, DoubleSupplier next) {
    if (array instanceof Object[] rows) {
      Object out = Array.newInstance(rows.getClass().getComponentType(), rows.length);
      for (int i = 0; i < rows.length; i++) {
        Array.set(out, i, randomLike(rows[i], next));
      }
      return out;
    }
    if (array instanceof double[] d) {
      double[] s = new double[d.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = next.getAsDouble();
      }
      return s;
    }
    float[] f = (float[]) array;
    float[] s = new float[f.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) next.getAsDouble();
    }
    return s;
  }

  /** The dot product of two one-dimensional arrays of numbers. */
  public static double dot(Object a, Object b) {
    double s = 0;
    int n = Array.getLength(b);
    for (int i = 0; i < n; i++) {
      s += ((Number) Array.get(a, i)).doubleValue() * ((Number) Array.get(b, i)).doubleValue();
    }
    return s;
  }

  /** Copies arrays (deeply) so that no call can change the caller's data. */
  public static Object[] deepCopy(Object[] args) {
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = copy(args[i]);
    }
    return out;
  }

  private static Object copy(Object o) {
    if (o instanceof double[] d) {
      return d.clone();
    }
    if (o instanceof float[] f) {
      return f.clone();
    }
    if (o instanceof int[] i) {
      return i.clone();
    }
    if (o instanceof boolean[] b) {
      return b.clone();
    }
    if (o instanceof Object[] rows) {
      Object out = Array.newInstance(rows.getClass().getComponentType(), rows.length);
      for (int i = 0; i < rows.length; i++) {
        Array.set(out, i, copy(rows[i]));
      }
      return out;
    }
    return o;
  }

  /** {@code o} with its arrays spelled out, for messages. */
  public static String deepString(Object o) {
    return Arrays.deepToString(new Object[] {o});
  }

  /** The value of a component of a generated result record. */
  public static Object component(Object record, RecordComponent c) {
    try {
      c.getAccessor().setAccessible(true);
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
