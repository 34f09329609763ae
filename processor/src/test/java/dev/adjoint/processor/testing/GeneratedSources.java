package dev.adjoint.processor.testing;

import dev.adjoint.Differentiable;
import dev.adjoint.processor.AdjointProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Runs javac with the Adjoint processor writing generated sources to a directory, where they
 * stay even when javac rejects the input: a function over 64 KB of bytecode is itself "code too
 * large", yet its generated gradient must compile (compile-testing hides generated files once a
 * compilation fails).
 */
public final class GeneratedSources {
  private GeneratedSources() {}

  /**
   * What javac reported, and where the generated sources are.
   *
   * @param diagnostics javac's diagnostics on the input and the generated sources
   * @param directory the root of the generated sources
   */
  public record Result(List<Diagnostic<? extends JavaFileObject>> diagnostics, Path directory) {
    /** The text of the generated source of class {@code qualifiedName}. */
    public String source(String qualifiedName) {
      try {
        return Files.readString(directory.resolve(qualifiedName.replace('.', '/') + ".java"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The errors and warnings, other than javac's rejection of a method of the input. */
    public List<Diagnostic<? extends JavaFileObject>> problemsBesidesCodeTooLarge() {
      return diagnostics.stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR
              || d.getKind() == Diagnostic.Kind.WARNING
              || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
          .filter(d -> d.getSource() == null || d.getSource().toUri().getPath().startsWith(
              directory.toUri().getPath()) || !d.getMessage(Locale.ROOT).contains("code too large"))
          .toList();
    }
  }

  /**
   * Compiles {@code sources} with {@code -Xlint:all}, the processor and {@code options} (such as
   * {@code -proc:only}, to generate without compiling), into {@code dir}.
   */
  public static Result generate(Path dir, List<String> options, JavaFileObject... sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      Path generated = Files.createDirectories(dir.resolve("generated"));
      files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(generated));
      files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT,
          List.of(Files.createDirectories(dir.resolve("classes"))));
      files.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of(runtimeClasses()));
      List<String> all = new ArrayList<>(List.of("-Xlint:all"));
      all.addAll(options);
      JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, all, null,
          List.of(sources));
      task.setProcessors(List.of(new AdjointProcessor()));
      task.call();
      return new Result(diagnostics.getDiagnostics(), generated);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the runtime's classes are (the annotations, the tape). */
  private static Path runtimeClasses() {
    try {
      return Path.of(Differentiable.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
