package dev.adjoint.example;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs the program at full speed from a plain {@code java -jar}: when this JVM lacks options that
 * training needs to be fast, it starts the program again in a JVM that has them, passing the
 * same arguments, streams and JVM options, and exits with its status, as build tools and servers
 * relaunch themselves.
 *
 * <p>The options, each added only when missing:
 *
 * <ul>
 *   <li>{@code --add-modules jdk.incubator.vector}: the Vector API kernels of the ops, several
 *       times faster than the scalar ones;
 *   <li>{@code -XX:+UseSerialGC}, unless a collector was chosen: each step allocates its
 *       activations, and on few cores the serial collector leaves them to the kernels (MNIST
 *       784-128-10 at batch 64 on 2 cores: see the README).
 * </ul>
 *
 * <p>The JVM started is marked with {@value #RELAUNCHED}{@code =true}, so it never relaunches
 * again. Setting the environment variable {@value #ENV}{@code =0} or the property {@code
 * -D}{@value #PROPERTY}{@code =false} keeps the program in the first JVM, as does a debugger
 * agent (which the second JVM could not bind).
 */
public final class Launcher {
  /** Property set on the relaunched JVM. */
  static final String RELAUNCHED = "adjoint.relaunched";
  /** Property that turns relaunching off when {@code false}. */
  static final String PROPERTY = "adjoint.relaunch";
  /** Environment variable that turns relaunching off when {@code 0}, {@code false} or {@code no}. */
  static final String ENV = "ADJOINT_RELAUNCH";

  static final String VECTOR_MODULE = "jdk.incubator.vector";

  private Launcher() {}

  /**
   * The JVM options that this JVM is missing, given its facts; empty when it runs as fast as it
   * can.
   *
   * @param jvmOptions the options this JVM was started with
   * @param vectorModuleLoaded whether the Vector API module is in the boot layer
   * @param vectorModuleInJdk whether this JDK has the module at all
   * @param serialCollector whether this JVM runs the serial collector
   */
  static List<String> missingOptions(List<String> jvmOptions, boolean vectorModuleLoaded,
      boolean vectorModuleInJdk, boolean serialCollector) {
    List<String> missing = new ArrayList<>();
    if (!vectorModuleLoaded && vectorModuleInJdk) {
      missing.add("--add-modules=" + VECTOR_MODULE);
    }
    boolean collectorChosen = jvmOptions.stream()
        .anyMatch(o -> o.matches("-XX:[+-]Use\\w*GC"));
    if (!serialCollector && !collectorChosen) {
      missing.add("-XX:+UseSerialGC");
    }
    return missing;
  }

  /**
   * Whether the command line trains, and so is worth a relaunch: not when it asks for help, the
   * version or the completion script.
   */
  public static boolean needsSpeed(String[] args) {
    List<String> a = List.of(args);
    return !(a.contains("-h") || a.contains("--help") || a.contains("-V")
        || a.contains("--version") || !a.isEmpty() && a.get(0).equals("completion"));
  }

  /** Whether relaunching is turned off, or this JVM is already the relaunched one. */
  static boolean disabled(List<String> jvmOptions, String property, String env,
      boolean relaunched) {
    return relaunched
        || "false".equalsIgnoreCase(property)
        || env != null && List.of("0", "false", "no").contains(env.strip().toLowerCase(java.util.Locale.ROOT))
        || jvmOptions.stream().anyMatch(o -> o.contains("jdwp"));
  }

  /**
   * Runs {@code mainClass} with {@code args} in a JVM with the missing options, if any are
   * missing and relaunching is on.
   *
   * @return the relaunched program's exit status, or empty to go on in this JVM
   */
  public static OptionalInt relaunch(Class<?> mainClass, String[] args) {
    List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
    if (disabled(jvmOptions, System.getProperty(PROPERTY), System.getenv(ENV),
        Boolean.getBoolean(RELAUNCHED))) {
      return OptionalInt.empty();
    }
    List<String> missing = missingOptions(jvmOptions,
        ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent(),
        ModuleFinder.ofSystem().find(VECTOR_MODULE).isPresent(), serialCollector());
    if (missing.isEmpty()) {
      return OptionalInt.empty();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(missing);
    command.add("-D" + RELAUNCHED + "=true");
    String classPath = System.getProperty("java.class.path");
    if (isMainJar(classPath, mainClass)) {
      // Started with java -jar: so is the child, which keeps the manifest's Add-Opens and
      // Enable-Native-Access (honoured only for the -jar jar), as Spark's jar needs.
      command.add("-jar");
      command.add(classPath);
    } else {
      command.add("-cp");
      command.add(classPath);
      command.add(mainClass.getName());
    }
    command.addAll(List.of(args));
    Process child;
    try {
      child = new ProcessBuilder(command).inheritIO().start();
    } catch (IOException e) {
      System.err.println("launcher: cannot start " + command.get(0) + " with " + missing + " ("
          + e.getMessage() + "); running without them");
      return OptionalInt.empty();
    }
    // Ctrl-C reaches both JVMs; a signal to this one alone (kill, a timeout) is passed on. Either
    // way this JVM waits for the program's own shutdown (its checkpoint message) to finish.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (child.isAlive()) {
        child.destroy();
        try {
          child.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "launcher-child"));
    while (true) {
      try {
        return OptionalInt.of(child.waitFor());
      } catch (InterruptedException e) {
        // Keep waiting: the child owns the terminal until it exits.
      }
    }
  }

  /** Whether the class path is one jar whose manifest names {@code mainClass}: a java -jar. */
  static boolean isMainJar(String classPath, Class<?> mainClass) {
    if (classPath == null || !classPath.endsWith(".jar")
        || classPath.contains(java.io.File.pathSeparator)) {
      return false;
    }
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(classPath)) {
      java.util.jar.Manifest manifest = jar.getManifest();
      return manifest != null && mainClass.getName()
          .equals(manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.MAIN_CLASS));
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether this JVM runs the serial collector (its young generation is called "Copy"). */
  private static boolean serialCollector() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getName().equals("Copy")) {
        return true;
      }
    }
    return false;
  }
}
