package dev.adjoint.example;

import java.io.PrintStream;
import java.util.List;

/**
 * Runs every example in the order of the seed tutorials and prints each one's numbers beside the
 * seed's. It is self-checking: the exit status is 1 when any number disagrees with the seed
 * beyond the seed's printed precision (or a gradient check fails), 0 otherwise.
 */
public final class Main {
  private Main() {}

  /**
   * Runs all examples.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    int disagreements = run(System.out);
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
