package org.efqat.experiments.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.efqat.core.importance.RowImportance;
import org.efqat.core.session.RunFolder;
import org.efqat.core.sweep.PointStatus;
import org.efqat.core.train.StepTimings;
import org.efqat.experiments.report.ReportFiles.Figure;
import org.efqat.experiments.report.ReportFiles.ImportanceFigures;
import org.efqat.experiments.report.ReportFiles.PanelFigures;

/**
 * The text of {@code report.md}: the summary, and per panel its figures, the table of settings
 * (mean ± std over seeds) and the table of runs, whose numbers link to each run's {@code
 * resolved-config.yaml}; then row importance and the failed points. Links are relative to the
 * report folder.
 */
final class ReportMarkdown {
  /** Relative spread of one setting's backward times over seeds above which they are flagged. */
  private static final double TIMING_SPREAD = 0.15;

  /** Other processes' share of the CPU during a run's steps above which its times are suspect. */
  private static final double SHARED_CPU = StepTimings.SHARED_MACHINE_CPU_SHARE;

  private static final String NA = "–";

  private final ReportModel model;
  private final String input;
  private final Path dir;
  private final Path out;
  private final Map<String, PanelFigures> figures;
  private final List<ImportanceFigures> importance;
  private final String importanceNote;
  private final StringBuilder md = new StringBuilder();

  /**
   * @param model the grouped points
   * @param input the input folder as the user named it
   * @param dir the input folder
   * @param out the report folder, which links are relative to
   * @param figures each panel's figures, by panel slug
   * @param importance the row-importance figures
   * @param importanceNote why there are none, or {@code null}
   */
  ReportMarkdown(
      ReportModel model,
      String input,
      Path dir,
      Path out,
      Map<String, PanelFigures> figures,
      List<ImportanceFigures> importance,
      String importanceNote) {
    this.model = model;
    this.input = input;
    this.dir = dir.toAbsolutePath().normalize();
    this.out = out.toAbsolutePath().normalize();
    this.figures = figures;
    this.importance = importance;
    this.importanceNote = importanceNote;
  }

  /**
   * @return the Markdown
   */
  String render() {
    ReportSource src = model.source();
    md.append("# EfQAT report: ").append(src.name()).append("\n\n");
    header(src);
    summary();
    for (Panel panel : model.panels()) {
      panel(panel);
    }
    importance();
    failures();
    return md.toString();
  }

  private void header(ReportSource src) {
    List<ReportPoint> pts = src.points();
    String counts =
        String.format(
            Locale.ROOT,
            "%d done, %d failed, %d started, %d pending",
            count(PointStatus.DONE),
            count(PointStatus.FAILED),
            count(PointStatus.STARTED),
            count(PointStatus.PENDING));
    if (src.kind() == ReportSource.Kind.SWEEP) {
      md.append("Sweep folder `").append(input).append("`: ").append(pts.size());
      md.append(" points (").append(counts).append(").\n\n");
      md.append(sweptValues(src)).append("\n\n");
    } else {
      md.append("Run folders in `").append(input).append("`: ").append(pts.size());
      md.append(" runs (").append(counts).append(").");
      md.append(" Their settings are read from each run's `resolved-config.yaml`.\n\n");
    }
    md.append(
        """
        **How to read it.** Accuracies are top-1 test accuracy in percent. Where a setting ran \
        with several seeds, a value is the mean ± the sample standard deviation over them \
        (n − 1 in the divisor), and *n* says how many finished. *p* is the nominal unfrozen \
        fraction `efqat.freeze.p` (0 for `none`, 1 for plain QAT, `all`); *rows trained* is \
        the fraction of weight rows EfQAT actually updated, averaged over steps (`lwpn` \
        unfreezes whole layers, so it can exceed p). *f* is the refresh interval \
        `efqat.interval` in training samples. *Backward ms* is the median backward time per \
        EfQAT step, measured in each run as it trained (comparable between runs only when \
        they had the same machine to themselves). *Gap closed* is (EfQAT − PTQ) / \
        (QAT − PTQ): 0 is no better than PTQ, 100% is as accurate as plain QAT. *Speedup* is plain QAT's backward time over the \
        setting's. In the *Runs* tables every number links to that run's \
        `resolved-config.yaml`, and each run links its `provenance.json`.

        """);
  }

  private long count(PointStatus s) {
    return model.source().points().stream().filter(p -> p.status() == s).count();
  }

