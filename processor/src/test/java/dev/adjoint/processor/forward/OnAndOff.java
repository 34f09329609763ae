package dev.adjoint.processor.forward;

import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.Compiled;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import javax.tools.JavaFileObject;

/**
 * A test class's source compiled twice, with the analyses on and off (on first use, then kept),
 * and the numeric checks of its forward-mode forms ({@link ForwardCheck}) under both.
 */
final class OnAndOff {
  private final String cls;
  private final Supplier<JavaFileObject> source;
  private Compiled on;
  private Compiled off;

  OnAndOff(String cls, Supplier<JavaFileObject> source) {
    this.cls = cls;
    this.source = source;
  }

  Compiled compiled(boolean analyses) {
    if (on == null) {
      on = Compiled.of(source.get());
      off = Compiled.of(List.of("-A" + AdjointProcessor.ANALYSES_OPTION + "=off"),
          source.get());
    }
    return analyses ? on : off;
  }

  /** Checks {@code method}'s JVP at {@code args} along three random tangents, both ways. */
  void jvp(String method, Object[] args) {
    check(method, (check, random) -> check.jvp(args, random));
  }

  /** Checks {@code method}'s HVP at {@code args} along three random directions, both ways. */
  void hvp(String method, Object[] args) {
    check(method, (check, random) -> check.hvp(args, random));
  }

  private void check(String method, BiConsumer<ForwardCheck, Random> checks) {
    for (boolean analyses : new boolean[] {true, false}) {
      ForwardCheck check = new ForwardCheck(compiled(analyses), cls, method);
      Random random = new Random(method.hashCode());
      for (int k = 0; k < 3; k++) {
        checks.accept(check, random);
      }
    }
  }
}
