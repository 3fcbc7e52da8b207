package org.efqat.experiments;

import java.io.PrintWriter;
import org.efqat.core.session.RunDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code efqat} command. */
@Command(
    name = "efqat",
    mixinStandardHelpOptions = true,
    versionProvider = EfqatVersion.class,
    description = "EfQAT: quantization-aware training that updates only the important weight rows.",
    subcommands = {
      RunCommand.class,
      SweepCommand.class,
      ReportCommand.class,
      ImportanceCommand.class,
      ExportCommand.class,
      CompareCommand.class,
      BenchCommand.class,
      ListComponentsCommand.class,
      ValidateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class EfqatCli implements Runnable {
  /** Exit code for a failure at run time (I/O, a broken plugin, an unavailable backend). */
  public static final int EXIT_FAILURE = 1;

  /** Exit code for invalid input: bad usage (picocli's default) or an invalid experiment file. */
  public static final int EXIT_INVALID = 2;

  /** Exit code for a run whose training diverged (NaN/Inf or a loss past divergence.maxLoss). */
  public static final int EXIT_DIVERGED = RunDivergedException.EXIT_CODE;

  @Option(
      names = "--stacktrace",
      description = "Print the stack trace of a failure.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean stacktrace;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * @param out standard output
   * @param err standard error
   * @return a configured command line
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new EfqatCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          EfqatCli root = (EfqatCli) commandLine.getCommandSpec().root().userObject();
          commandLine.getErr().println("efqat: error: " + oneLine(e));
          if (root.stacktrace) {
            e.printStackTrace(commandLine.getErr());
          } else {
            commandLine.getErr().println("efqat: run with --stacktrace for details");
          }
          commandLine.getErr().flush();
          return e instanceof RunDivergedException ? EXIT_DIVERGED : EXIT_FAILURE;
        });
    return cl;
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /**
   * Whether standard output is a terminal. {@code System.console()} answers that up to JDK 21; from
   * JDK 22 on it returns a console even when the output is redirected, and {@code
   * Console.isTerminal()} (JDK 22+, called reflectively) answers it.
   *
   * @return true when the output goes to a terminal
   */
  @SuppressWarnings("SystemConsoleNull") // handled: isTerminal() where the JDK has it
  static boolean terminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 17 to 21: a console is a terminal
    }
  }

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  @SuppressWarnings("DefaultCharset") // encode as System.out does, as before
  public static void main(String[] args) {
    // Plots are drawn off-screen; there may be no display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(commandLine(out, err).execute(args));
  }
}