  /** The swept paths with their values, grid axes first, then those only explicit points set. */
  private static String sweptValues(ReportSource src) {
    Map<String, Set<String>> values = new LinkedHashMap<>();
    for (String axis : src.axes()) {
      values.put(axis, new LinkedHashSet<>());
    }
    for (ReportPoint p : src.points()) {
      p.values()
          .forEach(
              (k, v) ->
                  values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(String.valueOf(v)));
    }
    if (values.isEmpty()) {
      return "Nothing is swept.";
    }
    List<String> parts = new ArrayList<>();
    values.forEach(
        (k, v) ->
            parts.add(
                "`"
                    + k
                    + "` ("
                    + String.join(", ", v)
                    + (src.axes().contains(k) ? "" : "; explicit points only")
                    + ")"));
    return "Swept: " + String.join(", ", parts) + ".";
  }

  private void summary() {
    md.append("## Summary\n\n");
    if (model.panels().isEmpty()) {
      md.append("No point has a run folder yet, so there is nothing to summarize.\n\n");
      return;
    }
    for (Panel panel : model.panels()) {
      md.append("* **").append(panel.label()).append("**: ").append(panelSummary(panel));
      md.append('\n');
    }
    md.append('\n');
    timingCaveat();
    sharedMachineCaveat();
  }

  /**
   * Warns when other processes took more than {@link #SHARED_CPU} of the machine's CPU time while a
   * run trained (recorded per run from Linux's CPU counters): its backward times are not those of a
   * machine to itself.
   */
  private void sharedMachineCaveat() {
    ReportPoint worst = null;
    long shared = 0;
    long recorded = 0;
    for (ReportPoint p : model.source().points()) {
      Double s = p.otherCpuShare();
      if (s == null) {
        continue;
      }
      recorded++;
      if (s > SHARED_CPU) {
        shared++;
        if (worst == null || s > worst.otherCpuShare()) {
          worst = p;
        }
      }
    }
    if (worst == null) {
      return;
    }
    md.append(
        String.format(
            Locale.ROOT,
            "**Shared machine.** While %d of the %d runs that record it trained, other processes"
                + " used more than %.0f%% of the machine's CPU time (up to %.0f%%, `%s`): their"
                + " backward times and speedups are not those of a machine to itself. `efqat"
                + " bench` times settings side by side.%n%n",
            shared,
            recorded,
            100 * SHARED_CPU,
            100 * worst.otherCpuShare(),
            worst.id()));
  }

  /**
   * Warns when one setting's backward times differ between its seeds by more than {@link
   * #TIMING_SPREAD} (the same work timed twice): the runs shared the machine, so backward times and
   * speedups compare settings only roughly.
   */
  private void timingCaveat() {
    PointGroup worst = null;
    double spread = 0;
    for (Panel panel : model.panels()) {
      for (PointGroup g : panel.groups()) {
        Stats b = g.backwardMs();
        if (b != null && b.n() > 1 && b.mean() > 0 && b.std() / b.mean() > spread) {
          spread = b.std() / b.mean();
          worst = g;
        }
      }
    }
    if (worst == null || spread <= TIMING_SPREAD) {
      return;
    }
    md.append(
        String.format(
            Locale.ROOT,
            "**Timing caveat.** The same setting's backward time differs between its seeds by up"
                + " to %.0f%% (one standard deviation over the mean; `%s`: %s ms), so these runs"
                + " did not have the machine to themselves: backward times and speedups here"
                + " compare settings only roughly. `efqat bench` times settings side by side.%n%n",
            100 * spread,
            worst.setting().policy(),
            ms(worst.backwardMs())));
  }

