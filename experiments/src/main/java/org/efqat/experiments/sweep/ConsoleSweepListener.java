package org.efqat.experiments.sweep;

import java.io.PrintWriter;
import org.efqat.core.session.SessionListener;
import org.efqat.core.sweep.PointStatus;
import org.efqat.core.sweep.SweepListener;
import org.efqat.core.sweep.SweepPoint;
import org.efqat.core.sweep.SweepTable;
import org.efqat.experiments.run.ConsoleSessionListener;

/** Prints a sweep's progress: a line per shared stage and per point, and each point's stages. */
public final class ConsoleSweepListener implements SweepListener {
  private final PrintWriter out;
  private final boolean terminal;

  /**
   * @param out where to print
   * @param terminal draw progress bars for the points' stages
   */
  public ConsoleSweepListener(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void sharedStageStarted(String what, int points) {
    out.printf(
        "sweep: shared stage %s (used by %d point%s)%n", what, points, points == 1 ? "" : "s");
    out.flush();
  }

  @Override
  public void pointStarted(SweepPoint point, SweepTable table) {
    out.printf("sweep [%s] %s: %s%n", table.progress(), point.id(), point.describe());
    out.flush();
  }

  @Override
  public void pointFinished(SweepPoint point, PointStatus status, String error, SweepTable table) {
    if (status == PointStatus.FAILED) {
      out.printf("sweep: %s FAILED: %s%n", point.id(), error);
    }
    out.printf("sweep [%s]%n", table.progress());
    out.flush();
  }

  @Override
  public SessionListener sessionListener(SweepPoint point) {
    return new ConsoleSessionListener(out, terminal);
  }
}
