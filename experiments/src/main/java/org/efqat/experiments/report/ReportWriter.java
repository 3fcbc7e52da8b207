package org.efqat.experiments.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.efqat.core.importance.RowImportance;
import org.efqat.core.session.RunFolder;
import org.efqat.experiments.importance.ImportancePlots;
import org.efqat.experiments.report.ReportFiles.Figure;
import org.efqat.experiments.report.ReportFiles.ImportanceFigures;
import org.efqat.experiments.report.ReportFiles.PanelFigures;

/**
 * Writes a report folder: {@value #MARKDOWN}, {@value #HTML} (the same Markdown rendered by
 * commonmark-java, the PNGs embedded by relative path) and the PNG figures, each file atomically.
 */
public final class ReportWriter {
  /** The Markdown report. */
  public static final String MARKDOWN = "report.md";

  /** The HTML rendering of it. */
  public static final String HTML = "report.html";

  /** The report folder's name inside the input folder when no output is given. */
  public static final String DEFAULT_FOLDER = "report";

  /** At most this many runs' row importance is drawn (those that have importance files). */
  static final int MAX_IMPORTANCE_RUNS = 4;

  private ReportWriter() {}

  /**
   * @param model the grouped points
   * @param input the input folder as the user named it (shown in the report)
   * @param out the report folder (created if needed)
   * @param computeImportance whether to compute the row importance of {@link
   *     ReportModel#representative()} when no finished run has importance files; that opens the
   *     run's data set and calibrates
   * @return what was written
   * @throws IOException if a file cannot be written
   * @throws ReportException if importance files are damaged or cannot be computed
   */
  public static ReportFiles write(
      ReportModel model, String input, Path out, boolean computeImportance) throws IOException {
    RunFolder folder = new RunFolder(out);
    folder.open();
    Path dir = model.source().folder();
    List<Path> written = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    ReportFigures draw = new ReportFigures(policies(model));
    String name = model.source().name();
    Map<String, PanelFigures> panels = new LinkedHashMap<>();
    for (Panel panel : model.panels()) {
      List<Figure> figs = new ArrayList<>();
      List<String> skip = new ArrayList<>();
      String at = " for " + panel.label() + ": ";
      if (panel.pSeries().isEmpty()) {
        skip.add("No accuracy-versus-p figure" + at + "no EfQAT setting with a p finished.");
      } else {
        figs.add(
            drawn(
                folder,
                "accuracy-vs-p-" + panel.slug() + ".png",
                draw.accuracyVersusP(
                    "EfQAT accuracy vs unfrozen fraction p: " + panel.label() + " (" + name + ")",
                    panel),
                "Accuracy versus unfrozen fraction p, " + panel.label(),
                "Test accuracy against the nominal unfrozen fraction p (`efqat.freeze.p`; the"
                    + " fraction of rows actually trained is in the tables), one line per policy"
                    + (panel.intervalVaries() ? " and refresh interval f (line style)" : "")
                    + "; error bars are ± one sample standard deviation over seeds. Horizontal"
                    + " lines: PTQ, `none` (p = 0) and plain QAT (`all`, p = 1), where those"
                    + " points exist."));
      }
      if (panel.timedGroups().isEmpty()) {
        skip.add(
            "No accuracy-versus-backward-time figure"
                + at
                + "no finished point has a measured backward time.");
      } else {
        figs.add(
            drawn(
                folder,
                "accuracy-vs-backward-" + panel.slug() + ".png",
                draw.accuracyVersusBackward(
                    "Accuracy vs backward time per step: " + panel.label() + " (" + name + ")",
                    panel),
                "Accuracy versus backward time per step, " + panel.label(),
                "Test accuracy against the measured median backward time per EfQAT step (the"
                    + " paper's Figure 2): every finished setting, coloured by policy and"
                    + " labelled with its p; plain QAT (square) and `none` (diamond) marked;"
                    + " error bars ± one standard deviation over seeds on both axes."));
      }
      if (panel.intervalVaries()) {
        figs.add(
            drawn(
                folder,
                "accuracy-vs-interval-" + panel.slug() + ".png",
                draw.accuracyVersusInterval(
                    "EfQAT accuracy vs refresh interval f: " + panel.label() + " (" + name + ")",
                    panel),
                "Accuracy versus refresh interval f, " + panel.label(),
                "Test accuracy against the refresh interval f (`efqat.interval`, training"
                    + " samples between two row selections; the paper's Figure 4), one line per"
                    + " policy and p; error bars ± one standard deviation over seeds."));
      } else {
        List<Long> fs =
            panel.efqatGroups().stream().map(g -> g.setting().interval()).distinct().toList();
        skip.add(
            "No accuracy-versus-interval figure"
                + at
                + (fs.isEmpty()
                    ? "no EfQAT setting finished."
                    : "every finished EfQAT setting uses f = "
                        + Panel.interval(fs.get(0))
                        + " samples (`efqat.interval` is not varied)."));
      }
      figs.forEach(f -> written.add(out.resolve(f.file())));
      skip.forEach(s -> skipped.add(s));
      panels.put(panel.slug(), new PanelFigures(figs, skip));
    }

    List<ImportanceFigures> importance = new ArrayList<>();
    String note = importance(model, dir, folder, computeImportance, importance);
    for (ImportanceFigures i : importance) {
      i.figures().forEach(f -> written.add(out.resolve(f.file())));
    }
    if (importance.isEmpty()) {
      skipped.add(note);
    }

    String markdown = new ReportMarkdown(model, input, dir, out, panels, importance, note).render();
    folder.writeText(MARKDOWN, markdown);
    folder.writeText(HTML, html("EfQAT report: " + name, markdown));
    return new ReportFiles(out.resolve(MARKDOWN), out.resolve(HTML), written, skipped);
  }