  private static String panelSummary(Panel panel) {
    References r = panel.references();
    List<String> s = new ArrayList<>();
    if (r.fp() != null) {
      s.add("FP " + pct(r.fp()));
    }
    s.add(r.ptq() == null ? "no PTQ accuracy" : "PTQ " + pct(r.ptq()));
    if (r.qat() != null) {
      s.add("plain QAT " + pct(r.qat()));
    }
    StringBuilder b = new StringBuilder(String.join(", ", s));
    Double gap = r.gap();
    if (gap != null && gap > References.MIN_GAP) {
      b.append(String.format(Locale.ROOT, " (PTQ→QAT gap %.2f points)", 100 * gap));
    } else if (gap != null) {
      b.append(" (plain QAT is not more accurate than PTQ here, so there is no gap to close)");
    } else if (r.qat() == null) {
      b.append(" (no plain-QAT point, `efqat.freeze.type: all`, so no gap to close)");
    }
    b.append(". ");
    if (r.none() != null) {
      b.append("`none` (p = 0) reaches ").append(pct(r.none()));
      Double c = r.closed(r.none().mean());
      if (c != null) {
        b.append(", ").append(percent0(c)).append(" of the gap");
      }
      b.append(". ");
    }
    PointGroup best = null;
    for (PointGroup g : panel.efqatGroups()) {
      if (best == null || g.efqat().mean() > best.efqat().mean()) {
        best = g;
      }
    }
    if (best == null) {
      b.append("No EfQAT setting finished.");
      return b.toString();
    }
    b.append("Most accurate EfQAT setting: ")
        .append(settingName(best.setting()))
        .append(" at ")
        .append(pct(best.efqat()));
    List<String> extra = new ArrayList<>();
    if (best.gapClosed() != null) {
      extra.add(percent0(best.gapClosed()) + " of the gap");
    }
    if (best.speedup() != null) {
      extra.add(String.format(Locale.ROOT, "backward %.2fx as fast as plain QAT", best.speedup()));
    }
    if (!extra.isEmpty()) {
      b.append(" (").append(String.join(", ", extra)).append(')');
    }
    PointGroup cheapest = null;
    for (PointGroup g : panel.efqatGroups()) {
      if (g.speedup() != null && (cheapest == null || g.speedup() > cheapest.speedup())) {
        cheapest = g;
      }
    }
    if (cheapest != null && !cheapest.setting().equals(best.setting())) {
      b.append("; fastest backward: ")
          .append(settingName(cheapest.setting()))
          .append(String.format(Locale.ROOT, " at %.2fx, ", cheapest.speedup()))
          .append(pct(cheapest.efqat()));
      if (cheapest.gapClosed() != null) {
        b.append(" (").append(percent0(cheapest.gapClosed())).append(" of the gap)");
      }
    }
    return b.append('.').toString();
  }

  private void panel(Panel panel) {
    md.append("## ").append(panel.label()).append("\n\n");
    gapTable(panel);
    PanelFigures f = figures.get(panel.slug());
    if (f != null) {
      for (Figure fig : f.figures()) {
        figure(fig);
      }
      for (String skipped : f.skipped()) {
        md.append("*").append(skipped).append("*\n\n");
      }
    }
    settingsTable(panel);
    runsTable(panel);
  }

