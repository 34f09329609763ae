package dev.adjoint.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Compares one benchmark method as built by two versions of this module, in one JVM: each
 * jar is loaded by its own class loader, and the two run in alternating blocks, so that the
 * machine's load drifts over both alike. JMH forks one JVM per run, and on this shared machine a
 * large generated method's compiled code differs from fork to fork by up to 30%; alternating in
 * one JVM removes that scatter from a before/after comparison. Prints each side's median thread
 * CPU time per call and the median over rounds of B's time over A's.
 *
 * <pre>
 * java -XX:+UseParallelGC -cp bench/target/adjoint-bench.jar dev.adjoint.bench.BuildsAb \
 *     BEFORE.jar AFTER.jar dev.adjoint.bench.MlpBenchmark gradientGenerated [ROUNDS] [BLOCK]
 * </pre>
 */
public final class BuildsAb {
  private BuildsAb() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: BuildsAb A.jar B.jar BENCHMARK_CLASS METHOD [ROUNDS=40] [BLOCK=10]");
      System.exit(2);
    }
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 40;
    int block = args.length > 5 ? Integer.parseInt(args[5]) : 10;
    Object[] state = new Object[2];
    Method[] method = new Method[2];
    for (int k = 0; k < 2; k++) {
      // The platform loader as parent: each jar's classes (generated code, runtime) stay apart.
      URLClassLoader loader = new URLClassLoader(
          new URL[] {Path.of(args[k]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      Class<?> type = loader.loadClass(args[2]);
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      state[k] = constructor.newInstance();
      method[k] = type.getMethod(args[3]);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int warmUp = 0; warmUp < 30; warmUp++) {
      for (int k = 0; k < 2; k++) {
        for (int i = 0; i < block; i++) {
          method[k].invoke(state[k]);
        }
      }
    }
    double[][] micros = new double[2][rounds];
    double[] ratio = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      for (int turn = 0; turn < 2; turn++) {
        int k = round % 2 == 0 ? turn : 1 - turn; // who goes first alternates too
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < block; i++) {
          method[k].invoke(state[k]);
        }
        micros[k][round] = (threads.getCurrentThreadCpuTime() - start) / 1e3 / block;
      }
      ratio[round] = micros[1][round] / micros[0][round];
    }
    Arrays.sort(micros[0]);
    Arrays.sort(micros[1]);
    Arrays.sort(ratio);
    System.out.printf(
        "A %.1f us, B %.1f us (medians, CPU time per call); B / A per round: median %.3f,"
            + " quartiles %.3f to %.3f over %d rounds%n",
        micros[0][rounds / 2], micros[1][rounds / 2], ratio[rounds / 2], ratio[rounds / 4],
        ratio[3 * rounds / 4], rounds);
  }
}
