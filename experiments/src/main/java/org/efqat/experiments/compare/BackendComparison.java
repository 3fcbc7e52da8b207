package org.efqat.experiments.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.experiments.run.ExperimentRunner;
import org.efqat.experiments.run.ExperimentSetup;
import org.efqat.experiments.run.RunDirectory;
import org.efqat.experiments.run.RunException;

/**
 * {@code efqat compare}: one experiment on several backends with the same seed, hence the same
 * initial weights and batch order. Each backend gets an ordinary, resumable run in {@code
 * <output>/<name>-compare/<name>-<backend>/}; then an {@link AgreementProbe} per backend measures
 * how far the numbers differ on identical inputs. The folder {@code <output>/<name>-compare/}
 * receives {@code compare.json}, {@code compare.md} and {@code losses.png}, each written
 * atomically.
 */
public final class BackendComparison {
  /** The JSON summary. */
  public static final String JSON = "compare.json";
  /** The tables as Markdown. */
  public static final String MARKDOWN = "compare.md";
  /** The loss curves. */
  public static final String PLOT = "losses.png";

  /**
   * @param output overrides the file's {@code output:} folder, or {@code null}
   * @param fresh discard earlier runs of the backends
   * @param tolerance the relative tolerance of the logit comparison
   * @param probeSamples test images in the agreement probe
   * @param terminal whether to draw progress bars
   */
  public record Options(Path output, boolean fresh, double tolerance, int probeSamples,
      boolean terminal) {}

  private final ComponentRegistry registry;
  private final PrintWriter out;

  /**
   * @param registry the components
   * @param out where progress and the table go
   */
  public BackendComparison(ComponentRegistry registry, PrintWriter out) {
    this.registry = registry;
    this.out = out;
  }

  /**
   * @param experiment a validated experiment (its {@code backend:} is ignored)
   * @param backendNames at least two distinct registered backends; the first is the reference
   * @param options the options
   * @return the comparison folder
   * @throws ExperimentValidationException if a backend name is not registered
   * @throws IOException if a file cannot be read or written
   */
  public Path run(ResolvedExperiment experiment, List<String> backendNames, Options options)
      throws ExperimentValidationException, IOException {
    List<String> names = List.copyOf(new LinkedHashSet<>(backendNames));
    if (names.size() < 2) {
      throw new RunException("--backends: expected at least two different backends, e.g."
          + " nd4j,tf (was " + String.join(",", backendNames) + ")");
    }
    ExperimentLoader loader = new ExperimentLoader(registry);
    Map<String, ResolvedExperiment> perBackend = new LinkedHashMap<>();
    for (String name : names) {
      perBackend.put(name, loader.onBackend(experiment, name, "--backends"));
    }
    Path root = (options.output() != null ? options.output()
        : Path.of(experiment.config().output())).resolve(experiment.config().name() + "-compare");
    RunDirectory dir = new RunDirectory(root);
    dir.create();

    Map<String, JsonNode> metrics = new LinkedHashMap<>();
    Map<String, Path> runDirs = new LinkedHashMap<>();
    ExperimentRunner runner = new ExperimentRunner(registry, out);
    for (var e : perBackend.entrySet()) {
      out.printf("%n== %s ==%n", e.getKey());
      Path runDir = runner.run(e.getValue(), new ExperimentRunner.Options(root, options.fresh(),
          ExperimentRunner.Stage.EFQAT, options.terminal()));
      runDirs.put(e.getKey(), runDir);
      metrics.put(e.getKey(), new RunDirectory(runDir).readJson(RunDirectory.METRICS));
    }

    String reference = names.get(0);
    Path fp = runDirs.get(reference).resolve("fp.safetensors");
    if (!Files.exists(fp)) {
      throw new RunException(fp + " is missing; the reference run did not finish");
    }
    out.printf("%n== agreement on %d test images, reference %s ==%n", options.probeSamples(),
        reference);
    AgreementProbe.Result ref = probe(perBackend.get(reference), fp, null, options);
    List<Agreement> agreements = new ArrayList<>();
    for (String name : names.subList(1, names.size())) {
      AgreementProbe.Result other = probe(perBackend.get(name), fp, ref.calibrated(), options);
      agreements.add(Agreement.of(ref, other, options.tolerance()));
    }

    ComparisonTable table = new ComparisonTable(metrics, agreements, options.probeSamples());
    dir.writeText(MARKDOWN, "# efqat compare " + experiment.config().name() + "\n\n"
        + table.toMarkdown());
    dir.writeJson(JSON, summary(dir, experiment, runDirs, metrics, agreements, options));
    Map<String, Map<String, List<Double>>> panels = new LinkedHashMap<>();
    panels.put("pretraining", losses(metrics, "fp"));
    panels.put("EfQAT", losses(metrics, "efqat"));
    dir.writeBytes(PLOT, LossPlot.render(panels));
    out.printf("%nefqat compare %s: %s (seed %d, same initial weights and batch order)%n%n",
        experiment.config().name(), String.join(" vs ", names), experiment.config().seed());
    out.print(table.toText());
    out.printf("%nresults: %s, %s, %s%n", dir.file(JSON), dir.file(MARKDOWN), dir.file(PLOT));
    out.flush();
    return root;
  }

  private AgreementProbe.Result probe(ResolvedExperiment experiment, Path fp,
      Map<String, float[]> shared, Options options) throws IOException {
    try (ExperimentSetup setup = ExperimentSetup.open(registry, experiment)) {
      out.printf("  probing %s%n", setup.backend().name());
      return AgreementProbe.run(setup, fp, shared, options.probeSamples());
    }
  }

  private static Map<String, List<Double>> losses(Map<String, JsonNode> metrics, String stage) {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    metrics.forEach((backend, json) -> {
      List<Double> l = new ArrayList<>();
      json.path(stage).path("losses").forEach(v -> l.add(v.asDouble()));
      m.put(backend, l);
    });
    return m;
  }

  private static ObjectNode summary(RunDirectory dir, ResolvedExperiment experiment,
      Map<String, Path> runDirs, Map<String, JsonNode> metrics, List<Agreement> agreements,
      Options options) {
    ObjectNode root = dir.json().createObjectNode();
    root.put("experiment", experiment.source());
    root.put("name", experiment.config().name());
    root.put("seed", experiment.config().seed());
    root.put("tolerance", options.tolerance());
    root.put("probeSamples", options.probeSamples());
    ObjectNode backends = root.putObject("backends");
    metrics.forEach((name, m) -> {
      ObjectNode b = backends.putObject(name);
      b.put("runDirectory", runDirs.get(name).toString());
      for (String stage : List.of("fp", "ptq", "efqat")) {
        JsonNode s = m.path(stage);
        if (s.has("accuracy")) {
          b.put(stage + "Accuracy", s.get("accuracy").asDouble());
        }
      }
      JsonNode e = m.path("efqat");
      for (String k : List.of("medianForwardMs", "medianBackwardMs", "medianWeightGradientMs",
          "unfrozenFraction")) {
        if (e.has(k)) {
          b.set(k, e.get(k));
        }
      }
    });
    var list = root.putArray("agreement");
    for (Agreement a : agreements) {
      ObjectNode n = dir.json().valueToTree(a);
      n.put("ptqWithinTolerance", a.ptqWithin());
      n.put("stepWithinTolerance", a.stepWithin());
      n.put("explanation", a.explanation());
      list.add(n);
    }
    return root;
  }
}
