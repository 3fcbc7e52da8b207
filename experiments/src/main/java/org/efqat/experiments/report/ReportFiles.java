package org.efqat.experiments.report;

import java.nio.file.Path;
import java.util.List;
import org.efqat.core.importance.RowImportance;

/**
 * What {@link ReportWriter} wrote.
 *
 * @param markdown {@code report.md}
 * @param html {@code report.html}
 * @param figures every PNG, in the order the report shows them
 * @param skipped one line per figure left out, saying why
 */
public record ReportFiles(Path markdown, Path html, List<Path> figures, List<String> skipped) {
  /** Copies the lists. */
  public ReportFiles {
    figures = List.copyOf(figures);
    skipped = List.copyOf(skipped);
  }

  /**
   * One figure of the report.
   *
   * @param file its PNG's name in the report folder
   * @param alt its alternative text (the title)
   * @param caption what it shows, one paragraph
   */
  record Figure(String file, String alt, String caption) {}

  /**
   * The figures of one panel, and those left out.
   *
   * @param figures the figures drawn
   * @param skipped one line per figure left out, saying why
   */
  record PanelFigures(List<Figure> figures, List<String> skipped) {
    PanelFigures {
      figures = List.copyOf(figures);
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * The row-importance figures of one run.
   *
   * @param point the run
   * @param source where the scores came from, in words
   * @param importance the scores
   * @param figures the network figure and the per-layer box plot
   */
  record ImportanceFigures(
      ReportPoint point, String source, RowImportance importance, List<Figure> figures) {
    ImportanceFigures {
      figures = List.copyOf(figures);
    }
  }
}
