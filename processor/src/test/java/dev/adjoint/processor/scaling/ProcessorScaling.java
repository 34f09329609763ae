package dev.adjoint.processor.scaling;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.Compiled;
import dev.adjoint.processor.testing.GeneratedSources;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * How the processor's time grows with the size of a method: generates {@code @Differentiable}
 * functions of 1,000 to 8,000 statements (locals, overwrites, Math calls, a loop every 50
 * statements) and reports the time spent inside the processor, best of several compilations,
 * and whether the function and its generated gradient compile. From about 300 statements the
 * gradient is split into parts (whole, it would exceed the JVM's 64 KB of bytecode per method
 * from about 1,000; see {@link LargeMethodTest}); from about 4,300 the function itself exceeds
 * 64 KB and javac rejects it, but its gradient still compiles on its own. A benchmark, not a
 * test:
 *
 * <pre>mvn -B -q -pl processor -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.adjoint.processor.scaling.ProcessorScaling</pre>
 */
public final class ProcessorScaling {
  private ProcessorScaling() {}

  /** Times {@link AdjointProcessor#process} and nothing else of javac. */
  private static final class Timed extends AbstractProcessor {
    private final AdjointProcessor delegate = new AdjointProcessor();
    long nanos;
    long cpuNanos;

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
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpu = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      boolean claimed = delegate.process(annotations, round);
      nanos += System.nanoTime() - start;
      cpuNanos += threads.getCurrentThreadCpuTime() - cpu;
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

  public static void main(String[] args) throws IOException {
    int[] sizes = {250, 1000, 2000, 4000, 5000, 8000};
    // CPU time as well: on a busy machine it varies less than the elapsed time.
    System.out.println("statements  processor ms (best of 3)  ms per 1000 statements  "
        + "cpu ms  function   gradient");
    for (int n : sizes) {
      String src = source(n);
      long best = Long.MAX_VALUE;
      long bestCpu = Long.MAX_VALUE;
      for (int run = 0; run < 3; run++) {
        Timed timed = new Timed();
        Compiler.javac().withProcessors(timed).withClasspath(runtime())
            .compile(JavaFileObjects.forSourceString("p.Big", src));
        best = Math.min(best, timed.nanos);
        bestCpu = Math.min(bestCpu, timed.cpuNanos);
      }
      // Whether javac accepts the function, and the generated gradient on its own (javac stops
      // before generating code for it once it rejects the function as over 64 KB).
      Path dir = Files.createTempDirectory("adjoint-scaling");
      GeneratedSources.Result generated = GeneratedSources.generate(dir, List.of(),
          JavaFileObjects.forSourceString("p.Big", src));
      boolean function = generated.diagnostics().stream()
          .noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR && d.getSource() != null
              && d.getSource().toUri().getPath().endsWith("p/Big.java"));
      Compilation gradient = Compiled.compile(List.of("-proc:none"),
          JavaFileObjects.forSourceString("p.BigGrad", generated.source("p.BigGrad")));
      boolean gradientCompiles = gradient.status() == Compilation.Status.SUCCESS
          && gradient.warnings().isEmpty() && generated.problemsBesidesCodeTooLarge().isEmpty();
      System.out.printf(Locale.ROOT, "%10d  %24.0f  %22.1f  %6.0f  %-9s  %s%n", n, best / 1e6,
          best / 1e6 / (n / 1000.0), bestCpu / 1e6, function ? "compiles" : "too large",
          gradientCompiles ? "compiles" : "FAILS: " + gradient.diagnostics());
    }
  }
}
