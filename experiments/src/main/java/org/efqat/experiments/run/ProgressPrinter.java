package org.efqat.experiments.run;

import ai.djl.training.util.ProgressBar;
import java.io.PrintWriter;
import java.util.Locale;
import org.efqat.core.train.TrainingListener;

/**
 * Shows a stage's progress: DJL's progress bar on a terminal, otherwise about twenty plain lines
 * per stage (for logs and CI), each with loss, batch accuracy and samples per second.
 */
final class ProgressPrinter implements TrainingListener {
  private final String stage;
  private final PrintWriter out;
  private final boolean terminal;
  private ProgressBar bar;
  private double loss = Double.NaN;
  private double accuracy;

  ProgressPrinter(String stage, PrintWriter out, boolean terminal) {
    this.stage = stage;
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void onStep(
      int step, int totalSteps, double stepLoss, double stepAccuracy, double samplesPerSecond) {
    loss = Double.isNaN(loss) ? stepLoss : 0.9 * loss + 0.1 * stepLoss;
    accuracy = step == 0 ? stepAccuracy : 0.9 * accuracy + 0.1 * stepAccuracy;
    String status =
        String.format(
            Locale.ROOT, "loss %.4f  acc %.3f  %.0f samples/s", loss, accuracy, samplesPerSecond);
    if (terminal) {
      if (bar == null) {
        bar = new ProgressBar(stage, totalSteps);
      }
      bar.update(step + 1, status);
      if (step + 1 == totalSteps) {
        bar.end();
      }
    } else {
      int every = Math.max(1, totalSteps / 20);
      if ((step + 1) % every == 0 || step + 1 == totalSteps) {
        out.printf(Locale.ROOT, "  %-8s %6d/%-6d %s%n", stage, step + 1, totalSteps, status);
        out.flush();
      }
    }
  }

  @Override
  public void onSelection(int step, double unfrozenFraction) {
    if (!terminal && step == 0) {
      out.printf(
          Locale.ROOT,
          "  %-8s unfrozen rows: %.1f%% of all weight rows%n",
          stage,
          100 * unfrozenFraction);
    }
  }
}
