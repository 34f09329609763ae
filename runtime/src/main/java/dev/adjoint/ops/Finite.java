package dev.adjoint.ops;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds values that are not finite (NaN or an infinity) in an array, as the trainer does on
 * every step's gradients before applying them. With the {@linkplain Kernels vector kernels} a
 * vector scan does it at a small fraction of a training step, split over the threads for large
 * arrays; the scalar scan, one comparison per element, otherwise.
 */
public final class Finite {
  private Finite() {}

  /**
   * The index of the first element of {@code a} that is NaN or infinite.
   *
   * @param a the values to scan
   * @return the smallest such index, or {@code -1} if every element is finite
   */
  public static int firstNonFinite(float[] a) {
    if (Kernels.VECTOR != null) {
      // Split as the optimizer splits its update, so each thread scans lines it has cached.
      AtomicBoolean found = new AtomicBoolean();
      Parallelism.forRange(a.length, (from, to) -> {
        if (!VectorFinite.allFinite(a, from, to)) {
          found.set(true);
        }
      });
      if (!found.get()) {
        return -1;
      }
    }
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        return i;
      }
    }
    return -1;
  }
}
