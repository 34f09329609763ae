package dev.adjoint.processor.testing;

import static dev.adjoint.processor.testing.ArrayValues.component;
import static dev.adjoint.processor.testing.ArrayValues.deepCopy;
import static dev.adjoint.processor.testing.ArrayValues.deepString;
import static dev.adjoint.processor.testing.ArrayValues.dot;
import static dev.adjoint.processor.testing.ArrayValues.flatten;
import static dev.adjoint.processor.testing.ArrayValues.randomLike;
import static dev.adjoint.processor.testing.ArrayValues.unflatten;

import dev.adjoint.GradCheck;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Checks the generated gradient of a function with any mix of scalar and array parameters (and
 * scalar or array result) against central finite differences.
 *
 * <p>Every differentiable input is flattened into one vector. For an array result, a random seed
 * {@code s} is drawn and the checked function is {@code s . f(x)}, whose gradient is the
 * vector-Jacobian product the generated method returns.
 */
public final class ArrayGradientCheck {
  private ArrayGradientCheck() {}

  /** Checks {@code cls.method} at the point {@code args} (arrays are not modified). */
  public static void check(Compiled c, String cls, String method, Object... args) {
    check(c, cls, method, 7, args);
  }

  /** As {@link #check(Compiled, String, String, Object...)} with a given seed for the seed. */
  public static void check(Compiled c, String cls, String method, long seedOfSeed,
      Object... args) {
    Method original = c.method(cls, method, args);
    Object[] originalArgs = deepCopy(args);
    Object result = c.invoke(cls, method, deepCopy(args));
    boolean arrayResult = result != null && result.getClass().isArray();
    Object seed = arrayResult ? randomLike(result, uniform(new Random(seedOfSeed))) : null;

    Object[] gradArgs = args;
    if (arrayResult) {
      gradArgs = Arrays.copyOf(args, args.length + 1);
      gradArgs[args.length] = seed;
    }
    Object[] gradArgsCopy = deepCopy(gradArgs);
    Object record = c.invoke(cls + "Grad", method, gradArgsCopy);
    for (int i = 0; i < gradArgs.length; i++) {
      if (!Arrays.deepEquals(new Object[] {gradArgs[i]}, new Object[] {gradArgsCopy[i]})) {
        throw new AssertionError(method + ": the gradient modified argument " + i);
      }
    }
    RecordComponent[] comps = record.getClass().getRecordComponents();
    Object value = component(record, comps[0]);
    if (!Arrays.deepEquals(new Object[] {value}, new Object[] {result})) {
      throw new AssertionError(method + ": gradient's value " + deepString(value)
          + " differs from the function's " + deepString(result));
    }

    Parameter[] params = original.getParameters();
    List<Integer> diffIndex = new ArrayList<>();
    List<Double> analytic = new ArrayList<>();
    boolean anyFloat = isFloat(result);
    for (int k = 1; k < comps.length; k++) {
      int idx = indexOf(params, comps[k].getName());
      diffIndex.add(idx);
      flatten(component(record, comps[k]), analytic);
      anyFloat |= isFloat(args[idx]);
    }
    List<Double> point = new ArrayList<>();
    for (int idx : diffIndex) {
      flatten(args[idx], point);
    }
    double[] x = point.stream().mapToDouble(Double::doubleValue).toArray();
    double[] g = analytic.stream().mapToDouble(Double::doubleValue).toArray();

    java.util.function.ToDoubleFunction<double[]> f = v -> {
      Object[] a = deepCopy(originalArgs);
      int[] pos = {0};
      for (int idx : diffIndex) {
        a[idx] = unflatten(a[idx], v, pos);
      }
      Object r = c.invoke(cls, method, a);
      return arrayResult ? dot(seed, r) : ((Number) r).doubleValue();
    };
    GradCheck.Report report;
    if (anyFloat) {
      float[] xf = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        xf[i] = (float) x[i];
      }
      report = GradCheck.compare((GradCheck.FloatFunction) v -> {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
          d[i] = v[i];
        }
        return f.applyAsDouble(d);
      }, xf, g);
      if (!report.passes(GradCheck.FLOAT_TOLERANCE)) {
        fail(c, cls, method, report);
      }
    } else {
      report = GradCheck.compare(f, x, g);
      if (!report.passes(GradCheck.DOUBLE_TOLERANCE)) {
        fail(c, cls, method, report);
      }
    }
  }

  /** Uniform in [-1, 1). */
  private static java.util.function.DoubleSupplier uniform(Random random) {
    return () -> random.nextDouble() * 2 - 1;
  }

  private static void fail(Compiled c, String cls, String method, GradCheck.Report report) {
    throw new AssertionError(method + ": gradient check failed\n" + report + "\n"
        + c.generatedSource(cls + "Grad"));
  }

  private static int indexOf(Parameter[] params, String name) {
    for (int i = 0; i < params.length; i++) {
      if (params[i].getName().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no parameter named " + name);
  }


  private static boolean isFloat(Object o) {
    if (o == null) {
      return false;
    }
    if (o instanceof Float) {
      return true;
    }
    Class<?> t = o.getClass();
    while (t.isArray()) {
      t = t.getComponentType();
    }
    return t == float.class;
  }






}