  /** Policies × p: accuracy, share of the gap closed and backward speedup. */
  private void gapTable(Panel panel) {
    List<Series> lines = panel.pSeries();
    if (lines.isEmpty()) {
      return;
    }
    List<Double> ps = new ArrayList<>();
    lines.forEach(
        s ->
            s.points()
                .forEach(
                    pt -> {
                      if (!ps.contains(pt.x())) {
                        ps.add(pt.x());
                      }
                    }));
    ps.sort(Double::compare);
    md.append("EfQAT accuracy by policy and p");
    md.append(
        panel.references().closed(1) == null
            ? " (no share of the PTQ→QAT gap: that needs a PTQ and a more accurate plain-QAT"
                + " point)"
            : ", the share of the PTQ→QAT gap it closes");
    md.append(" and its backward speedup over plain QAT:\n\n| policy |");
    ps.forEach(p -> md.append(" p = ").append(Panel.number(p)).append(" |"));
    md.append("\n|---|");
    ps.forEach(p -> md.append("---:|"));
    md.append('\n');
    for (Series s : lines) {
      md.append("| ").append(s.label()).append(" |");
      for (Double p : ps) {
        PointGroup g =
            s.points().stream()
                .filter(pt -> pt.x() == p)
                .map(Series.Point::group)
                .findFirst()
                .orElse(null);
        if (g == null) {
          md.append(' ').append(NA).append(" |");
          continue;
        }
        List<String> cell = new ArrayList<>();
        cell.add(pct(g.efqat()));
        if (g.gapClosed() != null) {
          cell.add(percent0(g.gapClosed()) + " of gap");
        }
        if (g.speedup() != null) {
          cell.add(String.format(Locale.ROOT, "%.2fx", g.speedup()));
        }
        md.append(' ').append(String.join(" · ", cell)).append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private void figure(Figure fig) {
    md.append("![").append(fig.alt()).append("](").append(fig.file()).append(")\n\n");
    md.append("*").append(fig.caption()).append("*\n\n");
  }

  private void settingsTable(Panel panel) {
    md.append("### Settings (mean ± std over seeds)\n\n");
    md.append(
        "| policy | p | f (samples) | n | EfQAT | gap closed | PTQ | FP | rows trained |"
            + " backward ms | speedup | runs (config, provenance) |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (PointGroup g : panel.groups()) {
      PointGroup.Setting s = g.setting();
      md.append("| ").append(s.policy() == null ? "?" : "`" + s.policy() + "`");
      md.append(" | ").append(Panel.number(s.p()));
      md.append(" | ").append(Panel.interval(s.interval()));
      md.append(" | ").append(g.done().size());
      md.append(" | ").append(g.efqat() == null ? NA : pct(g.efqat()));
      md.append(" | ").append(share(g.gapClosed()));
      md.append(" | ").append(g.ptq() == null ? NA : pct(g.ptq()));
      md.append(" | ").append(g.fp() == null ? NA : pct(g.fp()));
      md.append(" | ").append(g.rowsTrained() == null ? NA : pct(g.rowsTrained()));
      md.append(" | ").append(g.backwardMs() == null ? NA : ms(g.backwardMs()));
      md.append(" | ")
          .append(g.speedup() == null ? NA : String.format(Locale.ROOT, "%.2fx", g.speedup()));
      md.append(" | ");
      List<String> runs = new ArrayList<>();
      for (ReportPoint p : g.points()) {
        String seed = p.facts().seed() == null ? "" : " seed " + p.facts().seed();
        String state = p.done() ? "" : " (" + status(p) + ")";
        runs.add(
            link(p.id() + seed + state, p, RunFolder.CONFIG)
                + (p.hasProvenance() ? " " + link("prov.", p, RunFolder.PROVENANCE) : ""));
      }
      md.append(String.join(", ", runs)).append(" |\n");
    }
    md.append('\n');
  }

  private void runsTable(Panel panel) {
    boolean sweep = model.source().kind() == ReportSource.Kind.SWEEP;
    md.append("### Runs\n\n");
    md.append("| run | status |");
    if (sweep) {
      md.append(" swept values |");
    }
    md.append(
        " policy | p | f | seed | FP | PTQ | EfQAT | rows trained | backward ms | provenance |"
            + " error |\n|---|---|");
    if (sweep) {
      md.append("---|");
    }
    md.append("---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (ReportPoint p : panel.points()) {
      RunFacts f = p.facts();
      md.append("| ").append(p.id()).append(" | ").append(status(p)).append(" |");
      if (sweep) {
        md.append(' ').append(cell(p.describe())).append(" |");
      }
      md.append(' ').append(f.policy() == null ? "?" : "`" + f.policy() + "`").append(" |");
      md.append(' ').append(Panel.number(f.p())).append(" |");
      md.append(' ').append(Panel.interval(f.interval())).append(" |");
      md.append(' ').append(f.seed() == null ? "?" : f.seed()).append(" |");
      md.append(' ').append(number(p, p.fpAccuracy(), true)).append(" |");
      md.append(' ').append(number(p, p.ptqAccuracy(), true)).append(" |");
      md.append(' ').append(number(p, p.efqatAccuracy(), true)).append(" |");
      md.append(' ').append(number(p, p.unfrozenFraction(), true)).append(" |");
      md.append(' ').append(number(p, p.backwardMs(), false)).append(" |");
      md.append(' ')
          .append(p.hasProvenance() ? link("provenance", p, RunFolder.PROVENANCE) : NA)
          .append(" |");
      md.append(' ').append(p.error() == null ? "" : cell(p.error())).append(" |\n");
    }
    md.append('\n');
  }

  private void importance() {
    md.append("## Row importance (Figure 3)\n\n");
    if (importance.isEmpty()) {
      md.append(importanceNote).append("\n\n");
      return;
    }
    for (ImportanceFigures i : importance) {
      RowImportance imp = i.importance();
      md.append("Run ")
          .append(link(i.point().id(), i.point(), RunFolder.CONFIG))
          .append(" (")
          .append(
              i.point().facts() == null
                  ? ""
                  : settingName(PointGroup.Setting.of(i.point().facts())))
          .append("), EfQAT stage, metric `")
          .append(imp.metric())
          .append("`, ")
          .append(i.source())
          .append(
              String.format(
                  Locale.ROOT,
                  ": %d rows in %d layers, mean %.4g, std %.4g, max %.4g; %d outliers above"
                      + " mean + 3 std = %.4g.\n\n",
                  imp.totalRows(),
                  imp.layers().size(),
                  imp.mean(),
                  imp.std(),
                  imp.max(),
                  imp.outliers().size(),
                  imp.outlierThreshold()));
      md.append("| layer | rows | mean | max | outliers |\n|---|---:|---:|---:|---:|\n");
      for (RowImportance.LayerRows l : imp.layers()) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %.4g | %.4g | %d |%n",
                l.layer(),
                l.rows(),
                l.mean(),
                l.max(),
                l.outliers()));
      }
      md.append('\n');
      for (Figure fig : i.figures()) {
        figure(fig);
      }
    }
    if (importanceNote != null) {
      md.append(importanceNote).append("\n\n");
    }
  }

