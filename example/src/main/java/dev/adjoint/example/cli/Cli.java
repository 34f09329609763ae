package dev.adjoint.example.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How the commands report bad input: one line that names the option and the problem, exit
 * status {@value CliExit#USAGE} for options and {@value CliExit#IO} for files, never a stack
 * trace (unless the environment variable {@value #DEBUG} is set, for a bug in the program itself).
 */
public final class Cli {
  /** Environment variable that adds the stack trace to an unexpected error's line. */
  public static final String DEBUG = "ADJOINT_DEBUG";

  private Cli() {}

  /**
   * Installs the one-line error handlers on {@code commandLine} and its subcommands.
   *
   * @return {@code commandLine}
   */
  public static CommandLine configure(CommandLine commandLine) {
    return commandLine
        .setParameterExceptionHandler(PARAMETERS)
        .setExecutionExceptionHandler(EXECUTION);
  }

  /** Bad options: {@code "adjoint-example train: PROBLEM (see 'adjoint-example train --help')"}. */
  private static final IParameterExceptionHandler PARAMETERS = (e, args) -> {
    CommandLine cmd = e.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    cmd.getErr().println(name + ": " + firstLine(e.getMessage()) + " (see '" + name
        + " --help')");
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  };

  /** A command that stopped with {@link CliExit}, or failed unexpectedly. */
  private static final IExecutionExceptionHandler EXECUTION =
      (Exception e, CommandLine cmd, ParseResult parsed) -> report(e, cmd);

  /**
   * Prints one line for a failure and returns the exit status: {@link CliExit}'s own, 2 for a
   * {@link ParameterException}, 1 for anything else.
   */
  public static int report(Throwable e, CommandLine cmd) {
    String name = cmd.getCommandSpec().qualifiedName();
    if (e instanceof CliExit exit) {
      PrintWriter to = exit.status() == CliExit.OK ? cmd.getOut() : cmd.getErr();
      to.println(name + ": " + firstLine(exit.getMessage()));
      to.flush();
      return exit.status();
    }
    if (e instanceof ParameterException p) {
      return reportParameters(p, cmd);
    }
    PrintWriter err = cmd.getErr();
    String what = e instanceof OutOfMemoryError
        ? "out of memory (" + firstLine(String.valueOf(e.getMessage())) + "): try a smaller"
            + " network or batch, or give java more heap with -Xmx"
        : "unexpected error: " + firstLine(e.toString()) + " (set " + DEBUG + "=1 for the"
            + " stack trace)";
    err.println(name + ": " + what);
    if (System.getenv(DEBUG) != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return CliExit.IO;
  }

  private static int reportParameters(ParameterException p, CommandLine cmd) {
    try {
      return PARAMETERS.handleParseException(p, new String[0]);
    } catch (Exception unexpected) {
      return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
  }

  /** The first line of a message, so that each error stays on one line. */
  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    return message.lines().findFirst().orElse("").strip();
  }
}
