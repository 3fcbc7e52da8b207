package org.efqat.experiments;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.efqat.experiments.report.ReportException;
import org.efqat.experiments.report.ReportFiles;
import org.efqat.experiments.report.ReportModel;
import org.efqat.experiments.report.ReportSource;
import org.efqat.experiments.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code efqat report DIR}: the Markdown and HTML report, with figures, of a sweep or of runs. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write a report of a sweep folder (efqat sweep's <output>/<name>/, with sweep.json) or of a"
          + " folder of run folders: report.md, report.html and PNG figures of accuracy versus"
          + " the unfrozen fraction p per policy and bit width, versus the backward time per step"
          + " (the EfQAT paper's Figure 2) and versus the refresh interval (Figure 4), row"
          + " importance (Figure 3), and tables with mean and spread over seeds whose numbers"
          + " link to each run's resolved-config.yaml and provenance.json."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description = "A sweep folder, a folder of run folders, or one run folder.")
  Path dir;

  @Option(
      names = "--output",
      paramLabel = "OUT",
      description = "Where the report goes (default: DIR/" + ReportWriter.DEFAULT_FOLDER + ").")
  Path output;

  @Option(
      names = "--importance",
      description =
          "Compute the row importance of one finished run (the first plain-QAT point, else the"
              + " first finished one) when no run folder holds importance-efqat.json; this opens"
              + " the run's data set and calibrates.")
  boolean importance;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path to = output == null ? dir.resolve(ReportWriter.DEFAULT_FOLDER) : output;
    ReportFiles files;
    try {
      ReportModel model = ReportModel.of(ReportSource.read(dir));
      files = ReportWriter.write(model, dir.toString(), to, importance);
    } catch (ReportException e) {
      err.println("efqat: error: " + e.getMessage().replace('\n', ' '));
      err.flush();
      return EfqatCli.EXIT_FAILURE;
    }
    out.println("wrote " + files.markdown());
    out.println("wrote " + files.html());
    for (Path f : files.figures()) {
      out.println("wrote " + f);
    }
    for (String s : files.skipped()) {
      out.println("skipped: " + s);
    }
    out.flush();
    return 0;
  }
}
