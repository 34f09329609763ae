package dev.adjoint.example;

import dev.adjoint.example.mnist.Train;
import dev.adjoint.ops.Kernels;
import dev.adjoint.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The examples' entry point.
 *
 * <ul>
 *   <li>no arguments: the main job. Runs every seed example (printing each one's numbers beside
 *       the seed's), then trains the MNIST-style classifier on the built-in digits and checks it
 *       reaches 95% test accuracy. Exit status 1 when a number disagrees or the accuracy falls
 *       short.
 *   <li>{@code seeds}: only the seed examples.
 *   <li>{@code train [options]}: only training (see {@link Train#usage()}).
 * </ul>
 */
public final class Main {
  private Main() {}

  /**
   * A hint when the JVM runs a collector other than the serial one, or null. Each training step
   * allocates its activations; on this library's small heaps and few cores the serial collector
   * keeps every core on the kernels (measured: MNIST batch 256, 170k against 64k samples/s with
   * G1, which also takes several epochs to size its young generation).
   */
  static String collectorHint() {
    for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getName().equals("Copy")) {
        return null; // the serial collector's young generation
      }
    }
    return "gc: for faster training run java with -XX:+UseSerialGC";
  }

  /** The accuracy the default digits run must reach on its held-out split. */
  static final double DIGITS_TARGET = 0.95;

  /**
   * Runs the main job, or one command.
   *
   * @param args empty, {@code seeds}, or {@code train} and its options
   * @throws IOException when training cannot read data or write its outputs
   */
  public static void main(String[] args) throws IOException {
    // On stderr, so that the tables on stdout stay the same with either kernels.
    System.err.println(Kernels.description());
    String collector = collectorHint();
    if (collector != null) {
      System.err.println(collector);
    }
    if (args.length > 0 && args[0].equals("train")) {
      Train.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("newton")) {
      dev.adjoint.example.newton.NewtonDigits.main(new String[0]);
      return;
    }
    if (args.length > 0 && !args[0].equals("seeds")) {
      System.err.println("usage: adjoint-example [seeds | newton | train [options]]\n"
          + Train.usage());
      System.exit(2);
    }
    int disagreements = run(System.out);
    if (args.length == 0) {
      System.out.println();
      TrainingResult result = Train.run(Train.Options.parse(List.of()), System.out);
      double accuracy = result.last().testAccuracy();
      boolean ok = accuracy >= DIGITS_TARGET;
      System.out.printf(java.util.Locale.ROOT, "digits test accuracy %.2f%% (target >= %.0f%%): "
          + "%s%n", 100 * accuracy, 100 * DIGITS_TARGET, ok ? "ok" : "BELOW TARGET");
      if (!ok) {
        disagreements++;
      }
    }
    if (disagreements > 0) {
      System.exit(1);
    }
  }

  /**
   * The examples' tables, in order.
   *
   * @return one table per example
   */
  public static List<SeedTable> reports() {
    return List.of(
        SingleNeuron.report(), ApplePrice.report(), ChainRule.report(), TwoLayerNetwork.report(),
        XorNetwork.report());
  }

  /**
   * Prints every example's table and a summary.
   *
   * @param out where to print
   * @return the number of rows that disagree with the seeds
   */
  public static int run(PrintStream out) {
    out.println("Adjoint examples: the worked numbers of the seed backpropagation tutorials,");
    out.println("recomputed with gradients generated at compile time.");
    out.println();
    int rows = 0;
    int disagreements = 0;
    for (SeedTable table : reports()) {
      out.println(table.render());
      rows += table.rows().size();
      disagreements += table.mismatches().size();
    }
    out.println(disagreements == 0
        ? "All " + rows + " rows agree with the seeds."
        : disagreements + " of " + rows + " rows DISAGREE with the seeds.");
    return disagreements;
  }
}
