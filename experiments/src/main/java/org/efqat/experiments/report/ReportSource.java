package org.efqat.experiments.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunMetrics;
import org.efqat.core.sweep.PointFailure;
import org.efqat.core.sweep.PointStatus;
import org.efqat.core.sweep.SweepTable;

/**
 * The points of a report, read from its input folder: a sweep folder of {@code efqat sweep} (its
 * {@code sweep.json} and the points' run folders), a folder whose subfolders are run folders (each
 * with {@code metrics.json} and {@code resolved-config.yaml}), or one run folder.
 *
 * @param kind what the folder is
 * @param name the sweep's name, or the folder's name
 * @param folder the input folder
 * @param axes the paths the sweep's grid varies; for run folders the paths their configs state
 * @param points every point, in sweep order or by folder name
 */
public record ReportSource(
    Kind kind, String name, Path folder, List<String> axes, List<ReportPoint> points) {
  /** What the input folder is. */
  public enum Kind {
    /** A sweep folder with {@code sweep.json}. */
    SWEEP,
    /** A folder of run folders, or one run folder. */
    RUNS
  }

  /** The folder of a single run read as its own input, relative to itself. */
  static final String SAME_FOLDER = ".";

  /** Copies the lists. */
  public ReportSource {
    axes = List.copyOf(axes);
    points = List.copyOf(points);
  }

  /**
   * @param dir a sweep folder, a folder of run folders, or a run folder
   * @return its points
   * @throws ReportException naming {@code dir} when it is none of these, or naming the file that is
   *     damaged (a {@code sweep.json}, {@code metrics.json} or {@code resolved-config.yaml} that
   *     does not parse)
   */
  public static ReportSource read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ReportException("no folder " + dir);
    }
    Path sweep = dir.resolve(SweepTable.JSON);
    if (Files.isRegularFile(sweep)) {
      return readSweep(dir, sweep);
    }
    if (isRun(dir)) {
      return new ReportSource(
          Kind.RUNS, name(dir), dir, RunFacts.PATHS, List.of(readRun(dir, dir)));
    }
    List<Path> runs;
    try (Stream<Path> s = Files.list(dir)) {
      runs = s.filter(ReportSource::isRun).sorted(Comparator.comparing(Path::toString)).toList();
    } catch (IOException e) {
      throw new ReportException(dir + " cannot be listed: " + e.getMessage(), e);
    }
    if (runs.isEmpty()) {
      throw new ReportException(
          dir
              + " is neither a sweep folder (no "
              + SweepTable.JSON
              + ") nor a folder of runs (no subfolder with "
              + RunFolder.METRICS
              + " and "
              + RunFolder.CONFIG
              + ")");
    }
    List<ReportPoint> points = new ArrayList<>();
    for (Path run : runs) {
      points.add(readRun(dir, run));
    }
    return new ReportSource(Kind.RUNS, name(dir), dir, RunFacts.PATHS, points);
  }

  private static boolean isRun(Path dir) {
    return Files.isRegularFile(dir.resolve(RunFolder.METRICS))
        && Files.isRegularFile(dir.resolve(RunFolder.CONFIG));
  }

  private static String name(Path dir) {
    Path n = dir.toAbsolutePath().normalize().getFileName();
    return n == null ? dir.toString() : n.toString();
  }

  private static ReportSource readSweep(Path dir, Path file) {
    SweepTable table;
    try {
      table = RunFolder.json().readValue(file.toFile(), SweepTable.class);
    } catch (JsonProcessingException e) {
      throw new ReportException(
          file + " is not a valid " + SweepTable.JSON + " (" + firstLine(e) + ")", e);
    } catch (IOException e) {
      throw new ReportException(file + " cannot be read: " + e.getMessage(), e);
    }
    if (table == null || table.rows() == null) {
      throw new ReportException(file + " is empty; expected the table of a sweep");
    }
    List<ReportPoint> points = new ArrayList<>();
    for (SweepTable.Row r : table.rows()) {
      if (r.id() == null || r.folder() == null || r.status() == null) {
        throw new ReportException(
            file
                + " is not a valid "
                + SweepTable.JSON
                + " (row "
                + r.index()
                + " lacks id,"
                + " folder or status)");
      }
      Path run = dir.resolve(r.folder());
      Path config = run.resolve(RunFolder.CONFIG);
      boolean hasConfig = Files.isRegularFile(config);
      points.add(
          new ReportPoint(
              r.id(),
              slashes(r.folder()),
              r.values(),
              r.status(),
              hasConfig ? RunFacts.read(config) : null,
              r.fpAccuracy(),
              r.ptqAccuracy(),
              r.efqatAccuracy(),
              r.unfrozenFraction(),
              r.backwardMs(),
              otherCpuShare(run),
              r.error(),
              hasConfig,
              Files.isRegularFile(run.resolve(RunFolder.PROVENANCE))));
    }
    return new ReportSource(Kind.SWEEP, table.name(), dir, table.axes(), points);
  }

  private static ReportPoint readRun(Path dir, Path run) {
    Path metricsFile = run.resolve(RunFolder.METRICS);
    RunMetrics m;
    try {
      m = RunFolder.json().readValue(metricsFile.toFile(), RunMetrics.class);
    } catch (JsonProcessingException e) {
      throw new ReportException(
          metricsFile + " is not a valid " + RunFolder.METRICS + " (" + firstLine(e) + ")", e);
    } catch (IOException e) {
      throw new ReportException(metricsFile + " cannot be read: " + e.getMessage(), e);
    }
    if (m == null) {
      throw new ReportException(metricsFile + " is empty; expected the metrics of a run");
    }
    Map<String, Object> values = RunFacts.readValues(run.resolve(RunFolder.CONFIG));
    PointFailure failure;
    try {
      failure = new RunFolder(run).readJson(PointFailure.FILE, PointFailure.class, null);
    } catch (RuntimeException e) {
      throw new ReportException(e.getMessage(), e);
    }
    RunMetrics.EfqatStage e = m.efqat();
    Double efqat = e == null ? null : accuracy(e.test(), metricsFile);
    PointStatus status =
        efqat != null
            ? PointStatus.DONE
            : failure != null ? PointStatus.FAILED : PointStatus.STARTED;
    RunMetrics.Training t = e == null ? null : e.training();
    String rel = dir.equals(run) ? SAME_FOLDER : slashes(dir.relativize(run).toString());
    return new ReportPoint(
        name(run),
        rel,
        values,
        status,
        RunFacts.of(values),
        m.fp() == null ? null : accuracy(m.fp().test(), metricsFile),
        m.ptq() == null ? null : accuracy(m.ptq().test(), metricsFile),
        efqat,
        t == null ? null : t.meanUnfrozenFraction(),
        t == null || t.timings() == null || t.timings().backwardMs().isEmpty()
            ? null
            : t.timings().medianBackwardMs(),
        otherCpuShare(m),
        status == PointStatus.FAILED ? failure.error() : null,
        true,
        Files.isRegularFile(run.resolve(RunFolder.PROVENANCE)));
  }

  /**
   * @param run a sweep point's run folder
   * @return the CPU share other processes took during its EfQAT steps, or {@code null} when it has
   *     no readable metrics or they do not record it
   */
  private static Double otherCpuShare(Path run) {
    if (!Files.isRegularFile(run.resolve(RunFolder.METRICS))) {
      return null;
    }
    try {
      return otherCpuShare(new RunFolder(run).readJson(RunFolder.METRICS, RunMetrics.class, null));
    } catch (RuntimeException e) {
      return null; // the sweep table is what the report rests on; a broken file only loses this
    }
  }

  private static Double otherCpuShare(RunMetrics m) {
    if (m == null || m.efqat() == null || m.efqat().training() == null) {
      return null;
    }
    var timings = m.efqat().training().timings();
    double share = timings == null ? Double.NaN : timings.otherProcessesCpuShare();
    return Double.isNaN(share) ? null : share;
  }

  /** A stage's test accuracy, which every stage in a metrics file must have. */
  private static double accuracy(RunMetrics.Evaluation test, Path file) {
    if (test == null) {
      throw new ReportException(
          file + " is not a valid " + RunFolder.METRICS + " (a stage has no test accuracy)");
    }
    double a = test.accuracy();
    if (!(a >= 0 && a <= 1)) {
      throw new ReportException(
          file
              + " is not a valid "
              + RunFolder.METRICS
              + " (test accuracy "
              + a
              + " is not in [0, 1])");
    }
    return a;
  }

  private static String slashes(String path) {
    return path.replace('\\', '/');
  }

  private static String firstLine(JsonProcessingException e) {
    String m = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
