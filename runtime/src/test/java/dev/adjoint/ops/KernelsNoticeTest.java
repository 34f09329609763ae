package dev.adjoint.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A program run without the Vector API module hears once, on the ops' first use, that they fall
 * back to the scalar kernels and how to enable the fast ones; with the module, or with the
 * scalar kernels chosen explicitly, it hears nothing.
 */
class KernelsNoticeTest {
  /** Uses the ops several times, then prints a marker on standard error. */
  public static final class UsesOps {
    public static void main(String[] args) {
      float[] y = Dense.dense(new float[] {1, 2}, new float[] {3, 4}, new float[] {5}, 1, 2, 1);
      Dense.dense(y, new float[] {1}, new float[] {0}, 1, 1, 1);
      System.err.println("vectorized " + Kernels.vectorized());
    }
  }

  private static List<String> stderr(String... jvmOptions) throws IOException,
      InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        UsesOps.class.getName()));
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), err);
    // The JVM's own warning about incubator modules is not ours.
    return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
  }

  @Test
  void withoutTheModuleTheNoticeComesOnce() throws Exception {
    assertEquals(List.of(Kernels.notice(), "vectorized false"), stderr());
  }

  @Test
  void withTheModuleOrAnExplicitChoiceThereIsNone() throws Exception {
    // Vectorized unless this CPU's vectors are narrower than 8 floats: silent either way.
    List<String> withModule = stderr("--add-modules", Kernels.VECTOR_MODULE);
    assertEquals(1, withModule.size(), withModule.toString());
    assertTrue(withModule.get(0).matches("vectorized (true|false)"), withModule.toString());
    assertEquals(List.of("vectorized false"), stderr("-D" + Kernels.PROPERTY + "=scalar"));
  }
}
