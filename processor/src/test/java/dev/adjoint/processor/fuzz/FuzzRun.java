package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.testing.Compiled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.tools.JavaFileObject;

/**
 * A fuzzing run: generates programs from a seed, compiles them in batches (one javac run for
 * several programs, to amortise its start-up) with and without the optimising analyses, and
 * checks each program's gradients with a {@link FuzzChecker}.
 */
final class FuzzRun {
  /** A program whose checks take longer than this probably loops forever. */
  private static final long TIMEOUT_SECONDS = 60;

  final long seed;
  final int points;
  /** Extra javac options of every compilation (processor options). */
  private final List<String> options;
  final FuzzChecker.Stats stats = new FuzzChecker.Stats();
  final List<FuzzChecker.Failure> failures = new ArrayList<>();
  private ExecutorService executor = newExecutor();

  FuzzRun(long seed, int points) {
    this(seed, points, List.of());
  }

  FuzzRun(long seed, int points, List<String> options) {
    this.seed = seed;
    this.points = points;
    this.options = options;
  }

  private static ExecutorService newExecutor() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-check");
      t.setDaemon(true);
      return t;
    });
  }

  /** Generates, compiles and checks programs {@code first ... first + count - 1}. */
  void batch(int first, int count) {
    List<FuzzProgram> programs = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      programs.add(ProgramGenerator.generate(seed, i));
    }
    if (Boolean.getBoolean("adjoint.fuzz.print")) {
      programs.forEach(p -> System.out.println(p.source()));
    }
    Compiled on;
    Compiled off;
    try {
      on = compile(programs, true);
      off = compile(programs, false);
    } catch (AssertionError | IllegalStateException e) {
      // Find the programs that do not compile, and check the others.
      List<FuzzProgram> good = new ArrayList<>();
      for (FuzzProgram p : programs) {
        boolean analyses = true;
        try {
          compile(List.of(p), true);
          analyses = false;
          compile(List.of(p), false);
          good.add(p);
        } catch (AssertionError | IllegalStateException single) {
          failures.add(new FuzzChecker.Failure(p, "(all)", "compilation failed or warned "
              + (analyses ? "(analyses on)" : "(analyses off)"), "", single.getMessage(), ""));
        }
      }
      if (good.isEmpty()) {
        return;
      }
      programs = good;
      on = compile(programs, true);
      off = compile(programs, false);
    }
    FuzzChecker checker = new FuzzChecker(on, off);
    for (FuzzProgram p : programs) {
      Future<List<FuzzChecker.Failure>> result = executor.submit(
          () -> checker.check(p, points, stats));
      boolean failed = false;
      try {
        List<FuzzChecker.Failure> found = result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        failures.addAll(found);
        failed = !found.isEmpty();
      } catch (TimeoutException e) {
        failures.add(new FuzzChecker.Failure(p, "(some)", "timeout: checking took more than "
            + TIMEOUT_SECONDS + " s (an endless loop?)", "", "", ""));
        result.cancel(true);
        failed = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      } catch (ExecutionException e) {
        throw new AssertionError(e.getCause());
      }
      if (failed) {
        // A gradient that failed may have left this thread's tape unbalanced (or may still be
        // running): later programs run on a fresh thread, with a fresh tape.
        executor.shutdownNow();
        executor = newExecutor();
      }
    }
  }

  /** Compiles programs (with their probes when the analyses are on). */
  private Compiled compile(List<FuzzProgram> programs, boolean analyses) {
    List<JavaFileObject> sources = new ArrayList<>();
    for (FuzzProgram p : programs) {
      sources.add(Compiled.source(p.qualifiedName(), p.source().split("\n", -1)));
      if (analyses) {
        sources.add(Compiled.source(p.probeName(), p.probeSource().split("\n", -1)));
      }
    }
    List<String> all = new ArrayList<>(options);
    if (!analyses) {
      all.add("-Aadjoint.analyses=off");
    }
    return Compiled.of(all, sources.toArray(new JavaFileObject[0]));
  }
}
