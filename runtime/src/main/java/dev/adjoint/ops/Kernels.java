package dev.adjoint.ops;

import java.util.Locale;

/**
 * Which matrix kernels the ops use, chosen once when this class is initialised.
 *
 * <p>With the incubating Vector API in the boot layer ({@code java --add-modules
 * jdk.incubator.vector ...}) and vectors of at least 8 floats, {@link Dense} runs register-blocked
 * fused multiply-add kernels; otherwise it runs the portable scalar kernels that HotSpot
 * vectorises by itself. The system property {@value #PROPERTY}{@code =scalar} forces the scalar
 * kernels, for comparisons.
 *
 * <p>The two kinds round differently (the vector kernels fuse each multiply-add), so their
 * results differ in the last bits; each kind alone gives bit-identical results for any thread
 * count, and the vector kernels also for any vector width.
 */
public final class Kernels {
  /** Property that forces the scalar kernels when set to {@code scalar}. */
  public static final String PROPERTY = "adjoint.ops.kernels";

  /** The module that holds the Vector API. */
  public static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** The vector product kernel, or {@code null} for the scalar kernels. */
  static final Gemm VECTOR = load();

  static {
    // Said once, when the ops are first used: a program of the user's own, run without the
    // module, would otherwise be several times slower with no sign of why.
    if (VECTOR == null && !"scalar".equals(System.getProperty(PROPERTY))
        && ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
      System.err.println(notice());
    }
  }

  private Kernels() {}

  /** Whether the ops use the Vector API kernels. */
  public static boolean vectorized() {
    return VECTOR != null;
  }

  /**
   * One line for users: which kernels run, and how to get the fast ones when they do not.
   */
  public static String description() {
    if (VECTOR != null) {
      return String.format(Locale.ROOT, "kernels: Vector API, %d float lanes, fused multiply-add",
          VectorGemm.lanes());
    }
    if ("scalar".equals(System.getProperty(PROPERTY))) {
      return "kernels: scalar (forced by -D" + PROPERTY + "=scalar)";
    }
    if (ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) {
      return "kernels: scalar (this CPU has vectors narrower than 8 floats)";
    }
    return "kernels: scalar; run java with --add-modules " + VECTOR_MODULE
        + " for the faster vector kernels";
  }

  /**
   * The line printed once, on first use, when the Vector API is missing: what runs, and how to
   * get the fast kernels or to choose the scalar ones without this notice.
   */
  static String notice() {
    return "adjoint: the ops run on their scalar kernels, several times slower than the Vector"
        + " API kernels: run java with --add-modules " + VECTOR_MODULE + " (or -D" + PROPERTY
        + "=scalar to choose the scalar kernels without this notice)";
  }

  private static Gemm load() {
    if ("scalar".equals(System.getProperty(PROPERTY))
        || ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
      return null;
    }
    // Only reached with the module present: loading VectorGemm links the incubator classes
    // (as VectorFinite and VectorActivations do, used only when this returns a kernel).
    return VectorGemm.lanes() >= 8 ? new VectorGemm() : null;
  }
}
