package org.efqat.experiments.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.efqat.api.backend.Backend;
import org.efqat.core.ptq.LayerReport;
import org.efqat.core.session.RunMetrics;
import org.efqat.core.session.SessionListener;
import org.efqat.core.session.Stage;
import org.efqat.core.train.TrainingListener;

/** Prints what a session does: a line per event and a progress bar (or lines) per stage. */
public final class ConsoleSessionListener implements SessionListener {
  private final PrintWriter out;
  private final boolean terminal;

  /**
   * @param out where to print
   * @param terminal draw progress bars (else about twenty plain lines per stage)
   */
  public ConsoleSessionListener(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void started(String name, Backend backend, Path runFolder) {
    out.printf(
        "efqat run %s: backend %s (%s), output %s%n",
        name, backend.name(), backend.device(), runFolder);
    out.flush();
  }

  @Override
  public void reused(Stage stage, String what) {
    out.printf("  %s done earlier: %s%n", label(stage), what);
  }

  @Override
  public void resumed(Stage stage, int step) {
    out.printf("  %s resumes after step %d from its checkpoint%n", label(stage), step);
    out.flush();
  }

  @Override
  public void refined(String refinement, LayerReport layer) {
    out.printf(
        Locale.ROOT,
        "  ptq      %s %s: output MSE %.4g -> %.4g (%.1f s)%s%n",
        refinement,
        layer.layer(),
        layer.mseBefore(),
        layer.mseAfter(),
        layer.seconds(),
        layer.note().isEmpty() ? "" : ", " + layer.note());
    out.flush();
  }

  @Override
  public void interrupted(Stage stage, int step, Path checkpoint) {
    out.printf(
        "  %s interrupted after step %d; checkpoint %s; run the same command to" + " continue%n",
        label(stage), step, checkpoint);
    out.flush();
  }

  @Override
  public void finished(Stage stage, RunMetrics m) {
    RunMetrics.Evaluation test =
        switch (stage) {
          case PRETRAIN -> m.fp().test();
          case PTQ -> m.ptq().test();
          case EFQAT -> m.efqat().test();
        };
    String name =
        switch (stage) {
          case PRETRAIN -> "FP";
          case PTQ -> "PTQ";
          case EFQAT -> "EfQAT";
        };
    out.printf(Locale.ROOT, "  %s accuracy %.2f%%%n", name, 100 * test.accuracy());
    out.flush();
  }

  @Override
  public TrainingListener progress(Stage stage) {
    return new ProgressPrinter(label(stage), out, terminal);
  }

  private static String label(Stage stage) {
    return stage.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Prints the summary table.
   *
   * @param m the metrics
   * @param metricsFile where they are
   */
  public void summary(RunMetrics m, Path metricsFile) {
    RunSummary.print(m, out);
    out.printf("results: %s%n", metricsFile);
    out.flush();
  }
}
