package dev.adjoint.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relaunch that gives a plain {@code java -jar} the options of full speed. */
class LauncherTest {
  @Test
  void addsOnlyWhatIsMissing() {
    assertEquals(List.of("--add-modules=jdk.incubator.vector", "-XX:+UseSerialGC"),
        Launcher.missingOptions(List.of("-Xmx2g"), false, true, false));
    assertEquals(List.of(), Launcher.missingOptions(List.of(), true, true, true));
    // A collector the user chose is kept; a JDK without the module is not asked for it.
    assertEquals(List.of("--add-modules=jdk.incubator.vector"),
        Launcher.missingOptions(List.of("-XX:+UseParallelGC"), false, true, false));
    assertEquals(List.of("-XX:+UseSerialGC"),
        Launcher.missingOptions(List.of(), false, false, false));
  }

  @Test
  void aJavaDashJarIsRelaunchedAsOneKeepingItsManifest(@TempDir Path dir) throws IOException {
    // Only a -jar launch honours the manifest's Add-Opens (the Spark jar's): so it is kept.
    Path jar = dir.resolve("app.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
    new JarOutputStream(Files.newOutputStream(jar), manifest).close();   // the manifest alone
    assertTrue(Launcher.isMainJar(jar.toString(), Main.class));
    assertFalse(Launcher.isMainJar(jar.toString(), Launcher.class), "another main class");
    assertFalse(Launcher.isMainJar(jar + java.io.File.pathSeparator + dir, Main.class));
    assertFalse(Launcher.isMainJar(dir.toString(), Main.class), "a folder");
    assertFalse(Launcher.isMainJar(dir.resolve("missing.jar").toString(), Main.class));
  }

  @Test
  void neverTwiceAndNeverWhenTurnedOff() {
    assertFalse(Launcher.disabled(List.of(), null, null, false));
    assertTrue(Launcher.disabled(List.of(), null, null, true), "already relaunched");
    assertTrue(Launcher.disabled(List.of(), "false", null, false));
    assertTrue(Launcher.disabled(List.of(), null, "0", false));
    assertTrue(Launcher.disabled(List.of(), null, "false", false));
    assertFalse(Launcher.disabled(List.of(), null, "1", false));
    assertTrue(Launcher.disabled(
        List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005"), null, null, false));
  }

  @Test
  void helpVersionAndCompletionStayInThisJvm() {
    assertTrue(Launcher.needsSpeed(new String[] {}));
    assertTrue(Launcher.needsSpeed(new String[] {"train", "--dataset", "mnist"}));
    assertFalse(Launcher.needsSpeed(new String[] {"train", "--help"}));
    assertFalse(Launcher.needsSpeed(new String[] {"-V"}));
    assertFalse(Launcher.needsSpeed(new String[] {"completion"}));
  }

  /** Runs Main in a JVM without the module, as {@code java -jar} does. */
  private static String[] runMain(boolean relaunch, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove(Launcher.ENV);
    if (!relaunch) {
      pb.environment().put(Launcher.ENV, "0");
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new String[] {String.valueOf(p.waitFor()), out, err};
  }

  @Test
  void aPlainJvmRelaunchesWithTheVectorModuleOnce() throws Exception {
    String[] r = runMain(true, "train", "--epochs", "0");
    assertEquals("2", r[0], r[2]);
    // The second JVM loaded the module (the JVM warns about incubator modules), and reported
    // the bad option once.
    assertTrue(r[2].contains("WARNING: Using incubator modules: jdk.incubator.vector"), r[2]);
    assertEquals(1, r[2].lines().filter(l -> l.contains("--epochs")).count(), r[2]);

    String[] off = runMain(false, "train", "--epochs", "0");
    assertEquals("2", off[0], off[2]);
    assertFalse(off[2].contains("incubator"), off[2]);
    assertEquals(1, off[2].lines().count(), off[2]);
  }
}