  /**
   * Draws the row importance of the finished runs that have importance files, or computes it for
   * the representative run when asked.
   *
   * @return a note for the report (why there is no figure, or that runs were left out), or {@code
   *     null}
   */
  private static String importance(
      ReportModel model,
      Path dir,
      RunFolder folder,
      boolean compute,
      List<ImportanceFigures> figures)
      throws IOException {
    ReportPoint representative = model.representative();
    List<ReportPoint> withFiles = new ArrayList<>();
    for (ReportPoint p : model.source().points()) {
      if (p.done() && ReportImportance.has(dir.resolve(p.folder()))) {
        withFiles.add(p);
      }
    }
    if (withFiles.remove(representative)) {
      withFiles.add(0, representative);
    }
    String note = null;
    if (!withFiles.isEmpty()) {
      for (ReportPoint p : withFiles.subList(0, Math.min(MAX_IMPORTANCE_RUNS, withFiles.size()))) {
        Path run = dir.resolve(p.folder());
        String file =
            java.nio.file.Files.isRegularFile(run.resolve(ReportImportance.JSON))
                ? ReportImportance.JSON
                : ReportImportance.CSV;
        figures.add(
            draw(p, ReportImportance.read(run), "from `" + file + "` in its run folder", folder));
      }
      if (withFiles.size() > MAX_IMPORTANCE_RUNS) {
        note =
            (withFiles.size() - MAX_IMPORTANCE_RUNS)
                + " more finished runs have importance files; the report draws the first "
                + MAX_IMPORTANCE_RUNS
                + ".";
      }
      return note;
    }
    if (representative == null) {
      return "No row-importance figure: no run finished.";
    }
    if (!compute) {
      return "No row-importance figure: no finished run folder holds `"
          + ReportImportance.JSON
          + "`. Run `efqat importance RUN_DIR` on one, or pass `--importance` to compute it for "
          + representative.id()
          + " (that opens the run's data set and calibrates, about as long as its PTQ stage).";
    }
    RowImportance imp = ReportImportance.compute(dir.resolve(representative.folder()));
    String stem = "importance-" + ReportModel.slug(representative.id());
    folder.writeJson(stem + ".json", imp);
    folder.writeText(stem + ".csv", imp.toCsv());
    figures.add(
        draw(
            representative,
            imp,
            "computed by `efqat report --importance` (scores in `" + stem + ".json`)",
            folder));
    return null;
  }

  private static ImportanceFigures draw(
      ReportPoint p, RowImportance imp, String source, RunFolder folder) throws IOException {
    String stem = "importance-" + ReportModel.slug(p.id());
    String what = p.id() + ", EfQAT stage, " + imp.metric();
    folder.writeBytes(stem + ".png", ImportancePlots.network("Row importance: " + what, imp));
    folder.writeBytes(
        stem + "-layers.png", ImportancePlots.layers("Row importance per layer: " + what, imp));
    return new ImportanceFigures(
        p,
        source,
        imp,
        List.of(
            new Figure(
                stem + ".png",
                "Row importance of every row, " + p.id(),
                "Whole network: the importance of every weight row in network order (x: the"
                    + " network-wide row index), layer boundaries in grey, the outlier threshold"
                    + " (mean + 3 std) dashed and the outliers in red (the paper's Figure 3)."),
            new Figure(
                stem + "-layers.png",
                "Row importance per layer, " + p.id(),
                "Per layer: a box plot of its rows' importance (median, quartiles, whiskers at"
                    + " 1.5 IQR, rows beyond them as circles), layers in network order.")));
  }

  /** Every row-picking policy of the report, in policy order, so each keeps one colour. */
  private static List<String> policies(ReportModel model) {
    List<String> out = new ArrayList<>();
    for (Panel panel : model.panels()) {
      for (PointGroup g : panel.groups()) {
        String p = g.setting().policy();
        if (g.setting().picksRows() && !out.contains(p)) {
          out.add(p);
        }
      }
    }
    out.sort(java.util.Comparator.comparing(ReportModel::policyKey));
    return out;
  }

  /**
   * @param title the page title
   * @param markdown the report
   * @return a standalone HTML page: the Markdown rendered with GitHub-style tables, any raw HTML in
   *     it escaped
   */
  static String html(String title, String markdown) {
    List<org.commonmark.Extension> ext = List.of(TablesExtension.create());
    Parser parser = Parser.builder().extensions(ext).build();
    // the report has no raw HTML of its own; escaping keeps an error message's <...> as text
    HtmlRenderer renderer = HtmlRenderer.builder().extensions(ext).escapeHtml(true).build();
    String body = renderer.render(parser.parse(markdown));
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        + escape(title)
        + "</title>\n<style>\n"
        + "body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;"
        + " line-height: 1.45; }\n"
        + "table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }\n"
        + "th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; }\n"
        + "th { background: #f3f3f3; }\n"
        + "img { max-width: 100%; }\n"
        + "code { background: #f6f6f6; padding: 0 0.2em; }\n"
        + "</style>\n</head>\n<body>\n"
        + body
        + "</body>\n</html>\n";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Writes a figure's PNG into the report folder and describes it. */
  private static Figure drawn(RunFolder folder, String file, byte[] png, String alt, String caption)
      throws IOException {
    folder.writeBytes(file, png);
    return new Figure(file, alt, caption);
  }
}
