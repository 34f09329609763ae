package dev.adjoint.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The build runs the ops tests twice, with and without the Vector API: each run checks its own. */
class KernelsTest {
  @Test
  void vectorKernelsRunExactlyWhenTheModuleIsPresent() {
    boolean present = ModuleLayer.boot().findModule(Kernels.VECTOR_MODULE).isPresent();
    String description = Kernels.description();
    if (!present) {
      assertFalse(Kernels.vectorized());
      assertTrue(description.contains("--add-modules " + Kernels.VECTOR_MODULE), description);
    } else if (Kernels.vectorized()) {
      assertTrue(description.startsWith("kernels: Vector API"), description);
    } else {
      assertTrue(description.startsWith("kernels: scalar ("), description);
    }
  }

}
