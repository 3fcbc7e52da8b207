package org.efqat.experiments.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.efqat.api.importance.LayerImportance;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.importance.RowImportance;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunImportance;
import org.efqat.core.session.Sessions;
import org.efqat.core.session.Stage;

/**
 * The row importance of a run's EfQAT stage for the report (the EfQAT paper's Figure 3): read from
 * the files {@code efqat importance} leaves in the run folder, or computed through {@link
 * RunImportance#compute}, which opens the run's data set to calibrate (as long as a PTQ calibration
 * takes, so the report does it only when asked).
 */
final class ReportImportance {
  /** The record tree {@code efqat importance} writes for the EfQAT stage. */
  static final String JSON = "importance-" + Stage.EFQAT.fileStem() + ".json";

  /** The CSV it writes next to it ({@code layer,row,index,importance,outlier}). */
  static final String CSV = "importance-" + Stage.EFQAT.fileStem() + ".csv";

  private ReportImportance() {}

  /**
   * @param run a run folder
   * @return whether it holds {@link #JSON} or {@link #CSV}
   */
  static boolean has(Path run) {
    return Files.isRegularFile(run.resolve(JSON)) || Files.isRegularFile(run.resolve(CSV));
  }

  /**
   * @param run a run folder holding {@link #JSON} or {@link #CSV}
   * @return the importance it holds; from the CSV, outliers at {@link
   *     RowImportance#DEFAULT_OUTLIER_SIGMAS} and the metric named by the run's config
   * @throws ReportException naming the file if it cannot be read
   */
  static RowImportance read(Path run) {
    Path json = run.resolve(JSON);
    if (Files.isRegularFile(json)) {
      try {
        RowImportance imp = RunFolder.json().readValue(json.toFile(), RowImportance.class);
        if (imp == null) {
          throw new ReportException(json + " is empty; expected the row importance of a run");
        }
        return imp;
      } catch (JsonProcessingException e) {
        throw new ReportException(
            json + " is not a valid " + JSON + " (" + e.getOriginalMessage() + ")", e);
      } catch (IOException e) {
        throw new ReportException(json + " cannot be read: " + e.getMessage(), e);
      }
    }
    Path csv = run.resolve(CSV);
    Map<String, List<Double>> rows = new LinkedHashMap<>();
    try {
      List<String> lines = Files.readAllLines(csv);
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).split(",", -1);
        if (f.length < 4) {
          throw new ReportException(csv + " line " + (i + 1) + " has fewer than 4 fields");
        }
        rows.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Double.parseDouble(f[3]));
      }
    } catch (NumberFormatException e) {
      throw new ReportException(csv + " holds a value that is not a number: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ReportException(csv + " cannot be read: " + e.getMessage(), e);
    }
    List<LayerImportance> layers = new ArrayList<>();
    rows.forEach(
        (layer, s) ->
            layers.add(new LayerImportance(layer, s.stream().mapToDouble(d -> d).toArray())));
    return RowImportance.of(layers, metric(run), RowImportance.DEFAULT_OUTLIER_SIGMAS);
  }

  /**
   * Scores every row of the run's EfQAT checkpoint with its importance metric.
   *
   * @param run a finished run folder (its {@code resolved-config.yaml}, {@code fp.safetensors} and
   *     {@code efqat.safetensors})
   * @return every row's importance
   * @throws ReportException if the config is invalid, a checkpoint is missing or the data cannot be
   *     read, naming the run folder
   */
  static RowImportance compute(Path run) {
    ComponentRegistry registry = ComponentRegistry.loadDefault();
    ResolvedExperiment experiment;
    try {
      experiment = new ExperimentLoader(registry).load(run.resolve(RunFolder.CONFIG));
    } catch (ExperimentValidationException e) {
      throw new ReportException(
          run.resolve(RunFolder.CONFIG) + " is not a valid experiment: " + e.errors().get(0), e);
    }
    try (ExperimentSession session = Sessions.openRun(registry, experiment, run)) {
      return RunImportance.compute(session, run, Stage.EFQAT);
    } catch (IOException | RuntimeException e) {
      throw new ReportException(
          "cannot compute the row importance of " + run + ": " + e.getMessage(), e);
    }
  }

  /** The run's {@code efqat.importance.type}, or {@code importance} when its config lacks it. */
  private static String metric(Path run) {
    try {
      JsonNode root =
          new ObjectMapper(new YAMLFactory()).readTree(run.resolve(RunFolder.CONFIG).toFile());
      JsonNode type = root == null ? null : root.at("/efqat/importance/type");
      return type != null && type.isTextual() ? type.asText() : "importance";
    } catch (IOException e) {
      return "importance";
    }
  }
}
