package org.efqat.experiments.compare;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.efqat.core.config.ExperimentLoader;
import org.efqat.core.config.ExperimentValidationException;
import org.efqat.core.config.ResolvedExperiment;
import org.efqat.core.registry.ComponentRegistry;
import org.efqat.core.session.ExperimentSession;
import org.efqat.core.session.RunException;
import org.efqat.core.session.RunFolder;
import org.efqat.core.session.RunMetrics;
import org.efqat.core.session.RunResult;
import org.efqat.core.session.SessionListener;
import org.efqat.core.session.SessionOptions;
import org.efqat.core.session.Sessions;
import org.efqat.core.session.Stage;
import org.efqat.experiments.BackendArgument;
import org.efqat.experiments.run.ConsoleSessionListener;
import org.efqat.experiments.run.StopSignal;

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
  public record Options(
      Path output, boolean fresh, double tolerance, int probeSamples, boolean terminal) {}

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
      throw new RunException(
          "--backends: expected at least two different backends, e.g."
              + " nd4j,tf (was "
              + String.join(",", backendNames)
              + ")");
    }
    ExperimentLoader loader = new ExperimentLoader(registry);
    Map<String, ResolvedExperiment> perBackend = new LinkedHashMap<>();
    for (String name : names) {
      Map<String, Object> changes = new LinkedHashMap<>();
      changes.put("name", experiment.config().name() + "-" + BackendArgument.slug(name));
      changes.put("backend", BackendArgument.override(name));
      perBackend.put(name, loader.override(experiment, changes, "--backends"));
    }
    Path root =
        (options.output() != null ? options.output() : Path.of(experiment.config().output()))
            .resolve(experiment.config().name() + "-compare");
    RunFolder dir = new RunFolder(root);
    dir.open();

    Map<String, RunMetrics> metrics = new LinkedHashMap<>();
    Map<String, Path> runDirs = new LinkedHashMap<>();
    ConsoleSessionListener console = new ConsoleSessionListener(out, options.terminal());
    for (var e : perBackend.entrySet()) {
      out.printf("%n== %s ==%n", e.getKey());
      try (StopSignal signal = new StopSignal();
          ExperimentSession session =
              Sessions.open(
                  registry,
                  e.getValue(),
                  new SessionOptions(root, options.fresh(), Stage.EFQAT, signal),
                  console)) {
        RunResult r = session.run();
        console.summary(r.metrics(), r.folder().resolve(RunFolder.METRICS));
        runDirs.put(e.getKey(), r.folder());
        metrics.put(e.getKey(), r.metrics());
      }
    }

    String reference = names.get(0);
    Path fp = runDirs.get(reference).resolve(Stage.PRETRAIN.checkpointFile());
    if (!Files.exists(fp)) {
      throw new RunException(fp + " is missing; the reference run did not finish");
    }
    out.printf(
        "%n== agreement on %d test images, reference %s ==%n", options.probeSamples(), reference);
    AgreementProbe.Result ref = probe(perBackend.get(reference), reference, fp, null, options);
    List<Agreement> agreements = new ArrayList<>();
    for (String name : names.subList(1, names.size())) {
      AgreementProbe.Result other =
          probe(perBackend.get(name), name, fp, ref.calibrated(), options);
      agreements.add(Agreement.of(ref, other, options.tolerance()));
    }

    ComparisonTable table = new ComparisonTable(metrics, agreements, options.probeSamples());
    dir.writeText(
        MARKDOWN, "# efqat compare " + experiment.config().name() + "\n\n" + table.toMarkdown());
    dir.writeJson(JSON, summary(experiment, runDirs, metrics, agreements, options));
    Map<String, Map<String, List<Double>>> panels = new LinkedHashMap<>();
    panels.put("pretraining", losses(metrics, m -> m.fp() == null ? null : m.fp().training()));
    panels.put("EfQAT", losses(metrics, m -> m.efqat() == null ? null : m.efqat().training()));
    dir.writeBytes(PLOT, LossPlot.render(panels));
    out.printf(
        "%nefqat compare %s: %s (seed %d, same initial weights and batch order)%n%n",
        experiment.config().name(), String.join(" vs ", names), experiment.config().seed());
    out.print(table.toText());
    out.printf("%nresults: %s, %s, %s%n", dir.file(JSON), dir.file(MARKDOWN), dir.file(PLOT));
    out.flush();
    return root;
  }

  private AgreementProbe.Result probe(
      ResolvedExperiment experiment,
      String label,
      Path fp,
      Map<String, float[]> shared,
      Options options)
      throws IOException {
    try (ExperimentSession session =
        Sessions.open(registry, experiment, SessionOptions.DEFAULT, SessionListener.NONE)) {
      out.printf("  probing %s%n", label);
      return AgreementProbe.run(session, label, fp, shared, options.probeSamples());
    }
  }

  private static Map<String, List<Double>> losses(
      Map<String, RunMetrics> metrics, Function<RunMetrics, RunMetrics.Training> stage) {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    metrics.forEach(
        (backend, run) -> {
          RunMetrics.Training t = stage.apply(run);
          m.put(backend, t == null ? List.of() : t.losses());
        });
    return m;
  }

  /**
   * One backend in {@code compare.json}.
   *
   * @param runDirectory its run folder
   * @param metrics its metrics
   */
  record BackendRun(String runDirectory, RunMetrics metrics) {}

  /**
   * {@code compare.json}.
   *
   * @param experiment the experiment file
   * @param name its name
   * @param seed its seed
   * @param tolerance the relative tolerance of the logit comparison
   * @param probeSamples test images probed
   * @param backends each backend's run
   * @param agreement each other backend's agreement with the reference
   */
  record Summary(
      String experiment,
      String name,
      long seed,
      double tolerance,
      int probeSamples,
      Map<String, BackendRun> backends,
      List<Agreement.Json> agreement) {}

  private static Summary summary(
      ResolvedExperiment experiment,
      Map<String, Path> runDirs,
      Map<String, RunMetrics> metrics,
      List<Agreement> agreements,
      Options options) {
    Map<String, BackendRun> backends = new LinkedHashMap<>();
    metrics.forEach(
        (name, m) -> backends.put(name, new BackendRun(runDirs.get(name).toString(), m)));
    return new Summary(
        experiment.source(),
        experiment.config().name(),
        experiment.config().seed(),
        options.tolerance(),
        options.probeSamples(),
        backends,
        agreements.stream().map(Agreement::json).toList());
  }
}
