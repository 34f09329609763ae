package dev.adjoint.processor.testing;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles sources in-process with the Adjoint processor and loads the result, so tests can call
 * both the original functions and their generated gradients.
 */
public final class Compiled {
  private final Compilation compilation;
  private final Map<String, byte[]> classes;
  private final ClassLoader loader;

  private Compiled(Compilation compilation) {
    this(compilation, Compiled.class.getClassLoader());
  }

  private Compiled(Compilation compilation, ClassLoader parent) {
    this.compilation = compilation;
    this.classes = classFiles(compilation);
    this.loader = new ClassLoader(parent) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = classes.get(name);
        if (b == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, b, 0, b.length);
      }
    };
  }

  /** Compiles with {@code -Xlint:all} plus {@code options}; does not check the outcome. */
  public static Compilation compile(List<String> options, JavaFileObject... sources) {
    // -parameters lets tests match gradient components to parameters by name.
    List<String> all = new ArrayList<>(List.of("-Xlint:all", "-parameters"));
    all.addAll(options);
    return javac().withProcessors(new AdjointProcessor()).withOptions(all).compile(sources);
  }

  /** A source file for class {@code qualifiedName} with the given lines. */
  public static JavaFileObject source(String qualifiedName, String... lines) {
    return JavaFileObjects.forSourceLines(qualifiedName, lines);
  }

  /**
   * Compiles {@code sources}, requiring success without any warning (generated code must be
   * clean under {@code -Xlint:all}), and loads the classes.
   */
  public static Compiled of(JavaFileObject... sources) {
    return of(List.of(), sources);
  }

  /** As {@link #of(JavaFileObject...)} with extra javac options. */
  public static Compiled of(List<String> options, JavaFileObject... sources) {
    return of(options, Compiled.class.getClassLoader(), sources);
  }

  /**
   * As {@link #of(List, JavaFileObject...)}, loading the classes with {@code parent} as the
   * parent loader (for classes compiled against a library on {@code -classpath}).
   */
  public static Compiled of(List<String> options, ClassLoader parent,
      JavaFileObject... sources) {
    Compilation c = compile(options, sources);
    // Generated code must be clean under -Xlint:all (as with -Werror); the test's own input may
    // warn on some JDKs (JDK 20+ flags lossy compound assignments such as float *= double).
    List<Diagnostic<? extends JavaFileObject>> bad = new ArrayList<>(c.errors());
    for (Diagnostic<? extends JavaFileObject> w : c.warnings()) {
      if (w.getSource() == null || w.getSource().toUri().getPath().contains("SOURCE_OUTPUT")) {
        bad.add(w);
      }
    }
    if (c.status() != Compilation.Status.SUCCESS || !bad.isEmpty()) {
      String generated = c.status() != Compilation.Status.SUCCESS ? ""
          : c.generatedSourceFiles().stream().map(Compiled::text)
              .collect(Collectors.joining("\n"));
      throw new AssertionError("compilation failed or generated code warned:\n" + bad.stream()
          .map(Object::toString).collect(Collectors.joining("\n")) + "\n" + generated);
    }
    return new Compiled(c, parent);
  }

  public Compilation compilation() {
    return compilation;
  }

  /**
   * Writes the compiled classes under {@code dir} by package, as a library directory a later
   * compilation can take on its classpath.
   */
  public void writeClassesTo(java.nio.file.Path dir) throws IOException {
    write(classes, dir);
  }

  /**
   * Writes the classes of {@code c}, whatever its outcome, under {@code dir} by package, as
   * {@link #writeClassesTo} does.
   */
  public static void writeClasses(Compilation c, java.nio.file.Path dir) throws IOException {
    write(classFiles(c), dir);
  }

  private static void write(Map<String, byte[]> classes, java.nio.file.Path dir)
      throws IOException {
    for (Map.Entry<String, byte[]> e : classes.entrySet()) {
      java.nio.file.Path target = dir.resolve(e.getKey().replace('.', '/') + ".class");
      java.nio.file.Files.createDirectories(target.getParent());
      java.nio.file.Files.write(target, e.getValue());
    }
  }

  /** The class files {@code c} generated, by binary name. */
  private static Map<String, byte[]> classFiles(Compilation c) {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() == JavaFileObject.Kind.CLASS) {
        String path = f.toUri().getPath();
        String name = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(),
            path.length() - ".class".length()).replace('/', '.');
        try (InputStream in = f.openInputStream()) {
          classes.put(name, in.readAllBytes());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return classes;
  }

  /** The class file of the compiled class with the given binary name, such as {@code p.A$B}. */
  public byte[] classFile(String binaryName) {
    byte[] b = classes.get(binaryName);
    if (b == null) {
      throw new AssertionError("class not compiled: " + binaryName);
    }
    return b.clone();
  }

  /** The text of a generated source file, such as {@code p.FooGrad}. */
  public String generatedSource(String qualifiedName) {
    String path = qualifiedName.replace('.', '/') + ".java";
    return compilation.generatedSourceFiles().stream()
        .filter(f -> f.toUri().getPath().endsWith(path)).findFirst().map(Compiled::text)
        .orElseThrow(() -> new AssertionError("no generated file " + qualifiedName));
  }

  private static String text(JavaFileObject f) {
    try {
      return f.getCharContent(true).toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Class<?> load(String name) {
    try {
      return loader.loadClass(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("class not compiled: " + name, e);
    }
  }

  /** The static method {@code cls.method} that accepts {@code args}. */
  public Method method(String cls, String method, Object... args) {
    return find(load(cls), method, args);
  }

  /** Calls static method {@code cls.method} with {@code args} (matched by count and types). */
  public Object invoke(String cls, String method, Object... args) {
    Method m = find(load(cls), method, args);
    try {
      m.setAccessible(true);
      return m.invoke(null, args);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    } catch (InvocationTargetException e) {
      throw new AssertionError("call failed: " + cls + "." + method, e.getCause());
    }
  }

  /** The original function's value as a double. */
  public double value(String cls, String method, Object... args) {
    return ((Number) invoke(cls, method, args)).doubleValue();
  }

  /**
   * Calls the generated gradient {@code clsGrad.method} and returns its record components as
   * doubles: the value first, then the partial derivatives.
   */
  public double[] gradient(String cls, String method, Object... args) {
    Object record = invoke(cls + "Grad", method, args);
    RecordComponent[] comps = record.getClass().getRecordComponents();
    double[] out = new double[comps.length];
    for (int i = 0; i < comps.length; i++) {
      try {
        Method accessor = comps[i].getAccessor();
        accessor.setAccessible(true);
        out[i] = ((Number) accessor.invoke(record)).doubleValue();
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** Names of the components of the gradient record of {@code cls.method}. */
  public List<String> componentNames(String cls, String method, Object... args) {
    Object record = invoke(cls + "Grad", method, args);
    List<String> names = new ArrayList<>();
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      names.add(c.getName());
    }
    return names;
  }

  private static Method find(Class<?> c, String name, Object[] args) {
    Method found = null;
    for (Method m : c.getDeclaredMethods()) {
      if (!m.getName().equals(name) || m.getParameterCount() != args.length) {
        continue;
      }
      Class<?>[] types = m.getParameterTypes();
      boolean ok = true;
      for (int i = 0; i < args.length; i++) {
        ok &= args[i] == null ? !types[i].isPrimitive()
            : wrapper(types[i]).isInstance(args[i]);
      }
      if (ok) {
        if (found != null) {
          throw new AssertionError("ambiguous call of " + name);
        }
        found = m;
      }
    }
    if (found == null) {
      throw new AssertionError("no method " + c.getName() + "." + name + " for the arguments");
    }
    return found;
  }

  private static Class<?> wrapper(Class<?> t) {
    if (!t.isPrimitive()) {
      return t;
    }
    return switch (t.getName()) {
      case "double" -> Double.class;
      case "float" -> Float.class;
      case "long" -> Long.class;
      case "int" -> Integer.class;
      case "short" -> Short.class;
      case "byte" -> Byte.class;
      case "char" -> Character.class;
      default -> Boolean.class;
    };
  }
}
