package dev.adjoint.processor.scaling;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.GeneratedSources;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * How the processor's time grows with the size of a method: generates {@code @Differentiable}
 * functions of 250 to 16,000 statements (locals, overwrites, Math calls, a loop every 50
 * statements) and reports the time spent inside the processor, best of several compilations,
 * each with its ratio to the size half as large (2 when the growth is linear): wall time, the
 * CPU time of the processor's thread (steadier on a busy machine; it leaves out GC pauses), and
 * the collectors' time during the processor's run of the best compilation. The last column says
 * whether javac compiles the function and its gradient: from about 300 statements the gradient
 * is split into parts (see {@link LargeMethodTest}); from about 4,300 the function itself
 * exceeds the JVM's 64 KB per method and javac rejects it, but its gradient, compiled on its
 * own, still compiles. A benchmark, not a test:
 *
 * <pre>mvn -B -q -pl processor -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.adjoint.processor.scaling.ProcessorScaling [-Dexec.args="1000 2000"]</pre>
 */
public final class ProcessorScaling {
  private ProcessorScaling() {}

  /** Times {@link AdjointProcessor#process} and nothing else of javac. */
  private static final class Timed extends AbstractProcessor {
    private final AdjointProcessor delegate = new AdjointProcessor();
    long nanos;
    long cpuNanos;
    /** Collection time (all collectors) while the processor ran: shows whether GC dominates. */
    long gcNanos;

    @Override
    public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      delegate.init(env);
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      long gcStart = gcMillis();
      long cpuStart = delegate.cpuNanos();
      long start = System.nanoTime();
      boolean claimed = delegate.process(annotations, round);
      nanos += System.nanoTime() - start;
      cpuNanos += delegate.cpuNanos() - cpuStart;
      gcNanos += (gcMillis() - gcStart) * 1_000_000;
      return claimed;
    }
  }

  /** A function of about {@code n} statements. */
  static String source(int n) {
    StringBuilder sb = new StringBuilder();
    sb.append("package p;\nimport dev.adjoint.Differentiable;\nfinal class Big {\n");
    sb.append("  @Differentiable static double f(double x, double y, double[] w) {\n");
    sb.append("    double s = x;\n    double t = y;\n");
    for (int k = 0; k < n; k++) {
      switch (k % 5) {
        case 0 -> sb.append("    double a").append(k).append(" = s * t + x;\n");
        case 1 -> sb.append("    s = s * 0.99 + Math.sin(a").append(k - 1).append(") * 0.01;\n");
        case 2 -> sb.append("    t = t + Math.exp(-a").append(k - 2).append(" * a")
            .append(k - 2).append(") * 0.001;\n");
        case 3 -> {
          if (k % 50 == 3) {
            sb.append("    for (int i = 0; i < w.length; i++) { s += w[i] * t * 0.001; }\n");
          } else {
            sb.append("    s = s / (1 + t * t);\n");
          }
        }
        default -> sb.append("    t = Math.tanh(t + s * a").append(k - 4).append(");\n");
      }
    }
    sb.append("    return s + t;\n  }\n}\n");
    return sb.toString();
  }

  /** The runtime's classes (the annotations), wherever this program runs from. */
  private static java.util.List<java.io.File> runtime() {
    try {
      return java.util.List.of(new java.io.File(dev.adjoint.Differentiable.class
          .getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /**
   * Whether javac accepts the function and, compiled on its own, its generated gradient (javac
   * stops before compiling the gradient once it rejects the function as over 64 KB).
   */
  private static String whatCompiles(String src) throws IOException {
    Path dir = Files.createTempDirectory("adjoint-scaling");
    GeneratedSources.Result generated = GeneratedSources.generate(dir, List.of(),
        JavaFileObjects.forSourceString("p.Big", src));
    if (!Files.exists(generated.directory().resolve("p/BigGrad.java"))) {
      return "no gradient: " + generated.diagnostics().stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .map(d -> d.getMessage(Locale.ROOT)).findFirst().orElse("?");
    }
    boolean function = generated.diagnostics().stream()
        .noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR && d.getSource() != null
            && d.getSource().toUri().getPath().endsWith("p/Big.java"));
    Compilation gradient = Compiler.javac().withClasspath(runtime())
        .withOptions("-proc:none", "-Xlint:all")
        .compile(JavaFileObjects.forSourceString("p.BigGrad", generated.source("p.BigGrad")));
    boolean gradientCompiles = gradient.status() == Compilation.Status.SUCCESS
        && gradient.warnings().isEmpty() && generated.problemsBesidesCodeTooLarge().isEmpty();
    return "function " + (function ? "compiles" : "too large") + ", gradient "
        + (gradientCompiles ? "compiles" : "FAILS: " + gradient.diagnostics());
  }

  /** Compiles {@code src}; returns the processor's wall, CPU and GC nanos. */
  private static long[] compile(String src) {
    Timed timed = new Timed();
    Compiler.javac().withProcessors(timed).withClasspath(runtime())
        .compile(JavaFileObjects.forSourceString("p.Big", src));
    return new long[] {timed.nanos, timed.cpuNanos, timed.gcNanos};
  }

  /** {@code ms} over the time at half the size, when that size was measured. */
  private static String ratio(Map<Integer, Double> byN, int n, double ms) {
    Double half = n % 2 == 0 ? byN.get(n / 2) : null;
    return half == null ? "" : String.format(Locale.ROOT, "%.2f", ms / half);
  }

  public static void main(String[] args) throws IOException {
    int[] sizes = args.length > 0
        ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
        : new int[] {250, 500, 1000, 2000, 4000, 5000, 8000, 16000};
    // Warm the JIT up first, so that the small sizes are not measured in the interpreter and
    // the ratios compare like with like.
    for (int run = 0; run < 3; run++) {
      compile(source(2000));
    }
    System.out.println("statements  processor ms (best of 3)  per 1000  ratio to n/2"
        + "  CPU ms  ratio  GC ms");
    Map<Integer, Double> wall = new HashMap<>();
    Map<Integer, Double> cpu = new HashMap<>();
    for (int n : sizes) {
      String src = source(n);
      long[] best = {Long.MAX_VALUE, 0, 0};
      long bestCpu = Long.MAX_VALUE;
      for (int run = 0; run < 3; run++) {
        long[] t = compile(src);
        if (t[0] < best[0]) {
          best = t;
        }
        bestCpu = Math.min(bestCpu, t[1]);
      }
      double ms = best[0] / 1e6;
      double cpuMs = bestCpu / 1e6;
      wall.put(n, ms);
      cpu.put(n, cpuMs);
      System.out.printf(Locale.ROOT, "%10d  %24.0f  %8.1f  %12s  %6.0f  %5s  %5.0f  %s%n", n, ms,
          ms / (n / 1000.0), ratio(wall, n, ms), cpuMs, ratio(cpu, n, cpuMs), best[2] / 1e6,
          whatCompiles(src));
    }
  }
}
