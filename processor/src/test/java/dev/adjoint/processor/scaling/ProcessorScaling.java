package dev.adjoint.processor.scaling;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import java.util.Locale;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * How the processor's time grows with the size of a method: generates {@code @Differentiable}
 * functions of 1,000 to 8,000 statements (locals, overwrites, Math calls, a loop every 50
 * statements) and reports the time spent inside the processor, best of several compilations.
 * A benchmark, not a test:
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
      long start = System.nanoTime();
      boolean claimed = delegate.process(annotations, round);
      nanos += System.nanoTime() - start;
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

  public static void main(String[] args) {
    int[] sizes = {250, 1000, 2000, 4000, 5000, 8000};
    System.out.println("statements  processor ms (best of 3)  ms per 1000 statements");
    for (int n : sizes) {
      String src = source(n);
      long best = Long.MAX_VALUE;
      boolean compiles = false;
      for (int run = 0; run < 3; run++) {
        Timed timed = new Timed();
        Compilation c = Compiler.javac().withProcessors(timed).withClasspath(runtime())
            .compile(JavaFileObjects.forSourceString("p.Big", src));
        // The processor's own time is what is measured; javac may still reject a very long
        // generated method afterwards (the JVM's 64 KB limit per method).
        compiles = c.status() == Compilation.Status.SUCCESS;
        best = Math.min(best, timed.nanos);
      }
      System.out.printf(Locale.ROOT, "%10d  %24.0f  %22.1f  %s%n", n, best / 1e6,
          best / 1e6 / (n / 1000.0), compiles ? "" : "(javac: generated method too large)");
    }
  }
}
