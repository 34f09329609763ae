package dev.adjoint.spark;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * Names the Spark jobs a training run submits from this thread. Unless both forms of a job's call
 * site are set as local properties, Spark computes them for every job by walking the driver
 * thread's stack and matching each frame against its own packages ({@code Utils.getCallSite}):
 * once per synchronous step or local SGD round, and in a short run mostly in the interpreter and
 * the JIT compilers (one of the largest C2 compilations of a local SGD run). Named, the jobs also
 * read as training steps in Spark's UI and logs instead of "runJob at PartitionSum.java".
 */
final class CallSite {
  // The keys of org.apache.spark.util.CallSite.SHORT_FORM and LONG_FORM (private to Spark). Were
  // Spark to rename them, jobs would only go back to being named from the stack.
  static final String SHORT = "callSite.short";
  static final String LONG = "callSite.long";

  private final JavaSparkContext sc;
  private final String previousShort;
  private final String previousLong;

  private CallSite(JavaSparkContext sc) {
    this.sc = sc;
    this.previousShort = sc.getLocalProperty(SHORT);
    this.previousLong = sc.getLocalProperty(LONG);
  }

  /** Names this thread's jobs {@code name} until {@link #restore}. */
  static CallSite name(JavaSparkContext sc, String name) {
    CallSite site = new CallSite(sc);
    sc.setLocalProperty(SHORT, name);
    sc.setLocalProperty(LONG, name);
    return site;
  }

  /** Gives this thread's jobs back the names they had before. */
  void restore() {
    sc.setLocalProperty(SHORT, previousShort);
    sc.setLocalProperty(LONG, previousLong);
  }
}
