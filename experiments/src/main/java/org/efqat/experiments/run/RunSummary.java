package org.efqat.experiments.run;

import java.io.PrintWriter;
import java.util.Locale;
import org.efqat.core.session.RunMetrics;
import org.efqat.core.train.StepTimings;

/** The short table {@code efqat run} prints at the end. */
final class RunSummary {
  private RunSummary() {}

  static void print(RunMetrics m, PrintWriter out) {
    out.println();
    out.println("  stage    accuracy   notes");
    if (m.fp() != null) {
      row(out, "FP", m.fp().test(), m.fp().source());
    }
    if (m.ptq() != null) {
      row(out, "PTQ", m.ptq().test(), ptqNotes(m.ptq()));
    }
    RunMetrics.EfqatStage e = m.efqat();
    if (e != null) {
      var t = e.training();
      row(
          out,
          "EfQAT",
          e.test(),
          String.format(
              Locale.ROOT,
              "%s %s, %.1f%% of rows trained, fwd %.1f ms, bwd %.1f ms per step (median)",
              e.policy(),
              e.policyOptions(),
              100 * t.meanUnfrozenFraction(),
              t.timings().medianForwardMs(),
              t.timings().medianBackwardMs()));
      double shared = t.timings().otherProcessesCpuShare();
      if (shared > StepTimings.SHARED_MACHINE_CPU_SHARE) {
        out.printf(
            Locale.ROOT,
            "  (other processes used %.0f%% of the machine's CPU time during EfQAT: the step"
                + " times are not those of a machine to itself)%n",
            100 * shared);
      }
      if (m.ptq() != null) {
        out.printf(
            Locale.ROOT,
            "  EfQAT - PTQ: %+.2f points%n",
            100 * (e.test().accuracy() - m.ptq().test().accuracy()));
      }
    }
  }

  /** {@code calibration minmax + adaround, bias-correction, 12.3 s}. */
  static String ptqNotes(RunMetrics.PtqStage p) {
    StringBuilder sb = new StringBuilder("calibration ").append(p.calibration());
    if (!p.refinements().isEmpty()) {
      sb.append(" + ")
          .append(
              String.join(
                  ", ", p.refinements().stream().map(RunMetrics.Refinement::name).toList()));
    }
    if (p.calibrationSeconds() != null) {
      sb.append(String.format(Locale.ROOT, ", %.1f s", p.calibrationSeconds()));
    }
    return sb.toString();
  }

  private static void row(PrintWriter out, String stage, RunMetrics.Evaluation test, String notes) {
    out.printf(Locale.ROOT, "  %-7s %8.2f%%   %s%n", stage, 100 * test.accuracy(), notes);
  }
}
