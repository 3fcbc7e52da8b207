package org.efqat.core.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunMetrics;
import org.efqat.core.session.RunState;
import org.efqat.core.session.Stage;

/**
 * The table of a sweep's points, read from their run folders: {@value #JSON} (a record tree) and
 * {@value #MARKDOWN}, rewritten atomically in the sweep folder whenever a point finishes.
 *
 * @param name the sweep (the base experiment's name)
 * @param axes the grid's paths
 * @param rows one row per point, in order
 */
public record SweepTable(String name, List<String> axes, List<Row> rows) {
  /** The JSON table. */
  public static final String JSON = "sweep.json";

  /** The Markdown table. */
  public static final String MARKDOWN = "sweep.md";

  /** Copies the lists. */
  public SweepTable {
    axes = List.copyOf(axes);
    rows = List.copyOf(rows);
  }

  /**
   * One point.
   *
   * @param index the point's index
   * @param id its id ({@code p007})
   * @param values the values it sets, by YAML path
   * @param status where it stands
   * @param folder its run folder, relative to the sweep folder
   * @param fpAccuracy FP test accuracy in [0, 1], or {@code null}
   * @param ptqAccuracy PTQ test accuracy, or {@code null}
   * @param efqatAccuracy EfQAT test accuracy, or {@code null}
   * @param unfrozenFraction the fraction of weight rows EfQAT trained (mean over steps), or {@code
   *     null}
   * @param backwardMs the EfQAT stage's median backward time per step in milliseconds, or {@code
   *     null}
   * @param error why its last attempt failed, or {@code null}
   */
  public record Row(
      int index,
      String id,
      Map<String, Object> values,
      PointStatus status,
      String folder,
      Double fpAccuracy,
      Double ptqAccuracy,
      Double efqatAccuracy,
      Double unfrozenFraction,
      Double backwardMs,
      String error) {
    /** Copies the values. */
    public Row {
      values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
  }

  /**
   * @param sweep a sweep
   * @param until the last stage its points run
   * @return the table as the run folders show it now
   */
  public static SweepTable of(Sweep sweep, Stage until) {
    List<Row> rows = new ArrayList<>();
    for (SweepPoint p : sweep.points()) {
      Path dir = SweepRunner.runFolder(p);
      RunFolder folder = new RunFolder(dir);
      String foreign = SweepRunner.foreignRun(sweep, p);
      boolean own = Files.exists(dir) && foreign == null;
      RunState state = own ? folder.readState() : RunState.EMPTY;
      RunMetrics m = own ? folder.readMetrics() : RunMetrics.EMPTY;
      PointFailure failure =
          foreign != null
              ? new PointFailure(foreign, null)
              : folder.readJson(PointFailure.FILE, PointFailure.class, null);
      PointStatus status;
      if (foreign != null) {
        status = PointStatus.FAILED;
      } else if (state.isComplete(until)) {
        status = PointStatus.DONE;
        failure = null;
      } else if (failure != null) {
        status = PointStatus.FAILED;
      } else if (Files.exists(dir.resolve(RunFolder.STATE))) {
        status = PointStatus.STARTED;
      } else {
        status = PointStatus.PENDING;
      }
      rows.add(
          new Row(
              p.index(),
              p.id(),
              p.values(),
              status,
              sweep.folder().relativize(dir).toString(),
              m.fp() == null ? null : m.fp().test().accuracy(),
              m.ptq() == null ? null : m.ptq().test().accuracy(),
              m.efqat() == null ? null : m.efqat().test().accuracy(),
              m.efqat() == null ? null : m.efqat().training().meanUnfrozenFraction(),
              m.efqat() == null || m.efqat().training().timings().backwardMs().isEmpty()
                  ? null
                  : m.efqat().training().timings().medianBackwardMs(),
              failure == null ? null : failure.error()));
    }
    return new SweepTable(sweep.base().config().name(), sweep.axes(), rows);
  }

  /**
   * @param status a status
   * @return how many points have it
   */
  public long count(PointStatus status) {
    return rows.stream().filter(r -> r.status() == status).count();
  }

  /**
   * @return one line: {@code 7/24 done, 1 failed, 1 started, 15 pending}
   */
  public String progress() {
    return String.format(
        Locale.ROOT,
        "%d/%d done, %d failed, %d started, %d pending",
        count(PointStatus.DONE),
        rows.size(),
        count(PointStatus.FAILED),
        count(PointStatus.STARTED),
        count(PointStatus.PENDING));
  }

  /**
   * Writes {@value #JSON} and {@value #MARKDOWN} into the sweep folder, each atomically.
   *
   * @param folder the sweep folder
   * @throws IOException if that fails
   */
  public void write(Path folder) throws IOException {
    RunFolder out = new RunFolder(folder);
    out.writeJson(JSON, this);
    out.writeText(MARKDOWN, markdown());
  }

  /**
   * @return the Markdown table: one column per swept path, the status, the accuracies in percent,
   *     the trained fraction, the backward time and the error of a failed point
   */
  public String markdown() {
    List<String> paths = new ArrayList<>();
    for (Row r : rows) {
      for (String k : r.values().keySet()) {
        if (!paths.contains(k)) {
          paths.add(k);
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("# Sweep ").append(name).append("\n\n").append(progress()).append("\n\n");
    sb.append("| point |");
    paths.forEach(p -> sb.append(' ').append(p).append(" |"));
    sb.append(" status | FP | PTQ | EfQAT | rows trained | backward ms | error |\n|---|");
    paths.forEach(p -> sb.append("---|"));
    sb.append("---|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      sb.append("| [").append(r.id()).append("](").append(r.folder()).append(") |");
      for (String p : paths) {
        Object v = r.values().get(p);
        sb.append(' ').append(v == null ? "" : v).append(" |");
      }
      sb.append(' ').append(r.status().name().toLowerCase(Locale.ROOT)).append(" |");
      sb.append(pct(r.fpAccuracy())).append(pct(r.ptqAccuracy())).append(pct(r.efqatAccuracy()));
      sb.append(pct(r.unfrozenFraction()));
      sb.append(
          r.backwardMs() == null ? " |" : String.format(Locale.ROOT, " %.1f |", r.backwardMs()));
      sb.append(' ').append(r.error() == null ? "" : r.error().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  private static String pct(Double v) {
    return v == null ? " |" : String.format(Locale.ROOT, " %.2f%% |", 100 * v);
  }
}