  private void failures() {
    List<ReportPoint> failed = model.failed();
    md.append("## Failed points\n\n");
    if (failed.isEmpty()) {
      md.append("None.\n\n");
    } else {
      for (ReportPoint p : failed) {
        md.append("* ")
            .append(p.hasConfig() ? link(p.id(), p, RunFolder.CONFIG) : p.id())
            .append(p.values().isEmpty() ? "" : " (" + p.describe() + ")")
            .append(": ")
            .append(p.error() == null ? "no error recorded" : p.error().replace('\n', ' '))
            .append('\n');
      }
      md.append("\nA failed point is retried by the next `efqat sweep` of the same file.\n\n");
    }
    if (!model.unplaced().isEmpty()) {
      md.append("## Points without a run folder yet\n\n");
      for (ReportPoint p : model.unplaced()) {
        md.append("* ")
            .append(p.id())
            .append(" (")
            .append(status(p))
            .append(p.values().isEmpty() ? "" : ": " + p.describe())
            .append(")")
            .append(p.error() == null ? "" : ": " + p.error().replace('\n', ' '))
            .append('\n');
      }
      md.append('\n');
    }
  }

  /** A number of a run, linked to its resolved config. */
  private String number(ReportPoint p, Double v, boolean percent) {
    if (v == null) {
      return NA;
    }
    String text =
        percent
            ? String.format(Locale.ROOT, "%.2f%%", 100 * v)
            : String.format(Locale.ROOT, "%.1f", v);
    return p.hasConfig() ? link(text, p, RunFolder.CONFIG) : text;
  }

  /**
   * @param text the link text
   * @param p a run
   * @param file a file of its run folder
   * @return a Markdown link to that file, relative to the report folder
   */
  private String link(String text, ReportPoint p, String file) {
    return "[" + text + "](" + href(p, file) + ")";
  }

  /**
   * @param p a run
   * @param file a file of its run folder
   * @return the path of that file relative to the report folder, with {@code /} and spaces and
   *     parentheses percent-encoded
   */
  String href(ReportPoint p, String file) {
    Path target = dir.resolve(p.folder()).resolve(file).normalize();
    String rel = out.relativize(target).toString().replace('\\', '/');
    return rel.replace("%", "%25")
        .replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E");
  }

  private static String settingName(PointGroup.Setting s) {
    String name = s.policy() == null ? "?" : "`" + s.policy() + "`";
    if (s.picksRows()) {
      name += " p = " + Panel.number(s.p());
    }
    return name + (s.interval() == null ? "" : ", f = " + s.interval());
  }

  private static String status(ReportPoint p) {
    return p.status().name().toLowerCase(Locale.ROOT);
  }

  private static String cell(String text) {
    return text.replace("\r", " ").replace("\n", " ").replace("|", "\\|");
  }

  private static String pct(Stats fraction) {
    return ReportFigures.percent(fraction.times(100), false);
  }

  private static String ms(Stats s) {
    return s.n() > 1
        ? String.format(Locale.ROOT, "%.1f ± %.1f", s.mean(), s.std())
        : String.format(Locale.ROOT, "%.1f", s.mean());
  }

  private static String share(Double v) {
    return v == null ? NA : percent0(v);
  }

  /** A fraction as a whole percentage, {@code 75%}; never {@code -0%}. */
  private static String percent0(double fraction) {
    long rounded = Math.round(100 * fraction);
    return rounded + "%";
  }
}
