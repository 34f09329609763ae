package dev.adjoint.optim;

import dev.adjoint.NoDerivative;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A record of parameters and the record of its gradient taken apart for an optimizer, and the
 * record put back together afterwards.
 *
 * <p>Each {@code float} and {@code double} component, 1-D and 2-D arrays of them, and the same at
 * any depth of nested records, in declaration order (depth first), is paired with the same
 * component of the gradient record. Arrays are the records' own (updated in place); a scalar is
 * copied into a one-element array, which the optimizer updates like any other, and {@link
 * Flat#updated()} builds a new record with the new values, records being immutable. Every other
 * component (integral, boolean, their arrays, anything else) and every component annotated
 * {@code @NoDerivative} in the record's header is left alone.
 */
final class RecordParameters {
  private RecordParameters() {}

  /** How a component is stepped. */
  private enum Kind {
    FLOAT, DOUBLE, FLOATS, DOUBLES, FLOAT_ROWS, DOUBLE_ROWS, RECORD, LEFT_ALONE
  }

  /** One component of a record type. */
  private record Component(String name, Kind kind, Method accessor, Layout nested) {}

  /** What the optimizer steps in one record type, found once per type. */
  private record Layout(Class<?> type, Component[] components, Constructor<?> constructor,
      boolean hasScalars) {}

  private static final ClassValue<Layout> LAYOUTS = new ClassValue<>() {
    @Override
    protected Layout computeValue(Class<?> type) {
      return layout(type, new ArrayList<>());
    }
  };

  /**
   * Pairs the components of {@code params} with those of {@code grads}.
   *
   * @throws IllegalArgumentException if the records are of different types, a component has
   *     another shape than its gradient, or a component's type cannot be stepped
   * @throws NullPointerException if a record, or an array or record component, is null
   */
  static Flat flatten(Record params, Record grads) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(grads, "grads");
    if (params.getClass() != grads.getClass()) {
      throw new IllegalArgumentException(
          "the gradient is a " + grads.getClass().getName() + ", the parameters a "
              + params.getClass().getName() + ": pass the gradient record of the same type"
              + " (the result's or accumulator's component named like the parameter, or self)");
    }
    Layout layout = LAYOUTS.get(params.getClass());
    Flat flat = new Flat(params, grads, layout);
    flat.add(layout, params, grads, params.getClass().getSimpleName());
    flat.parameters = flat.builder.build();
    return flat;
  }

  /** A 2-D component (or its gradient) whose rows are entries {@code start...} of the lists. */
  private record Rows(Object array, boolean gradient, int start) {
    /** True while the component still holds the rows the parameters list. */
    boolean unchanged(Parameters p) {
      if (array instanceof float[][] f) {
        float[][] flat = gradient ? p.floatGrads : p.floats;
        for (int r = 0; r < f.length; r++) {
          if (f[r] != flat[start + r]) {
            return false;
          }
        }
      } else {
        double[][] d = (double[][]) array;
        double[][] flat = gradient ? p.doubleGrads : p.doubles;
        for (int r = 0; r < d.length; r++) {
          if (d[r] != flat[start + r]) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /** The flat form of one pair of records. */
  static final class Flat {
    private final Record params;
    private final Record grads;
    private final Layout layout;
    private final Parameters.Builder builder = Parameters.builder();
    private Parameters parameters;
    /** The one-element arrays of the scalar components, in the order of the walk. */
    private final List<Object> scalars = new ArrayList<>();
    /** The 2-D components of both records, with where their rows start, to revalidate. */
    private final List<Rows> rows = new ArrayList<>();
    private int floatCount;
    private int doubleCount;

    private Flat(Record params, Record grads, Layout layout) {
      this.params = params;
      this.grads = grads;
      this.layout = layout;
    }

    /** The parameters and gradients, in the order described above. */
    Parameters parameters() {
      return parameters;
    }

    /** True when the records hold {@code float} or {@code double} scalars to rebuild. */
    boolean hasScalars() {
      return layout.hasScalars();
    }

    /** The name of the first scalar component, for messages; null when there is none. */
    String firstScalar() {
      return firstScalar(layout, params.getClass().getSimpleName());
    }

    /**
     * True when {@code params} and {@code grads} are the records this was made from and their
     * 2-D components still hold the same rows: the parameters are then still theirs.
     */
    boolean isFor(Record params, Record grads) {
      if (params != this.params || grads != this.grads) {
        return false;
      }
      for (int i = 0; i < rows.size(); i++) {
        if (!rows.get(i).unchanged(parameters)) {
          return false;
        }
      }
      return true;
    }

    /**
     * The parameters record after a step: itself when it has no scalar components (its arrays
     * were updated in place), otherwise a new record of the same arrays and the new scalars.
     */
    @SuppressWarnings("unchecked")
    <R extends Record> R updated() {
      if (!layout.hasScalars()) {
        return (R) params;
      }
      int[] next = {0};
      return (R) rebuild(layout, params, next);
    }

    private Object rebuild(Layout l, Object record, int[] next) {
      Object[] args = new Object[l.components().length];
      for (int i = 0; i < args.length; i++) {
        Component c = l.components()[i];
        args[i] = switch (c.kind()) {
          case FLOAT -> ((float[]) scalars.get(next[0]++))[0];
          case DOUBLE -> ((double[]) scalars.get(next[0]++))[0];
          case RECORD -> c.nested().hasScalars()
              ? rebuild(c.nested(), read(c, record), next) : read(c, record);
          default -> read(c, record);
        };
      }
      try {
        return l.constructor().newInstance(args);
      } catch (InvocationTargetException e) {
        throw new IllegalArgumentException(
            "the constructor of " + l.type().getName() + " rejected the updated parameters: "
                + e.getCause(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw inaccessible(l.type(), e);
      }
    }

    private void add(Layout l, Object p, Object g, String path) {
      for (Component c : l.components()) {
        if (c.kind() == Kind.LEFT_ALONE) {
          continue;
        }
        String name = path + "." + c.name();
        Object pc = read(c, p);
        Object gc = read(c, g);
        if (c.kind() != Kind.FLOAT && c.kind() != Kind.DOUBLE && (pc == null || gc == null)) {
          throw new NullPointerException(
              pc == null ? name + " is null" : "the gradient of " + name + " is null");
        }
        switch (c.kind()) {
          case FLOAT -> {
            float[] value = {(Float) pc};
            scalars.add(value);
            builder.add(value, new float[] {(Float) gc}, name);
            floatCount++;
          }
          case DOUBLE -> {
            double[] value = {(Double) pc};
            scalars.add(value);
            builder.add(value, new double[] {(Double) gc}, name);
            doubleCount++;
          }
          case FLOATS -> {
            builder.add((float[]) pc, (float[]) gc, name);
            floatCount++;
          }
          case DOUBLES -> {
            builder.add((double[]) pc, (double[]) gc, name);
            doubleCount++;
          }
          case FLOAT_ROWS -> {
            float[][] rows = (float[][]) pc;
            float[][] gradRows = (float[][]) gc;
            checkRows(name, rows.length, gradRows.length);
            this.rows.add(new Rows(rows, false, floatCount));
            this.rows.add(new Rows(gradRows, true, floatCount));
            for (int r = 0; r < rows.length; r++) {
              builder.add(rows[r], gradRows[r], name + "[" + r + "]");
            }
            floatCount += rows.length;
          }
          case DOUBLE_ROWS -> {
            double[][] rows = (double[][]) pc;
            double[][] gradRows = (double[][]) gc;
            checkRows(name, rows.length, gradRows.length);
            this.rows.add(new Rows(rows, false, doubleCount));
            this.rows.add(new Rows(gradRows, true, doubleCount));
            for (int r = 0; r < rows.length; r++) {
              builder.add(rows[r], gradRows[r], name + "[" + r + "]");
            }
            doubleCount += rows.length;
          }
          case RECORD -> add(c.nested(), pc, gc, name);
          default -> throw new AssertionError(c.kind());
        }
      }
    }

    private static void checkRows(String name, int rows, int gradRows) {
      if (rows != gradRows) {
        throw new IllegalArgumentException(
            name + " has " + rows + " rows but its gradient has " + gradRows);
      }
    }

    private static String firstScalar(Layout l, String path) {
      for (Component c : l.components()) {
        if (c.kind() == Kind.FLOAT || c.kind() == Kind.DOUBLE) {
          return path + "." + c.name() + " (a " + (c.kind() == Kind.FLOAT ? "float" : "double")
              + ")";
        }
        if (c.kind() == Kind.RECORD && c.nested().hasScalars()) {
          return firstScalar(c.nested(), path + "." + c.name());
        }
      }
      return null;
    }
  }

  private static Object read(Component c, Object record) {
    try {
      return c.accessor().invoke(record);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          "the accessor " + c.name() + "() of " + record.getClass().getName() + " threw "
              + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw inaccessible(record.getClass(), e);
    }
  }

  private static IllegalArgumentException inaccessible(Class<?> type, Exception e) {
    return new IllegalArgumentException(
        "cannot read or rebuild the record " + type.getName() + " from dev.adjoint.optim: make it"
            + " public in an exported package, or open its package to the runtime in"
            + " module-info.java (opens " + type.getPackageName() + " to dev.adjoint.runtime;)"
            + " (" + e + ")", e);
  }

  private static Layout layout(Class<?> type, List<Class<?>> enclosing) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is not a record");
    }
    if (enclosing.contains(type)) {
      throw new IllegalArgumentException(
          "the record " + type.getName() + " contains itself; parameters are a tree of records");
    }
    enclosing.add(type);
    RecordComponent[] rc = type.getRecordComponents();
    Class<?>[] types = new Class<?>[rc.length];
    for (int i = 0; i < rc.length; i++) {
      types[i] = rc[i].getType();
    }
    Constructor<?> constructor;
    try {
      constructor = type.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new AssertionError("a record has its canonical constructor", e);
    }
    constructor.trySetAccessible();
    Annotation[][] annotations = constructor.getParameterAnnotations();
    Component[] components = new Component[rc.length];
    boolean hasScalars = false;
    for (int i = 0; i < rc.length; i++) {
      Method accessor = rc[i].getAccessor();
      accessor.trySetAccessible();
      Kind kind = noDerivative(annotations[i]) ? Kind.LEFT_ALONE : kindOf(type, rc[i]);
      Layout nested = kind == Kind.RECORD ? layout(rc[i].getType(), enclosing) : null;
      hasScalars |= kind == Kind.FLOAT || kind == Kind.DOUBLE
          || (nested != null && nested.hasScalars());
      components[i] = new Component(rc[i].getName(), kind, accessor, nested);
    }
    enclosing.remove(enclosing.size() - 1);
    return new Layout(type, components, constructor, hasScalars);
  }

  private static boolean noDerivative(Annotation[] annotations) {
    for (Annotation a : annotations) {
      if (a instanceof NoDerivative) {
        return true;
      }
    }
    return false;
  }

  private static Kind kindOf(Class<?> record, RecordComponent c) {
    Class<?> t = c.getType();
    if (t == float.class) {
      return Kind.FLOAT;
    } else if (t == double.class) {
      return Kind.DOUBLE;
    } else if (t == float[].class) {
      return Kind.FLOATS;
    } else if (t == double[].class) {
      return Kind.DOUBLES;
    } else if (t == float[][].class) {
      return Kind.FLOAT_ROWS;
    } else if (t == double[][].class) {
      return Kind.DOUBLE_ROWS;
    } else if (t.isRecord()) {
      return Kind.RECORD;
    }
    Class<?> element = t;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    if (element == float.class || element == double.class || element.isRecord()) {
      throw new IllegalArgumentException(
          "the component " + c.getName() + " of " + record.getName() + " is a "
              + t.getSimpleName() + ": optimizers step float and double scalars, their 1-D and"
              + " 2-D arrays and records of them (the shapes Adjoint differentiates); mark it"
              + " @NoDerivative in the record's header to leave it alone");
    }
    return Kind.LEFT_ALONE;
  }
}
