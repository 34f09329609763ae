package dev.adjoint.spark;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Arrays a task works in, kept from task to task so that steps allocate only their results:
 * per executor thread the batch buffers and gradient arrays, per cached partition its shuffled
 * order of the current epoch.
 */
final class TaskBuffers {
  private static final ThreadLocal<TaskBuffers> PER_THREAD = ThreadLocal.withInitial(TaskBuffers::new);

  /** Key {@code (rdd id, partition)}; one order per partition, replaced each epoch. */
  private static final ConcurrentHashMap<Long, Order> ORDERS = new ConcurrentHashMap<>();

  private record Order(long seed, int epoch, int[] order) {}

  private float[] x = new float[0];
  private int[] y = new int[0];
  private float[][] grads = new float[0][];
  private float[][] params = new float[0][];

  private TaskBuffers() {}

  static TaskBuffers get() {
    return PER_THREAD.get();
  }

  float[] x(int length) {
    if (x.length < length) {
      x = new float[length];
    }
    return x;
  }

  int[] y(int length) {
    if (y.length < length) {
      y = new int[length];
    }
    return y;
  }

  /** Zeroed arrays shaped like {@code like}. */
  float[][] zeroGradients(float[][] like) {
    for (float[] g : gradients(like)) {
      Arrays.fill(g, 0f);
    }
    return grads;
  }

  /** This thread's gradient arrays, shaped like {@code like}, as last left. */
  float[][] gradients(float[][] like) {
    grads = shaped(grads, like);
    return grads;
  }

  /** A copy of {@code source} in this thread's parameter arrays. */
  float[][] copyOfParameters(float[][] source) {
    params = shaped(params, source);
    for (int k = 0; k < source.length; k++) {
      System.arraycopy(source[k], 0, params[k], 0, source[k].length);
    }
    return params;
  }

  private static float[][] shaped(float[][] arrays, float[][] like) {
    boolean same = arrays.length == like.length;
    for (int k = 0; same && k < like.length; k++) {
      same = arrays[k].length == like[k].length;
    }
    if (same) {
      return arrays;
    }
    float[][] fresh = new float[like.length][];
    for (int k = 0; k < like.length; k++) {
      fresh[k] = new float[like[k].length];
    }
    return fresh;
  }

  /** Partition {@code partition}'s order of epoch {@code epoch}, shuffled once per epoch. */
  static int[] order(int rddId, int partition, int size, long seed, int epoch) {
    long key = ((long) rddId << 32) | partition;
    Order o = ORDERS.get(key);
    if (o == null || o.seed != seed || o.epoch != epoch || o.order.length != size) {
      int[] order = o != null && o.order.length == size ? o.order.clone() : new int[size];
      Layout.order(order, seed, partition, epoch);
      o = new Order(seed, epoch, order);
      ORDERS.put(key, o);
    }
    return o.order;
  }

  /** Forgets the orders of an RDD that is no longer used. */
  static void forget(int rddId) {
    ORDERS.keySet().removeIf(k -> (int) (k >>> 32) == rddId);
  }
}
