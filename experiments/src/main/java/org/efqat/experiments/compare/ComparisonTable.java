package org.efqat.experiments.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.efqat.core.session.RunMetrics;

/**
 * The side-by-side table of {@code efqat compare}: one column per backend, rows for accuracies and
 * per-step times, then the agreement of each backend with the reference. Renders as aligned text
 * for the terminal and as Markdown for {@code compare.md}.
 */
final class ComparisonTable {
  private final List<String> backends;
  private final Map<String, RunMetrics> metrics;
  private final List<Agreement> agreements;
  private final int probeSamples;

  /**
   * @param metrics each backend's metrics, in column order (the first is the reference)
   * @param agreements each other backend's agreement with the reference
   * @param probeSamples the test images the agreement was measured on
   */
  ComparisonTable(Map<String, RunMetrics> metrics, List<Agreement> agreements, int probeSamples) {
    this.backends = List.copyOf(metrics.keySet());
    this.metrics = metrics;
    this.agreements = agreements;
    this.probeSamples = probeSamples;
  }

  /**
   * @return the results table: a header row, then one row per quantity
   */
  List<String[]> results() {
    List<String[]> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of(""));
    header.addAll(backends);
    rows.add(header.toArray(String[]::new));
    rows.add(row("FP accuracy", m -> m.fp() == null ? "-" : percent(m.fp().test().accuracy())));
    rows.add(row("PTQ accuracy", m -> m.ptq() == null ? "-" : percent(m.ptq().test().accuracy())));
    rows.add(
        row("EfQAT accuracy", m -> m.efqat() == null ? "-" : percent(m.efqat().test().accuracy())));
    rows.add(
        row(
            "pretrain step ms",
            m ->
                m.fp() == null || m.fp().training() == null
                    ? "-"
                    : ms(m.fp().training().timings().medianStepMs())));
    rows.add(row("EfQAT forward ms/step", m -> efqat(m, t -> ms(t.timings().medianForwardMs()))));
    rows.add(row("EfQAT backward ms/step", m -> efqat(m, t -> ms(t.timings().medianBackwardMs()))));
    rows.add(
        row(
            "  of it sparse dW GEMM",
            m -> efqat(m, t -> ms(t.timings().medianWeightGradientMs()))));
    rows.add(row("rows trained", m -> efqat(m, t -> percent(t.meanUnfrozenFraction()))));
    return rows;
  }

  /**
   * @return the agreement table: a header row, then one row per backend and quantity
   */
  List<String[]> agreement() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"vs " + backends.get(0), "quantity", "max abs", "max rel", "verdict"});
    for (Agreement a : agreements) {
      rows.add(
          new String[] {
            a.backend(),
            "calibrated steps (" + a.calibrationParameter() + ")",
            sci(a.calibration().maxAbs()),
            sci(a.calibration().maxRel()),
            "(diagnostic)"
          });
      rows.add(
          new String[] {
            a.backend(),
            "logits after PTQ",
            sci(a.ptqLogits().maxAbs()),
            sci(a.ptqLogits().maxRel()),
            verdict(a.ptqWithin(), a.tolerance())
          });
      rows.add(
          new String[] {
            a.backend(),
            "logits after 1st EfQAT step",
            sci(a.stepLogits().maxAbs()),
            sci(a.stepLogits().maxRel()),
            verdict(a.stepWithin(), a.tolerance())
          });
    }
    return rows;
  }

  /**
   * @return notes under the tables: what was compared and, for flagged rows, where and why
   */
  List<String> notes() {
    List<String> notes = new ArrayList<>();
    notes.add(
        String.format(
            Locale.ROOT,
            "Agreement: the first %d test images; every backend"
                + " loads %s's FP checkpoint, calibrates on the same batches, then uses %s's calibrated"
                + " parameters, so the quantized models are identical; max rel = max|a-b| / max|a|.",
            probeSamples,
            backends.get(0),
            backends.get(0)));
    for (Agreement a : agreements) {
      if (!a.ptqWithin()) {
        notes.add(
            "FLAGGED "
                + a.backend()
                + ": logits after PTQ differ by more than "
                + sci(a.tolerance())
                + ": "
                + a.explanation()
                + ".");
      }
      if (a.ptqWithin() && !a.stepWithin()) {
        String where = a.gradientExplanation();
        notes.add(
            "FLAGGED "
                + a.backend()
                + ": logits after the first EfQAT step differ by more"
                + " than "
                + sci(a.tolerance())
                + " although they agreed after PTQ: the backward"
                + " pass or the update differs"
                + (where.isEmpty() ? "" : "; " + where)
                + ". "
                + stepWhy(a));
      }
    }
    return notes;
  }

  /**
   * @return the tables and notes as aligned text
   */
  String toText() {
    StringBuilder s = new StringBuilder();
    aligned(s, results());
    s.append('\n');
    aligned(s, agreement());
    for (String n : notes()) {
      s.append('\n').append(n).append('\n');
    }
    return s.toString();
  }

  /**
   * @return the tables and notes as Markdown
   */
  String toMarkdown() {
    StringBuilder s = new StringBuilder();
    markdown(s, results());
    s.append('\n');
    markdown(s, agreement());
    for (String n : notes()) {
      s.append('\n').append(n).append('\n');
    }
    return s.toString();
  }

  /**
   * @return why the training step parts: level flips, clipping-boundary inputs, or neither
   */
  private static String stepWhy(Agreement a) {
    var boundary = a.stepLayers().stream().filter(l -> l.maskFlips() > 0).findFirst();
    var flipped = a.stepLayers().stream().filter(l -> l.flips() > 0).findFirst();
    StringBuilder s = new StringBuilder("In the training batch's forward pass ");
    s.append(a.stepFlips()).append(" inputs land on a different quantization level");
    flipped.ifPresent(l -> s.append(" (first in ").append(l.layer()).append(")"));
    s.append(" and ").append(a.stepMaskFlips()).append(" sit on a clipping boundary");
    boundary.ifPresent(
        l ->
            s.append(" (first in ")
                .append(l.layer())
                .append(", ")
                .append(l.maskFlips())
                .append(" of ")
                .append(l.values())
                .append(')'));
    String backward = a.backwardExplanation();
    if (!backward.isEmpty()) {
      s.append(". In a layer-by-layer backward pass on the probe images, ")
          .append(backward)
          .append('.');
      return s.toString();
    }
    if (a.stepMaskFlips() > 0) {
      s.append(
          ": the same quantized value, but the previous layer's output differs by FP32"
              + " rounding right at the calibrated range limit (min-max calibration puts it on an"
              + " observed value), so the straight-through gradient passes on one backend and is"
              + " blocked on the other, and the LSQ step gradient of such an input jumps by"
              + " about qmax - z.");
    } else if (a.stepFlips() == 0) {
      s.append(
          ": the forward passes agree, so a backward kernel differs beyond FP32 rounding;"
              + " this needs a look.");
    } else {
      s.append('.');
    }
    return s.toString();
  }

  private static String efqat(
      RunMetrics m, java.util.function.Function<RunMetrics.Training, String> cell) {
    return m.efqat() == null ? "-" : cell.apply(m.efqat().training());
  }

  private String[] row(String label, java.util.function.Function<RunMetrics, String> cell) {
    String[] r = new String[backends.size() + 1];
    r[0] = label;
    for (int i = 0; i < backends.size(); i++) {
      r[i + 1] = cell.apply(metrics.get(backends.get(i)));
    }
    return r;
  }

  private static String verdict(boolean ok, double tolerance) {
    return ok ? "ok (<= " + sci(tolerance) + ")" : "EXCEEDS " + sci(tolerance);
  }

  private static String percent(double v) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String sci(double v) {
    return String.format(Locale.ROOT, "%.1e", v);
  }

  private static void aligned(StringBuilder s, List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int c = 0; c < cols; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    for (String[] r : rows) {
      s.append(' ');
      for (int c = 0; c < cols; c++) {
        s.append(' ');
        s.append(c == 0 ? pad(r[c], width[c], true) : pad(r[c], width[c], false));
      }
      s.append('\n');
    }
  }

  private static void markdown(StringBuilder s, List<String[]> rows) {
    for (int i = 0; i < rows.size(); i++) {
      s.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
      if (i == 0) {
        s.append("|").append(" --- |".repeat(rows.get(0).length)).append('\n');
      }
    }
  }

  private static String pad(String v, int width, boolean left) {
    String fill = " ".repeat(width - v.length());
    return left ? v + fill : fill + v;
  }
}
