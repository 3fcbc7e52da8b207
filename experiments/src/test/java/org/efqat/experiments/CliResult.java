package org.efqat.experiments;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the {@code efqat} command line, as the command tests drive it.
 *
 * @param exit the exit code
 * @param out what it printed to standard output
 * @param err what it printed to standard error
 */
record CliResult(int exit, String out, String err) {
  /**
   * @param args the arguments
   * @return the result
   */
  static CliResult run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = EfqatCli.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    return new CliResult(exit, out.toString(), err.toString());
  }
}
