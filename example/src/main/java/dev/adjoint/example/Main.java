package dev.adjoint.example;

import dev.adjoint.example.cli.Cli;
import dev.adjoint.example.finance.MonteCarloGreeks;
import dev.adjoint.example.mnist.Train;
import dev.adjoint.example.mnist.TrainOptions;
import dev.adjoint.example.newton.NewtonDigits;
import dev.adjoint.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The examples' entry point, {@code java -jar adjoint-example.jar [COMMAND]}.
 *
 * <ul>
 *   <li>no command: the main job. Runs every seed example (printing each one's numbers beside
 *       the seed's), then trains the MNIST-style classifier on the built-in digits and checks it
 *       reaches 95% test accuracy. Exit status 1 when a number disagrees or the accuracy falls
 *       short.
 *   <li>{@code seeds}: only the seed examples.
 *   <li>{@code train [options]}: only training (see {@link Train}).
 *   <li>{@code newton}: Newton-CG on the digits, beside Adam (see {@link NewtonDigits}).
 *   <li>{@code greeks}: Monte Carlo price and Greeks of a European and an Asian call by adjoint
 *       differentiation, checked against Black-Scholes and central differences (see
 *       {@link MonteCarloGreeks}).
 *   <li>{@code completion}: a bash/zsh completion script.
 * </ul>
 *
 * <p>Started without the JVM options that make training fast, it first relaunches itself with
 * them ({@link Launcher}).
 */
@Command(name = "adjoint-example", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "Without a command: the seed examples' numbers, then the digits classifier, which must"
            + " reach 95%% held-out accuracy."},
    subcommands = Train.class,
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:every number agrees and the accuracy is reached",
        "1:a number disagrees, the accuracy falls short, or a file cannot be read or written",
        "2:bad options"},
    footerHeading = "%nEnvironment:%n",
    footer = {
        "  ADJOINT_RELAUNCH=0  run in this JVM as it is. By default the program restarts",
        "                      itself with --add-modules jdk.incubator.vector and",
        "                      -XX:+UseSerialGC when they are missing.",
        "  ADJOINT_DEBUG=1     print the stack trace of an unexpected error."})
public final class Main implements Callable<Integer> {
  /** The version in the jar's manifest ("dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"adjoint-example " + (v == null ? "dev" : v)};
    }
  }

  /** The accuracy the default digits run must reach on its held-out split. */
  static final double DIGITS_TARGET = 0.95;

  @Spec private CommandSpec spec;

  /**
   * Runs the main job, or one command; relaunches the JVM first when it lacks the options that
   * make training fast.
   *
   * @param args empty, or a command and its options
   */
  public static void main(String[] args) {
    OptionalInt relaunched = Launcher.needsSpeed(args)
        ? Launcher.relaunch(Main.class, args)
        : OptionalInt.empty();
    if (relaunched.isPresent()) {
      System.exit(relaunched.getAsInt());
    }
    CommandLine commandLine = commandLine();
    int status;
    try {
      status = commandLine.execute(args);
    } catch (RuntimeException | Error e) {
      status = Cli.report(e, commandLine);
    }
    System.exit(status);
  }

  /** The program's command line, with the one-line error handlers of {@link Cli}. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    // Subcommands have --version too (mixinStandardHelpOptions): the same version, not nothing.
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new Version());
    }
    return Cli.configure(commandLine);
  }

  /** The main job. */
  @Override
  public Integer call() throws IOException {
    Train.describeKernels();
    int disagreements = run(System.out);
    System.out.println();
    TrainingResult result = Train.run(TrainOptions.parse(List.of()), System.out);
    double accuracy = result.last().orElseThrow().testAccuracy();
    boolean ok = accuracy >= DIGITS_TARGET;
    System.out.printf(Locale.ROOT, "digits test accuracy %.2f%% (target >= %.0f%%): %s%n",
        100 * accuracy, 100 * DIGITS_TARGET, ok ? "ok" : "BELOW TARGET");
    return disagreements == 0 && ok ? 0 : 1;
  }

  /** Only the seed examples. */
  @Command(name = "seeds", mixinStandardHelpOptions = true,
      description = "Prints the seed tutorials' worked numbers beside Adjoint's.")
  int seeds() {
    return run(System.out) == 0 ? 0 : 1;
  }

  /** Newton-CG on the generated Hessian-vector product, beside Adam. */
  @Command(name = "newton", mixinStandardHelpOptions = true,
      description = "Fits multinomial logistic regression on the built-in digits with Newton-CG"
          + " on the generated Hessian-vector product, beside full-batch Adam.")
  int newton() {
    NewtonDigits.run(System.out);
    return 0;
  }

  /** Monte Carlo Greeks of a European and an Asian call. */
  @Command(name = "greeks", mixinStandardHelpOptions = true,
      description = "Prices a European and an arithmetic Asian call by Monte Carlo, with delta,"
          + " vega and rho from the generated adjoint and their standard errors, checked against"
          + " Black-Scholes and central differences.")
  int greeks() {
    return MonteCarloGreeks.run(System.out) ? 0 : 1;
  }

  /** A completion script for bash and zsh. */
  @Command(name = "completion", mixinStandardHelpOptions = true,
      description = {"Prints a bash/zsh completion script for adjoint-example.",
          "With these two lines TAB completes commands, options and their choices:",
          "  alias adjoint-example='java -jar example/target/adjoint-example.jar'",
          "  source <(adjoint-example completion)"})
  int completion() {
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
    spec.commandLine().getOut().flush();
    return 0;
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
